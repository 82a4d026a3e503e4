"""The Decision boundary tab: predicted class over the plane, with the data points on top (2-D sets)."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from playground.engine.inspect.boundary import BoundaryRecord
from playground.ui import theme
from playground.ui.buttons import button
from playground.ui.sign_colours import NEGATIVE, POSITIVE

REPLAY_MS = 160       # "Watch it form": about six epochs a second, slow enough to follow the boundary bend
MAX_FRAMES = 600      # boundaries kept for stepping back (about 30 kB each)
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
        self._add_legend()
        self.epoch_slider = QSlider(Qt.Horizontal)
        self.epoch_slider.setObjectName("boundaryEpochSlider")
        self.epoch_slider.setToolTip("Step through the epochs of the run: the boundary as it was after each one. "
                                     "Drag it back to the start and forward again to see the network bend the "
                                     "plane; it follows the newest epoch again at the right end.")
        self.epoch_slider.setEnabled(False)
        self.epoch_label = QLabel("")
        self.epoch_label.setObjectName("boundaryEpochLabel")
        self.replay_button = button("boundaryReplayButton", "Watch it form",
                                    "Replay the run's boundary epoch by epoch at a pace the eye can follow (about "
                                    "6 epochs a second), however fast it trained. Press again to stop.")
        self.replay_button.setCheckable(True)
        self.replay_button.setEnabled(False)
        steps = QHBoxLayout()
        steps.addWidget(self.replay_button)
        steps.addWidget(self.epoch_slider, 1)
        steps.addWidget(self.epoch_label)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.plot, 1)
        layout.addLayout(steps)
        self.frames: list[tuple[int, np.ndarray, QRectF]] = []   # (epoch, image, rect) per boundary shown
        self.replay = QTimer(self)
        self.replay.setInterval(REPLAY_MS)
        self.replay.timeout.connect(self._replay_step)
        self.epoch_slider.valueChanged.connect(self._show_frame)
        self.replay_button.toggled.connect(self._toggle_replay)
        self.last: BoundaryRecord | None = None
        self._scale = 1.0      # |target| that gets the full colour, for regression sets
        self.set_points(None)

    def _add_legend(self) -> None:
        """What the marks mean: circles are training points, squares test points (the theme recolours it)."""
        colours = theme.current()
        self.legend = pg.LegendItem(offset=(10, 10), brush=pg.mkBrush(theme._rgba(colours.legend_bg)),
                                    pen=pg.mkPen(colours.legend_border), labelTextColor=colours.text)
        self.legend.setParentItem(self.plot.getPlotItem().vb)
        grey = pg.mkBrush(150, 150, 150)
        self.legend.addItem(pg.ScatterPlotItem(symbol="o", size=6, brush=grey, pen=pg.mkPen(None)),
                            "training points")
        self.legend.addItem(pg.ScatterPlotItem(symbol="s", size=7, brush=grey, pen=pg.mkPen("k", width=1)),
                            "test points")
        self.legend.setVisible(False)

    def set_points(self, dataset) -> None:
        """Show a 2-D dataset's points (or explain that the view is for 2-D sets)."""
        self.image.clear()
        self.last = None
        self._clear_frames()
        self.legend.setVisible(dataset is not None and dataset.kind == "points")
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
        following = not self.frames or self.epoch_slider.value() == len(self.frames) - 1
        if self.frames and self.frames[-1][0] == record.epoch:
            self.frames[-1] = (record.epoch, image, QRectF(x0, y0, x1 - x0, y1 - y0))
        else:
            self.frames.append((record.epoch, image, QRectF(x0, y0, x1 - x0, y1 - y0)))
        if len(self.frames) > MAX_FRAMES:     # a very long run keeps every other epoch of its first half
            half = len(self.frames) // 2
            self.frames = self.frames[:half:2] + self.frames[half:]
        self.epoch_slider.blockSignals(True)
        self.epoch_slider.setRange(0, len(self.frames) - 1)
        self.epoch_slider.blockSignals(False)
        self.epoch_slider.setEnabled(len(self.frames) > 1)
        self.replay_button.setEnabled(len(self.frames) > 1)
        if following and not self.replay.isActive():
            self.epoch_slider.blockSignals(True)
            self.epoch_slider.setValue(len(self.frames) - 1)
            self.epoch_slider.blockSignals(False)
            self._show_frame(len(self.frames) - 1)

    # --- stepping through the epochs -------------------------------------------------------------------
    def _clear_frames(self) -> None:
        self.replay_button.setChecked(False)
        self.frames = []
        self.epoch_slider.setRange(0, 0)
        self.epoch_slider.setEnabled(False)
        self.replay_button.setEnabled(False)
        self.epoch_label.setText("")

    def _show_frame(self, index: int) -> None:
        if not 0 <= index < len(self.frames):
            return
        epoch, image, rect = self.frames[index]
        self.image.setImage(image, autoLevels=False, levels=(0, 255))
        self.image.setRect(rect)
        self.epoch_label.setText(f"epoch {epoch}")
        self.note.setText(f"epoch {epoch}: the coloured background is the network's prediction.")

    def _toggle_replay(self, on: bool) -> None:
        if on and len(self.frames) > 1:
            self.epoch_slider.setValue(0)
            self.replay.start()
            self.replay_button.setText("Stop")
        else:
            self.replay.stop()
            self.replay_button.setText("Watch it form")

    def _replay_step(self) -> None:
        value = self.epoch_slider.value() + 1
        self.epoch_slider.setValue(min(value, len(self.frames) - 1))
        if value >= len(self.frames) - 1:
            self.replay_button.setChecked(False)
