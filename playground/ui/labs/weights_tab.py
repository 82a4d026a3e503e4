"""The Weights tab: the first layer's weights as images, one 28x28 tile per hidden unit, updated live."""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from playground.engine.app_model import AppModel
from playground.engine.inspect.snapshot import WeightSnapshot
from playground.engine.inspect.weight_images import MAX_TILES, tile_at, weight_mosaic
from playground.ui import theme
from playground.ui.sign_colours import NEGATIVE, POSITIVE, SIGN_LEGEND

REFRESH_MS = 500   # weights change slowly to the eye; a snapshot twice a second costs the trainer nothing
GAP_COLOUR = np.array([110, 110, 110], dtype=np.float32)


def diverging_rgb(mosaic: np.ndarray) -> np.ndarray:
    """[-1, 1] values (NaN for gaps) -> (W, H, 3) uint8 for an ImageItem: orange (negative) - white - blue
    (positive), the convention of every tab."""
    v = np.nan_to_num(mosaic, nan=0.0)[..., None]
    white = np.float32(255)
    rgb = np.where(v >= 0, white + (POSITIVE - white) * v, white + (NEGATIVE - white) * -v)
    rgb[np.isnan(mosaic)] = GAP_COLOUR
    return np.ascontiguousarray(rgb.transpose(1, 0, 2)).astype(np.uint8)


class WeightsTab(QWidget):
    def __init__(self, model: AppModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("weightsTab")
        self.model = model
        self._version = -1   # the snapshot version on screen
        self.note = QLabel()
        self.note.setObjectName("weightsNote")
        self.note.setWordWrap(True)
        self.delta = QCheckBox("show what training changed (weights minus their values when the run began)")
        self.delta.setObjectName("weightDeltaCheck")
        self.delta.setToolTip("Random initial weights look like noise and can hide what the units learned. "
                              "Subtracting them leaves only the change made by training: the strokes and blobs "
                              "each unit has come to look for.")
        self.delta.setChecked(True)
        self.delta.toggled.connect(lambda _on: self.refresh())
        self.hover = QLabel("")
        self.hover.setObjectName("weightsHover")
        self.view = pg.GraphicsLayoutWidget()
        self.view.setObjectName("weightImages")
        self.view.setBackground(theme.plot_background())
        self.view.setToolTip("Each tile is one first-layer unit's incoming weights, laid out like the input image. "
                             "Blue (a positive weight): ink there excites the unit; orange (negative): ink there "
                             "inhibits it. Each tile is scaled to "
                             "three of its own standard deviations.")
        self.box = self.view.addViewBox(lockAspect=True, invertY=True, enableMouse=True)
        self.image = pg.ImageItem()
        self.box.addItem(self.image)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.delta)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.hover)
        self.units = 0
        self.shape = (28, 28)
        self.weights: np.ndarray | None = None
        self._stale = True
        self._proxy = pg.SignalProxy(self.view.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        model.events.model_changed.connect(lambda facts: self.model_changed())
        self.refresh()

    def model_changed(self) -> None:
        """A new, reset or loaded model: redraw when next visible."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            snapshot = self.model.snapshot()
            if self._stale or (snapshot is not None and snapshot.version != self._version):
                self.refresh(snapshot)

    def refresh(self, snapshot: WeightSnapshot | None = None) -> None:
        self._stale = False
        found = snapshot or self.model.snapshot()
        self._version = found.version if found is not None else -1
        if found is None:
            self._show_nothing("Train a model on an image dataset: each tile here will show what one unit of the "
                               "first hidden layer looks for, changing as it learns.")
            return
        weights, kind, hidden = found.first_layer(MAX_TILES), found.facts.kind, found.facts.hidden
        all_units = found.layers[0][0].shape[0] if found.layers else 0
        if self.delta.isChecked() and found.initial_first.shape == weights.shape:
            weights = weights - found.initial_first
        side = int(round(math.sqrt(weights.shape[1]))) if weights.size else 0
        if kind != "image" or side == 0 or side * side != weights.shape[1]:
            self._show_nothing("Weight images are drawn for image datasets. For the 2-D sets, watch the Decision "
                               "boundary tab instead.")
            return
        self.shape = (side, side)
        mosaic, self.units = weight_mosaic(weights, self.shape)
        self.weights = weights
        first = self.image.image is None
        self.image.setImage(diverging_rgb(mosaic), autoLevels=False, levels=(0, 255))
        if first:
            self.box.autoRange(padding=0.01)
        shown = f"showing the first {self.units} of {all_units}" if all_units > self.units else \
            f"all {self.units}"
        if hidden:
            self.note.setText(f"First hidden layer, {shown} units: each tile is one unit's {side}x{side} incoming "
                              f"weights: {SIGN_LEGEND} (blue: ink there excites the unit; orange: it inhibits it). Random "
                              f"initial weights look like speckle, so by default only the change made by training "
                              f"is drawn: untick the box to see the weights themselves.")
        else:
            self.note.setText(f"No hidden layer: these are the {self.units} class templates of a linear "
                              f"classifier (softmax regression). Each class's score is its template dotted with "
                              f"the image.")

    def _show_nothing(self, message: str) -> None:
        self.image.clear()
        self.units = 0
        self.weights = None
        self.note.setText(message)

    def _on_mouse(self, event) -> None:
        if self.weights is None:
            return
        point = self.box.mapSceneToView(event[0])
        unit = tile_at(int(math.floor(point.y())), int(math.floor(point.x())), self.units, self.shape)
        if unit is None:
            self.hover.setText("")
            return
        w = self.weights[unit]
        what = "change of weights" if self.delta.isChecked() else "weights"
        self.hover.setText(f"unit {unit + 1}: {what} from {w.min():+.3f} to {w.max():+.3f}, mean {w.mean():+.4f}")

