"""The Training tab: live loss and accuracy curves, streamed the way pyqtgraph's scrolling examples do.

Every curve is created once; new points go into preallocated numpy buffers (doubled when full) and a
30 Hz timer calls setData on the filled slice only when something changed.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from ..engine.records import EpochRecord

REFRESH_MS = 100  # 10 Hz: smooth enough for curves, and light on the GIL the training thread needs
COLOURS = {"step": (150, 170, 200), "smooth": (31, 119, 180), "train": (255, 127, 14), "test": (44, 160, 44)}


class Series:
    """A growing (x, y) buffer."""

    def __init__(self, capacity: int = 1024) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self.x):
            self.x = np.concatenate([self.x, np.empty_like(self.x)])
            self.y = np.concatenate([self.y, np.empty_like(self.y)])
        self.x[self.n], self.y[self.n] = x, y
        self.n += 1

    def clear(self) -> None:
        self.n = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[:self.n], self.y[:self.n]


def ema(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard-style debiased exponential moving average."""
    out = np.empty_like(values)
    acc, norm = 0.0, 0.0
    for i, v in enumerate(values):
        acc = weight * acc + (1 - weight) * v
        norm = weight * norm + (1 - weight)
        out[i] = acc / norm
    return out


def _plot(name: str, left: str, legend_offset: tuple[int, int] = (-10, 10)) -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setObjectName(name)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", left)
    plot.addLegend(offset=legend_offset)
    plot.setMouseEnabled(x=True, y=False)
    for axis in ("left", "bottom"):
        item = plot.getAxis(axis)
        item.enableAutoSIPrefix(False)  # "epoch (x0.001)" confuses more than it helps
        # Axes (and their grid lines) are cached as pixmaps: repainting them on every curve update
        # costs milliseconds of GIL time that the training thread would otherwise use.
        item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    plot.disableAutoRange()
    return plot


def _curve(plot: pg.PlotWidget, name: str, colour, width: float = 1, symbol: str | None = None) -> pg.PlotDataItem:
    curve = plot.plot(name=name, pen=pg.mkPen(colour, width=width),
                      symbol=symbol, symbolSize=6, symbolBrush=colour, symbolPen=None)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    return curve


class TrainingPlots(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.loss_plot = _plot("lossPlot", "loss")
        self.accuracy_plot = _plot("accuracyPlot", "accuracy", legend_offset=(-10, -10))
        self.accuracy_plot.setLimits(yMin=-0.02, yMax=1.02)
        self.accuracy_plot.setYRange(0, 1.0, padding=0.0)
        why = ("Train figures are averaged over the epoch's batches while the network trains (dropout and "
               "augmentation active), as the tutorials report them; test figures are measured after the epoch "
               "with the network in evaluation mode. So train can sit below test.")
        self.loss_plot.setToolTip(why)
        self.accuracy_plot.setToolTip(why)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.step_loss = Series(4096)
        self.train_loss, self.test_loss = Series(), Series()
        self.train_acc, self.test_acc = Series(), Series()
        self.curves = {
            "step": _curve(self.loss_plot, "batch loss", COLOURS["step"]),
            "smooth": _curve(self.loss_plot, "smoothed", COLOURS["smooth"], 2),
            "train_loss": _curve(self.loss_plot, "train (epoch)", COLOURS["train"], 2, "o"),
            "test_loss": _curve(self.loss_plot, "test (epoch)", COLOURS["test"], 2, "s"),
            "train_acc": _curve(self.accuracy_plot, "train", COLOURS["train"], 2, "o"),
            "test_acc": _curve(self.accuracy_plot, "test", COLOURS["test"], 2, "s"),
        }
        self._smoothed = np.empty(0)
        self._acc = self._norm = 0.0      # running state of the smoothing
        self._dirty = False
        self._loss_top = 0.0
        self._epochs = 1
        self._drawn: dict[str, int] = {}   # points each curve was last drawn with

        self.log_check = QCheckBox("log-scale loss")
        self.log_check.setObjectName("logLossCheck")
        self.log_check.setToolTip("Show the loss on a logarithmic axis: late, small improvements become "
                                  "visible, and exponential decay looks like a straight line.")
        self.log_check.toggled.connect(self._on_log_toggled)
        self.smoothing = QSlider(Qt.Horizontal)
        self.smoothing.setObjectName("smoothingSlider")
        self.smoothing.setRange(0, 99)
        self.smoothing.setValue(80)
        self.smoothing.setMaximumWidth(180)
        self.smoothing.setToolTip("Smoothing of the batch loss (exponential moving average). Batch losses are "
                                  "noisy because each batch is a small random sample; smoothing shows the trend.")
        self.smoothing.valueChanged.connect(self._resmooth)
        self.hover = QLabel("hover over a plot to read values")
        self.hover.setObjectName("hoverLabel")
        self.hover.setTextInteractionFlags(Qt.TextSelectableByMouse)

        controls = QHBoxLayout()
        controls.addWidget(self.log_check)
        controls.addSpacing(16)
        controls.addWidget(QLabel("smoothing"))
        controls.addWidget(self.smoothing)
        controls.addSpacing(16)
        controls.addWidget(self.hover, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)

        self._proxies = [pg.SignalProxy(p.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse(p))
                         for p in (self.loss_plot, self.accuracy_plot)]
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    # --- push API ----------------------------------------------------------------------------
    def add_step(self, epoch_position: float, loss: float) -> None:
        self.step_loss.append(epoch_position, loss)
        w = self.smoothing.value() / 100
        if len(self._smoothed) < self.step_loss.n:
            self._smoothed = np.concatenate([self._smoothed, np.empty(max(1024, len(self._smoothed)))])
        self._acc = w * self._acc + (1 - w) * loss
        self._norm = w * self._norm + (1 - w)
        self._smoothed[self.step_loss.n - 1] = self._acc / self._norm
        self._dirty = True

    def add_epoch(self, record: EpochRecord) -> None:
        self.train_loss.append(record.epoch, record.train_loss)
        self.test_loss.append(record.epoch, record.test_loss)
        self.train_acc.append(record.epoch, record.train_accuracy)
        self.test_acc.append(record.epoch, record.test_accuracy)
        self._dirty = True

    def set_epochs(self, epochs: int) -> None:
        """Fix the x axis to the whole run, so it does not rescale (and repaint) on every update."""
        self._epochs = max(1, epochs)
        self.loss_plot.setXRange(0, self._epochs, padding=0.02)

    def _fit_loss_range(self) -> None:
        """Loss axis from 0 to the largest loss seen; it changes only when a new maximum arrives."""
        if self.log_check.isChecked():
            self.loss_plot.enableAutoRange(axis="y")
            return
        peak = max([s.data()[1].max() for s in (self.step_loss, self.train_loss, self.test_loss) if s.n] or [1.0])
        if not np.isfinite(peak):
            return
        if peak > self._loss_top or peak < 0.5 * self._loss_top:
            self._loss_top = peak * 1.1
            self.loss_plot.setYRange(0, self._loss_top, padding=0)

    def reset(self) -> None:
        for s in (self.step_loss, self.train_loss, self.test_loss, self.train_acc, self.test_acc):
            s.clear()
        self._acc = self._norm = 0.0
        self._dirty = True
        self._loss_top = 0.0
        self._drawn.clear()
        self.refresh()

    # --- drawing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._dirty:
            return
        self._dirty = False
        x, y = self.step_loss.data()
        if len(x) != self._drawn.get("step"):
            self.curves["step"].setData(x, y)
            self.curves["smooth"].setData(x, self._smoothed[:len(x)])
            self._drawn["step"] = len(x)
        for key, series in (("train_loss", self.train_loss), ("test_loss", self.test_loss),
                            ("train_acc", self.train_acc), ("test_acc", self.test_acc)):
            if series.n != self._drawn.get(key):  # epoch curves change once an epoch
                self.curves[key].setData(*series.data())
                self._drawn[key] = series.n
        self._fit_loss_range()
        last = max([s.data()[0][-1] for s in (self.step_loss, self.train_loss) if s.n] or [0.0])
        if last > self._epochs:  # training went on past the planned epochs (continued runs)
            self.set_epochs(int(np.ceil(last)))

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(False, on)
        self._loss_top = 0.0
        if not on:
            self.loss_plot.disableAutoRange(axis="y")
        self._dirty = True

    def _resmooth(self) -> None:
        _, y = self.step_loss.data()
        if len(y):
            w = self.smoothing.value() / 100
            self._smoothed = np.concatenate([ema(y, w), np.empty(len(y))])
            # carry the running state on so new points continue this smoothing
            self._norm = 1 - w ** len(y)
            self._acc = self._smoothed[len(y) - 1] * self._norm
        self._drawn.pop("step", None)
        self._dirty = True

    def _on_mouse(self, plot: pg.PlotWidget):
        def handler(event) -> None:
            pos = event[0]
            item = plot.getPlotItem()
            if not item.sceneBoundingRect().contains(pos):
                return
            point = item.vb.mapSceneToView(pos)
            x = point.x()
            parts = [f"epoch {x:.2f}"]
            pairs = ([("batch", self.step_loss), ("train", self.train_loss), ("test", self.test_loss)]
                     if plot is self.loss_plot else [("train acc", self.train_acc), ("test acc", self.test_acc)])
            for label, series in pairs:
                xs, ys = series.data()
                if len(xs):
                    i = int(np.clip(np.searchsorted(xs, x), 0, len(xs) - 1))
                    if i > 0 and abs(xs[i - 1] - x) < abs(xs[i] - x):
                        i -= 1
                    parts.append(f"{label} {ys[i]:.4f} @ {xs[i]:.2f}")
            self.hover.setText("   ".join(parts))
        return handler
