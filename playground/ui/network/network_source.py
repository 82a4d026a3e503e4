"""Where the Network view and the attribution map get their weights, facts and test inputs.

Weights come from the application model's snapshots (numpy copies with a version number; the copy is asked
for on the views' worker thread), the facts from the model, and the test split from the records that carry
it (`RunStarted`, `TestSplit`), handed over by the window. Views hold no live tensor, and edit weights only
through the session and the application model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from playground.engine.app_model import AppModel
from playground.engine.inspect.boundary import plane_extent
from playground.engine.inspect.network_probe import NetWeights

DEFAULT_EXTENT = (-3.0, 3.0, -3.0, 3.0)   # a loaded 2-D model whose data is not at hand


@dataclass(frozen=True, eq=False)
class NetworkFacts:
    kind: str                      # "image" or "points"
    class_names: tuple[str, ...]
    extent: tuple[float, float, float, float] | None   # the plane the 2-D heatmaps cover
    test_x: object | None          # the test split's raw samples (uint8 images), or None
    test_y: object | None


class NetworkSource:
    def __init__(self, model: AppModel, session=None) -> None:
        self.model = model
        self.session = session
        self._dataset = None
        self._extent: tuple[float, float, float, float] | None = None

    def on_model_changed(self, callback: Callable[[], None]) -> None:
        self.model.events.model_changed.connect(lambda _facts: callback())

    def set_dataset(self, dataset) -> None:
        """The dataset of the current model, from a RunStarted or TestSplit record (GUI thread)."""
        self._dataset = dataset
        self._extent = None
        if dataset is not None and dataset.kind == "points":
            self._extent = plane_extent(dataset.test_x if dataset.train_x is None else dataset.train_x)

    def facts(self) -> NetworkFacts | None:
        facts, d = self.model.facts, self._dataset
        if facts is None:
            return None
        if d is not None and (d.kind != facts.kind or d.n_classes != facts.n_classes):
            d = None
        if facts.kind == "points":
            return NetworkFacts("points", facts.class_names, self._extent if d is not None else DEFAULT_EXTENT,
                                None, None)
        return NetworkFacts(facts.kind, facts.class_names, None, None if d is None else d.test_x,
                            None if d is None else d.test_y)

    def snapshot(self) -> NetWeights | None:
        """The newest weight snapshot as NetWeights (any thread; the model bounds how often it copies)."""
        snap = self.model.snapshot()
        if snap is None:
            return None
        return NetWeights(tuple(snap.layers), snap.activation, snap.facts.config.output_activation, snap.version)

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
