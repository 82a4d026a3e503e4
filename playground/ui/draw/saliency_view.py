"""Why this prediction: an attribution map over the 28x28 the network sees, for the predicted or a chosen class.

The engine computes it (integrated gradients from a blank canvas) on a worker thread; this widget only asks
and shows. A new drawing while one map is being computed is remembered and computed next.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.engine.inspect.network_probe import Saliency, saliency
from playground.ui import theme
from playground.ui.network.network_scene import DIVERGING
from playground.ui.network.network_source import NetworkSource
from playground.ui.job_runner import JobRunner

PREDICTED = "the predicted class"


class SaliencyView(QWidget):
    def __init__(self, source: NetworkSource, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("saliencyMap")
        self.source = source
        self.setToolTip("Which pixels of what the network sees pushed it towards the class (blue) and which "
                        "pushed against it (orange): each pixel's share of the change in the class's "
                        "log-probability between a blank canvas and your drawing (integrated gradients). Pick "
                        "another class to ask 'why not a 7?'.")
        self.picker = QComboBox()
        self.picker.setObjectName("saliencyClass")
        self.picker.setToolTip("The class to explain. 'The predicted class' follows the prediction; pick another "
                               "to see which strokes argue against it and where ink is missing.")
        self.picker.addItem(PREDICTED)
        self.caption = QLabel("why this prediction: draw a digit")
        self.caption.setObjectName("saliencyCaption")
        self.caption.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setFixedSize(180, 180)
        self.graphics.setBackground(theme.plot_background())
        self.box = self.graphics.addViewBox(lockAspect=True, invertY=True, enableMouse=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.box.addItem(self.image)
        top = QHBoxLayout()
        top.addWidget(QLabel("why:"))
        top.addWidget(self.picker, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.graphics)
        layout.addWidget(self.caption)
        self.current: Saliency | None = None
        self._digit: np.ndarray | None = None
        self._class_names: list[str] = []
        self._dirty = False
        self.runner = JobRunner(self, one_thread=True, name="attribution map")
        self.runner.finished.connect(lambda: self._dirty and self._request())   # a drawing that came meanwhile
        self.picker.currentIndexChanged.connect(lambda _i: self._request())

    def set_input(self, digit: np.ndarray | None, class_names: list[str]) -> None:
        """The 28x28 uint8 image the network sees (None when the canvas is cleared)."""
        if list(class_names) != self._class_names:
            self._class_names = list(class_names)
            self.picker.blockSignals(True)
            self.picker.clear()
            self.picker.addItem(PREDICTED)
            self.picker.addItems(self._class_names)
            self.picker.blockSignals(False)
        self._digit = None if digit is None else np.asarray(digit, dtype=np.uint8)
        if self._digit is None:
            self.current = None
            self.image.clear()
            self.caption.setText("why this prediction: draw a digit")
            return
        self._request()

    def shutdown(self, timeout_ms: int | None = None) -> bool:
        """Forget the drawing and join a map being computed (closing the window); after timeout_ms it is let
        go (see JobRunner.shutdown)."""
        self._digit, self._dirty = None, False
        return self.runner.shutdown(timeout_ms)

    def _request(self) -> None:
        if self._digit is None:
            return
        if self.runner.busy:
            self._dirty = True
            return
        self._dirty = False
        digit, choice = self._digit, self.picker.currentIndex()
        target = None if choice <= 0 else choice - 1
        source = self.source

        def job() -> Saliency | None:
            weights = source.snapshot()
            if weights is None or weights.sizes[0] != digit.size:
                return None
            return saliency(weights, digit, target)
        self.runner.call(job, self._show, self.caption.setText)

    def _show(self, result: Saliency | None) -> None:
        if result is None or self._digit is None:
            return
        self.current = result
        scale = float(np.abs(result.attribution).max()) or 1.0
        self.image.setImage(result.attribution, levels=(-scale, scale), lut=DIVERGING)
        self.box.autoRange(padding=0)
        names = self._class_names
        name = names[result.target] if result.target < len(names) else str(result.target)
        self.caption.setText(f"why '{name}' ({result.probabilities[result.target]:.0%}): blue pixels pushed towards "
                             f"it, orange against it")
