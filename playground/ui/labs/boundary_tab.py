"""The Decision boundary tab: predicted class over the plane, with the data points on top (2-D sets)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.engine.inspect.boundary import BoundaryRecord
from playground.ui import theme
from playground.ui.sign_colours import NEGATIVE, POSITIVE

CLASS_COLOURS = np.array([(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)],
                         dtype=np.float32)


# predicted values (a regression) on the one sign convention of every tab: blue above 0, orange below
MIDDLE = np.array((232, 234, 235), dtype=np.float32)


def value_colours(values: np.ndarray, scale: float) -> np.ndarray:
    """Values -> RGB floats (..., 3) on the diverging map, -scale orange, 0 grey, +scale blue."""
    t = np.clip(np.asarray(values, dtype=np.float32) / max(scale, 1e-9), -1, 1)[..., None]
    return np.where(t < 0, MIDDLE + (NEGATIVE - MIDDLE) * -t, MIDDLE + (POSITIVE - MIDDLE) * t)


def value_image(values: np.ndarray, scale: float) -> np.ndarray:
    """(H, W, 1) predicted values -> (W, H, 3) uint8 for pyqtgraph."""
    rgb = value_colours(values[..., 0], scale)
    return np.ascontiguousarray(rgb.transpose(1, 0, 2)).astype(np.uint8)


def boundary_image(probs: np.ndarray) -> np.ndarray:
    """(H, W, C) probabilities -> (W, H, 3) uint8 for pyqtgraph: class colours, paler where unsure."""
    colours = CLASS_COLOURS[: probs.shape[2]]
    mixed = probs @ colours
    confidence = (probs.max(2, keepdims=True) - 1 / probs.shape[2]) / (1 - 1 / probs.shape[2])
    rgb = 255 - (255 - mixed) * (0.25 + 0.5 * confidence)
    return np.ascontiguousarray(rgb.transpose(1, 0, 2)).astype(np.uint8)


class BoundaryView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boundaryTab")
        self.note = QLabel()
        self.note.setObjectName("boundaryNote")
        self.note.setWordWrap(True)
        self.plot = pg.PlotWidget(background=theme.plot_background())
        self.plot.setObjectName("decisionBoundary")
        self.plot.setAspectLocked(True)
        self.plot.setToolTip("Background: the class the network predicts at each point of the plane (paler = "
                             "less sure). Circles: training points; squares with a black edge: test points.")
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.train_points = pg.ScatterPlotItem(size=6, pen=pg.mkPen(None))
        self.test_points = pg.ScatterPlotItem(size=7, symbol="s", pen=pg.mkPen("k", width=1))
        self.plot.addItem(self.train_points)
        self.plot.addItem(self.test_points)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.plot, 1)
        self.last: BoundaryRecord | None = None
        self._scale = 1.0      # |target| that gets the full colour, for regression sets
        self.set_points(None)

    def set_points(self, dataset) -> None:
        """Show a 2-D dataset's points (or explain that the view is for 2-D sets)."""
        self.image.clear()
        self.last = None
        if dataset is None or dataset.kind != "points":
            self.train_points.clear()
            self.test_points.clear()
            self.note.setText("The decision boundary is drawn for the 2-D datasets (Moons, Circles, Spiral, XOR): "
                              "choose one and press Train to watch it form.")
            return
        regression = getattr(dataset, "is_regression", False)
        if regression:
            self._scale = float(max(dataset.train_y.abs().max(), 1e-6))
            self.note.setText(f"{dataset.name}: the background is the value the network predicts (blue above 0, "
                              f"orange below, grey 0); the points are coloured by their true value.")
        else:
            self.note.setText(f"{dataset.name}: the coloured background is the network's prediction, updated "
                              f"every epoch.")
        for item, x, y in ((self.train_points, dataset.train_x, dataset.train_y),
                           (self.test_points, dataset.test_x, dataset.test_y)):
            if regression:
                brushes = [pg.mkBrush(*map(int, c)) for c in value_colours(y.numpy(), self._scale)]
            else:
                brushes = [pg.mkBrush(*CLASS_COLOURS[int(c) % len(CLASS_COLOURS)]) for c in y.tolist()]
            item.setData(x[:, 0].numpy(), x[:, 1].numpy(), brush=brushes)

    def show_boundary(self, record: BoundaryRecord) -> None:
        self.last = record
        x0, x1, y0, y1 = record.extent
        image = value_image(record.probs, self._scale) if record.regression else boundary_image(record.probs)
        self.image.setImage(image, autoLevels=False, levels=(0, 255))
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self.note.setText(f"epoch {record.epoch}: the coloured background is the network's prediction.")
