"""The whole run configuration as one validated, JSON round-trippable dataclass."""
from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from playground.engine.errors import PlaygroundError
from playground.engine.data_options import (DEFAULT_NOISE, DEFAULT_TRAIN_FRACTION, PLAIN, check_data_fields,
                           is_data_source)
from playground.engine.datasets.catalog import DATASETS as DATASET_ENTRIES
from playground.engine.datasets.pen_mix import PEN_MIXABLE, default_mix_pen
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS

# The limits of every number in a config; the window's widgets take their ranges from these, so a loaded
# config is shown exactly or refused with a message, never clipped.
MAX_WIDTH = 1_000_000
MAX_LAYERS = 64
MAX_BATCH_SIZE = 1 << 24
MAX_EPOCHS = 1_000_000
MAX_SEED = 2**31 - 1          # what a QSpinBox can hold
LR_RANGE = (1e-7, 1e12)      # absurd rates stay possible: divergence is a lesson
MAX_WEIGHT_DECAY = 100.0
MAX_DROPOUT = 0.99            # [0, MAX_DROPOUT]: p = 1 would zero every unit
MAX_MOMENTUM = 0.9999         # [0, MAX_MOMENTUM]: 1 would never forget a step
CONFIG_VERSION = 1
OUTPUT_ACTIVATIONS = ("none", *ACTIVATIONS)
# Augmentation's default per dataset, chosen by measurement on pen input (see engine/train/augment.py): it helps
# the built-in digits a lot and does not help real MNIST-family models read pen input.
AUGMENT_BY_DEFAULT = frozenset({"synthetic-digits"})


def default_augment(dataset: str) -> bool:
    return dataset in AUGMENT_BY_DEFAULT


_DEFAULTS_BY_DATASET = {"augment": default_augment, "mix_pen_digits": default_mix_pen}


def follow_default(name: str, value: bool, old: str, new: str) -> bool:
    """A setting whose default depends on the dataset (augment, mix_pen_digits): left at the old dataset's
    default, it takes the new dataset's; a choice of one's own is kept. The CLI and the panel both follow it."""
    default = _DEFAULTS_BY_DATASET[name]
    return default(new) if value == default(old) else value


# digit sets that my digits (the Draw tab's taught drawings) can be mixed into
MIXABLE_DATASETS = tuple(name for name, d in DATASET_ENTRIES.items() if d.mixes_my_digits)


def dataset_names() -> tuple[str, ...]:
    """Every dataset a config may name, in the catalog's order (read at call time: entries may be added)."""
    return tuple(DATASET_ENTRIES)


def __getattr__(name: str):
    if name == "DATASETS":     # kept for callers of the old tuple
        return dataset_names()
    raise AttributeError(name)


def _choice(value: str, options, what: str) -> None:
    if value not in options:
        raise PlaygroundError(f"unknown {what} '{value}'; choose one of: {', '.join(options)}")


@dataclass(frozen=True)
class TrainConfig:
    dataset: str = "synthetic-digits"
    data_dir: str | None = None
    classes: int = 2
    hidden: tuple[int, ...] = (256, 128)
    activation: str = "relu"
    output_activation: str = "none"   # applied to the logits; anything but "none" is a teaching mistake
    init: str = "kaiming-normal"
    dropout: tuple[float, ...] = (0.2, 0.2)
    weight_decay: float = 0.0
    decay_biases: bool = False
    optimizer: str = "adam"
    lr: float = 1e-3
    momentum: float = 0.9
    batch_size: int = 128
    epochs: int = 5
    loss: str = "cross-entropy"
    device: str = "auto"
    seed: int = 0
    augment: bool | None = None       # None: the dataset's default (default_augment)
    # the data itself (2-D sets and your own tables/folders); a config file without them loads as before
    noise: float = DEFAULT_NOISE             # 0-0.5: the 2-D sets' noise control
    train_fraction: float = DEFAULT_TRAIN_FRACTION   # share of the samples used for training (0.1-0.9)
    data_seed: int = 0                       # Regenerate: 0 draws the data from `seed`, anything else anew
    features: tuple[str, ...] = PLAIN        # the network's inputs for 2-D points (x1, x2, x1^2, ...)
    label_column: str | None = None          # csv: the label column's name or index (default: the last)
    task: str = "auto"                       # csv: auto, classification or regression
    max_levels: int = 50                     # csv: a word column with more distinct values is an identifier, left out
    image_fit: str = "digit"                 # folder: "digit" (crop, fit, centre like drawings) or "resize"
    mix_my_digits: bool = False   # add my digits (the Draw tab's taught drawings) to the training split
    mix_pen_digits: bool | None = None   # add real pen digits to MNIST's training split; None: the dataset's default

    def __post_init__(self) -> None:
        for name, default in _DEFAULTS_BY_DATASET.items():
            if getattr(self, name) is None:
                object.__setattr__(self, name, default(self.dataset))
        # Normalise list-likes to tuples so configs compare and hash by value.
        object.__setattr__(self, "hidden", tuple(self.hidden))
        object.__setattr__(self, "features", tuple(self.features))
        dropout = tuple(self.dropout)
        if len(dropout) != len(self.hidden) and len(set(dropout)) <= 1:
            # one value (or none) means "the same for every hidden layer"
            dropout = (dropout[0] if dropout else 0.0,) * len(self.hidden)
        object.__setattr__(self, "dropout", dropout)
        self.validate()

    def validate(self) -> None:
        if not is_data_source(self.dataset):     # csv:FILE and folder:DIR are checked when they are read
            _choice(self.dataset, DATASET_ENTRIES, "dataset")
        check_data_fields(self)
        _choice(self.activation, ACTIVATIONS, "activation")
        _choice(self.output_activation, OUTPUT_ACTIVATIONS, "output activation")
        _choice(self.init, INITS, "init")
        _choice(self.optimizer, OPTIMIZERS, "optimizer")
        _choice(self.loss, LOSSES, "loss")
        if len(self.hidden) > MAX_LAYERS:
            raise PlaygroundError(f"at most {MAX_LAYERS} hidden layers, got {len(self.hidden)}")
        for i, w in enumerate(self.hidden, 1):
            if isinstance(w, bool) or not isinstance(w, int):
                raise PlaygroundError(f"hidden layer {i} width must be a whole number, got {w!r}")
            if w < 1:
                raise PlaygroundError(f"hidden layer {i} width must be at least 1, got {w}")
            if w > MAX_WIDTH:
                raise PlaygroundError(f"hidden layer {i} width {w} is over the limit of {MAX_WIDTH:,}")
        if len(self.dropout) != len(self.hidden):
            raise PlaygroundError(
                f"give one dropout value or one per hidden layer: {len(self.hidden)} layers, "
                f"{len(self.dropout)} dropout values")
        for i, p in enumerate(self.dropout, 1):
            if not _is_real(p) or not 0.0 <= p <= MAX_DROPOUT:
                raise PlaygroundError(f"dropout of layer {i} must be in [0, {MAX_DROPOUT}], got {p}")
        if not _is_real(self.lr) or not math.isfinite(self.lr) or self.lr <= 0:
            raise PlaygroundError(f"learning rate must be a positive number, got {self.lr}")
        if not LR_RANGE[0] <= self.lr <= LR_RANGE[1]:
            raise PlaygroundError(f"learning rate must be between {LR_RANGE[0]:g} and {LR_RANGE[1]:g}, "
                                  f"got {self.lr:g}")
        if not _is_real(self.momentum) or not 0.0 <= self.momentum <= MAX_MOMENTUM:
            raise PlaygroundError(f"momentum must be in [0, {MAX_MOMENTUM}], got {self.momentum}")
        if not _is_real(self.weight_decay) or not math.isfinite(self.weight_decay) or self.weight_decay < 0:
            raise PlaygroundError(f"weight decay must be zero or positive, got {self.weight_decay}")
        if self.weight_decay > MAX_WEIGHT_DECAY:
            raise PlaygroundError(f"weight decay must be at most {MAX_WEIGHT_DECAY:g}, got {self.weight_decay:g}")
        _positive_int(self.batch_size, "batch size", MAX_BATCH_SIZE)
        _positive_int(self.epochs, "epochs", MAX_EPOCHS)
        _positive_int(self.classes, "classes")
        entry = DATASET_ENTRIES.get(self.dataset)
        low, high = (entry.class_range if entry else None) or (1, self.classes)
        if not low <= self.classes <= high:
            raise PlaygroundError(f"{self.dataset} takes {low} to {high} classes, got {self.classes}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise PlaygroundError(f"seed must be a whole number from 0 to {MAX_SEED}, got {self.seed!r}")
        if not isinstance(self.device, str) or not _valid_device_name(self.device):
            raise PlaygroundError(f"unknown device '{self.device}'; use auto, cpu, cuda, cuda:N or mps")
        if not all(isinstance(v, bool) for v in (self.decay_biases, self.augment, self.mix_my_digits,
                                                  self.mix_pen_digits)):
            raise PlaygroundError("decay_biases, augment, mix_my_digits and mix_pen_digits must be true or false")
        if self.mix_pen_digits and self.dataset not in PEN_MIXABLE:
            raise PlaygroundError(f"real pen digits can be mixed into {' or '.join(PEN_MIXABLE)} only, not "
                                  f"{self.dataset}")
        if self.mix_my_digits and self.dataset not in MIXABLE_DATASETS:
            raise PlaygroundError(f"my digits can be mixed into {' or '.join(MIXABLE_DATASETS)} only, not "
                                  f"{self.dataset}")

    # --- derived -------------------------------------------------------------------------------
    def replace(self, **changes: Any) -> "TrainConfig":
        if "dataset" in changes:
            for name in _DEFAULTS_BY_DATASET:
                changes.setdefault(name, follow_default(name, getattr(self, name), self.dataset, changes["dataset"]))
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["hidden"] = list(self.hidden)
        d["dropout"] = list(self.dropout)
        d["features"] = list(self.features)
        return d

    def to_json(self) -> str:
        return json.dumps({"version": CONFIG_VERSION, **self.to_dict()}, indent=2)

    @classmethod
    def from_dict(cls, data: Any) -> "TrainConfig":
        if not isinstance(data, dict):
            raise PlaygroundError("a config must be a JSON object of settings")
        data = dict(data)
        version = data.pop("version", CONFIG_VERSION)
        if version != CONFIG_VERSION:
            raise PlaygroundError(f"config version {version!r} is not supported (this app reads "
                                  f"version {CONFIG_VERSION})")
        known = {f.name: f for f in fields(cls)}
        extra = sorted(set(data) - set(known))
        if extra:
            raise PlaygroundError(f"unknown config field(s): {', '.join(extra)}")
        kwargs = {name: _coerce(name, value, known[name].type) for name, value in data.items()}
        return cls(**kwargs)

    @classmethod
    def from_json(cls, text: str) -> "TrainConfig":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise PlaygroundError(f"config is not valid JSON: {exc}") from None
        return cls.from_dict(data)

    @classmethod
    def load(cls, path: str | Path) -> "TrainConfig":
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise PlaygroundError(f"cannot read config {path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError:
            raise PlaygroundError(f"config {path} is not a text file") from None
        try:
            return cls.from_json(text)
        except PlaygroundError as exc:
            raise PlaygroundError(f"{path}: {exc}") from None

    def save(self, path: str | Path) -> None:
        from playground.engine.files import atomic_write_bytes
        atomic_write_bytes(Path(path), self.to_json().encode("utf-8"))


def _is_real(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _positive_int(x: Any, what: str, most: int | None = None) -> None:
    if isinstance(x, bool) or not isinstance(x, int) or x < 1:
        raise PlaygroundError(f"{what} must be a whole number >= 1, got {x!r}")
    if most is not None and x > most:
        raise PlaygroundError(f"{what} must be at most {most:,}, got {x:,}")


def _valid_device_name(name: str) -> bool:
    if name in ("auto", "cpu", "cuda", "mps"):
        return True
    return name.startswith("cuda:") and name[5:].isdigit()


_TYPE_NAMES = {"str": str, "int": int, "float": float, "bool": bool}


def _coerce(name: str, value: Any, type_str: Any) -> Any:
    """Check a JSON value against the field's declared type; ints are accepted where floats are."""
    t = str(type_str)
    if t.startswith("tuple"):
        inner = float if "float" in t else str if "str" in t else int
        if not isinstance(value, list):
            raise PlaygroundError(f"config field '{name}' must be a list, got {type(value).__name__}")
        return tuple(_coerce(name, v, inner.__name__) for v in value)
    if t == "str | None":
        if value is None:
            return None
        t = "str"
    expected = _TYPE_NAMES.get(t, type_str if isinstance(type_str, type) else None)
    if expected is float and _is_real(value):
        return float(value)
    if expected is int and isinstance(value, float) and value.is_integer():
        return int(value)
    if expected is not None and (not isinstance(value, expected) or
                                 (expected is not bool and isinstance(value, bool))):
        raise PlaygroundError(f"config field '{name}' must be {t}, got {json.dumps(value)}")
    return value
