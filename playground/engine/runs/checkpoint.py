"""Checkpoints: config + state_dict + metrics, loaded with torch.load(weights_only=True) only."""
from __future__ import annotations

import io
import pickle
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.files import atomic_write_bytes
from playground.engine.model import build_model
from playground.engine.train.records import EpochRecord

FORMAT = "mlp-playground-checkpoint"
VERSION = 1


@dataclass
class LoadedModel:
    config: TrainConfig
    model: nn.Sequential
    n_inputs: int
    class_names: list[str]
    kind: str
    metrics: list[EpochRecord] = field(default_factory=list)
    recipe: dict | None = None     # a table model's recipe: how its rows become features (datasets/tables)

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


def save_checkpoint(path: str | Path, config: TrainConfig, model: nn.Module, n_inputs: int,
                    class_names: list[str], kind: str, metrics: list[EpochRecord], recipe: dict | None = None) -> None:
    data = checkpoint_bytes(config, model, n_inputs, class_names, kind, metrics, recipe)
    try:
        atomic_write_bytes(Path(path), data)
    except OSError as exc:
        raise PlaygroundError(f"cannot write checkpoint {path}: {exc.strerror or exc}") from None


def checkpoint_bytes(config: TrainConfig, model: nn.Module, n_inputs: int, class_names: list[str], kind: str,
                     metrics: list[EpochRecord], recipe: dict | None = None) -> bytes:
    """The checkpoint file's bytes (the run store writes them as its runs' model files)."""
    payload = {
        "format": FORMAT,
        "version": VERSION,
        "config": config.to_dict(),
        "n_inputs": int(n_inputs),
        "class_names": list(class_names),
        "kind": kind,
        "metrics": [asdict(m) for m in metrics],
        "recipe": recipe,    # plain data (dicts, lists, strings, numbers): weights_only loading accepts it
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
    }
    buffer = io.BytesIO()
    torch.save(payload, buffer)
    return buffer.getvalue()


def load_checkpoint(path: str | Path) -> LoadedModel:
    """Load safely: weights_only=True never runs code from the file; anything odd is a PlaygroundError."""
    path = Path(path)
    if not path.is_file():
        raise PlaygroundError(f"checkpoint not found: {path}")
    try:
        with warnings.catch_warnings():  # torch warns about odd pickle protocols; the error below says enough
            warnings.simplefilter("ignore")
            payload = torch.load(path, map_location="cpu", weights_only=True)
    except pickle.UnpicklingError:
        raise PlaygroundError(f"{path} was refused: it contains objects other than plain data and tensors "
                              f"(it is not an MLP Playground checkpoint, or it may be unsafe)") from None
    except Exception as exc:  # torch raises many types for damaged files (struct.error, zip errors...)
        raise PlaygroundError(f"{path} is not a readable checkpoint ({type(exc).__name__})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise PlaygroundError(f"{path} is not an MLP Playground checkpoint")
    if payload.get("version") != VERSION:
        raise PlaygroundError(f"{path} is a checkpoint of version {payload.get('version')!r}; this app "
                              f"reads version {VERSION}")
    try:
        config = TrainConfig.from_dict(payload["config"])
        n_inputs = int(payload["n_inputs"])
        class_names = [str(c) for c in payload["class_names"]]
        kind = str(payload["kind"])
        metrics = [EpochRecord(**m) for m in payload.get("metrics", [])]
        recipe = payload.get("recipe")
        if recipe is not None and not isinstance(recipe, dict):
            raise TypeError("the recipe is not a mapping")
        model = build_model(config, n_inputs, len(class_names))
        model.load_state_dict(payload["state_dict"])
    except PlaygroundError as exc:
        raise PlaygroundError(f"{path}: {exc}") from None
    except (KeyError, TypeError, ValueError, RuntimeError) as exc:
        raise PlaygroundError(f"{path} is damaged or from an incompatible version "
                              f"({type(exc).__name__}: {str(exc).splitlines()[0][:120]})") from None
    model.eval()
    return LoadedModel(config, model, n_inputs, class_names, kind, metrics, recipe)
