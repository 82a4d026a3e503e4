"""Where the Network view and the attribution map get their weights, facts and test inputs.

This adapter is the one place those views touch the session: it copies the current model's Linear layers
under the trainer's weights lock (on the caller's thread: the views call `snapshot` from their worker thread)
and numbers each distinct state of the weights. Views hold no live tensor.
"""
from __future__ import annotations

import threading
from contextlib import nullcontext
from dataclasses import dataclass

import numpy as np

from ..engine.boundary import plane_extent
from ..engine.network_probe import NetWeights, weights_of

DEFAULT_EXTENT = (-3.0, 3.0, -3.0, 3.0)


@dataclass(frozen=True)
class ModelFacts:
    kind: str                      # "image" or "points"
    class_names: tuple[str, ...]
    extent: tuple[float, float, float, float] | None   # the plane the 2-D heatmaps cover
    test_x: object | None          # the test split's raw samples (uint8 images), or None
    test_y: object | None


class NetworkSource:
    def __init__(self, session) -> None:
        self.session = session
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._version = 0
        self._extents: dict[int, tuple[float, float, float, float]] = {}

    def _current(self):
        """(model, lock, config) of the trainer or the loaded model, or None."""
        trainer, loaded = self.session.trainer, self.session.loaded
        if trainer is not None:
            return trainer.model, trainer.weights_lock, trainer.config, trainer.global_step
        if loaded is not None:
            return loaded.model, nullcontext(), loaded.config, len(loaded.metrics)
        return None

    def version(self) -> int | None:
        """A number that changes whenever the weights may have changed; None when there is no model."""
        current = self._current()
        if current is None:
            return None
        model, _lock, _config, step = current
        key = (id(model), step, getattr(self.session, "parameter_edits", 0))
        with self._lock:
            if key != self._key:
                self._key, self._version = key, self._version + 1
            return self._version

    def facts(self) -> ModelFacts | None:
        trainer, loaded = self.session.trainer, self.session.loaded
        if trainer is not None:
            d = trainer.dataset
            extent = None
            if d.kind == "points":
                if id(d) not in self._extents:
                    self._extents = {id(d): plane_extent(d.test_x if d.train_x is None else d.train_x)}
                extent = self._extents[id(d)]
            return ModelFacts(d.kind, tuple(d.class_names), extent, d.test_x, d.test_y)
        if loaded is not None:
            return ModelFacts(loaded.kind, tuple(loaded.class_names),
                              DEFAULT_EXTENT if loaded.kind == "points" else None, None, None)
        return None

    def snapshot(self, version: int = 0) -> NetWeights | None:
        """A copy of the current weights (thread-safe: taken under the weights lock)."""
        current = self._current()
        if current is None:
            return None
        model, lock, config, _step = current
        with lock:
            return weights_of(model, config.activation, config.output_activation, version)

    def test_image(self, index: int) -> tuple[np.ndarray, int] | None:
        """Test example `index` (wrapped around) as a 28x28 uint8 image and its label."""
        facts = self.facts()
        if facts is None or facts.kind != "image" or facts.test_x is None or len(facts.test_x) == 0:
            return None
        index %= len(facts.test_x)
        return facts.test_x[index].numpy().astype(np.uint8), int(facts.test_y[index])

    def set_parameter(self, layer: int, unit: int, source: int | None, value: float) -> None:
        """Edit one weight or bias through the session (raises PlaygroundError when refused)."""
        self.session.set_parameter(layer, unit, source, value)
