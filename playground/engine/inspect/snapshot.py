"""Weight snapshots: one thread-safe way for views to see the current weights.

A `WeightSource` watches one live model. `snapshot()` returns a `WeightSnapshot`: numpy copies of every
parameter and a version number that grows with every new copy. The copy is taken under the trainer's
weights lock (a device-side clone, so the lock is held for about one memcpy of the weights), only when the
weights changed since the last copy, and at most `max_hz` times a second while they keep changing, so
views polling it never hold up the training steps. Views never hold a live tensor.
"""
from __future__ import annotations

import itertools
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.train.evaluation import predict_proba
from playground.engine.model import build_model

MAX_HZ = 10.0
_VERSIONS = itertools.count(1)


@dataclass(frozen=True)
class ModelFacts:
    """What a view needs to know about the current model besides its weights."""
    config: TrainConfig
    kind: str                       # "image" or "points"
    class_names: tuple[str, ...]
    input_shape: tuple[int, ...]    # one sample: (28, 28) or (2,)
    n_inputs: int

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def hidden(self) -> bool:
        """False for softmax regression: the first layer is the output layer."""
        return bool(self.config.hidden)


@dataclass(frozen=True)
class WeightSnapshot:
    version: int                        # larger for every newer copy, whatever model it came from
    facts: ModelFacts
    state: dict[str, np.ndarray]        # the model's state_dict as float32 numpy copies
    initial_first: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), np.float32))
    # the first layer's leading weight rows when the run began (to show what training changed)

    @property
    def layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """(W (out, in), b (out,)) per Linear layer, input to output."""
        names = [k[:-len(".weight")] for k in self.state if k.endswith(".weight")]
        return [(self.state[n + ".weight"], self.state[n + ".bias"]) for n in names]

    @property
    def activation(self) -> str:
        return self.facts.config.activation

    def first_layer(self, max_units: int | None = None) -> np.ndarray:
        layers = self.layers
        return layers[0][0][:max_units] if layers else np.zeros((0, 0), np.float32)


class WeightSource:
    """Consistent copies of one model's weights at a bounded rate (see the module docstring)."""

    def __init__(self, model: nn.Module, facts: ModelFacts, lock: threading.Lock | None = None,
                 version: Callable[[], int] = lambda: 0, initial_first: np.ndarray | None = None,
                 max_hz: float = MAX_HZ) -> None:
        self._model = model
        self.facts = facts
        self._lock = lock
        self._version = version
        self._initial = initial_first if initial_first is not None else np.zeros((0, 0), np.float32)
        self.max_hz = max_hz
        self._guard = threading.Lock()   # one copy at a time, whoever asks
        self._cached: WeightSnapshot | None = None
        self._copied_version = -1
        self._copied_at = 0.0
        self.lock_seconds = 0.0          # how long the last copy held the weights lock (for bench/)

    def snapshot(self, limit_rate: bool = True) -> WeightSnapshot:
        """The newest copy; a new one is taken when the weights changed and (with limit_rate) the last copy
        is older than 1/max_hz seconds."""
        with self._guard:
            cached = self._cached
            if cached is not None:
                unchanged = self._version() == self._copied_version
                too_soon = limit_rate and time.monotonic() - self._copied_at < 1.0 / self.max_hz
                if unchanged or too_soon:
                    return cached
            with self._lock if self._lock is not None else nullcontext():
                start = time.perf_counter()
                version = self._version()
                with torch.no_grad():
                    tensors = {k: t.detach().clone() for k, t in self._model.state_dict().items()}
                self.lock_seconds = time.perf_counter() - start
            state = {k: t.float().cpu().numpy() for k, t in tensors.items()}
            self._cached = WeightSnapshot(next(_VERSIONS), self.facts, state, self._initial)
            self._copied_version, self._copied_at = version, time.monotonic()
            return self._cached


class SnapshotPredictor:
    """Predictions from a snapshot, on the CPU, off the live model: one copy of the network per model, loaded
    with each new snapshot version."""

    def __init__(self) -> None:
        self._version = -1
        self._facts: ModelFacts | None = None
        self._model: nn.Sequential | None = None

    def predict_proba(self, snapshot: WeightSnapshot, x: torch.Tensor) -> torch.Tensor:
        f = snapshot.facts
        if f is not self._facts or self._model is None:
            # built on the meta device: no initialisation, so no draw from the global RNG that dropout uses
            with torch.device("meta"):
                model = build_model(f.config, f.n_inputs, f.n_classes, torch.Generator())
            self._model, self._facts, self._version = model.to_empty(device="cpu").eval(), f, -1
        if snapshot.version != self._version:
            self._model.load_state_dict({k: torch.from_numpy(v) for k, v in snapshot.state.items()})
            self._version = snapshot.version
        return predict_proba(self._model, x)
