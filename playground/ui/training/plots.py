"""Loss and accuracy curves of every run, overlaid in each run's colour, streamed the pyqtgraph way.

Each run's curves are created once. The live run's points go into growing numpy buffers (in the engine's
`Run`), and a 10 Hz timer calls setData only on curves whose point count changed; finished runs are drawn
once and then left alone.
"""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from playground.engine.runs.history import Run, RunHistory, Smoother
from playground.ui import theme

REFRESH_MS = 100  # 10 Hz: smooth enough for curves, and light on the GIL the training thread needs
PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207)]
STYLE_KEY = ("dashed line with dots: train, measured after each epoch like test · solid thick line with squares: "
             "test · plain thin line: batch loss while training (smoothed) · faint: raw batch loss of the run in "
             "progress")


def run_colour(index: int) -> QColor:
    return QColor(*PALETTE[index % len(PALETTE)])


def _plot(name: str, left: str, legend_offset: tuple[int, int]) -> pg.PlotWidget:
    plot = pg.PlotWidget(background=theme.plot_background())
    plot.setObjectName(name)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setLabel("bottom", "epoch")
    plot.setLabel("left", left)
    # a translucent box: the legend stays readable and a curve behind it still shows (drag it to move it)
    colours = theme.current()
    plot.addLegend(offset=legend_offset, brush=pg.mkBrush(theme._rgba(colours.legend_bg)),
                   pen=pg.mkPen(colours.legend_border), labelTextColor=colours.text).setVisible(False)
    plot.setMouseEnabled(x=True, y=False)
    for axis in ("left", "bottom"):
        item = plot.getAxis(axis)
        item.enableAutoSIPrefix(False)  # "epoch (x0.001)" confuses more than it helps
        # Axes (and their grid lines) are cached as pixmaps: repainting them on every curve update
        # costs milliseconds of GIL time that the training thread would otherwise use.
        item.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    plot.disableAutoRange()
    return plot


def _curve(plot: pg.PlotWidget, colour: QColor, width: float, symbol: str | None = None,
           size: int = 6, dashed: bool = False) -> pg.PlotDataItem:
    pen = pg.mkPen(colour, width=width, style=Qt.DashLine if dashed else Qt.SolidLine)
    curve = pg.PlotDataItem(pen=pen, symbol=symbol, symbolSize=size, symbolBrush=colour, symbolPen=None)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    plot.addItem(curve)
    return curve


class RunCurves:
    """The six curves of one run: raw and smoothed batch loss, train and test loss, train and test accuracy."""

    def __init__(self, loss_plot: pg.PlotWidget, accuracy_plot: pg.PlotWidget, colour: QColor,
                 smoothing: float) -> None:
        faint = QColor(colour)
        faint.setAlpha(70)
        self.plots = (loss_plot, accuracy_plot)
        self.raw = _curve(loss_plot, faint, 1)
        self.train_loss = _curve(loss_plot, colour, 1.5)        # the smoothed running batch loss
        # train and test differ by dash and marker, not only by thickness
        self.train_epoch_loss = _curve(loss_plot, colour, 1.5, "o", 5, dashed=True)
        self.test_loss = _curve(loss_plot, colour, 2.5, "s", 7)
        self.train_accuracy = _curve(accuracy_plot, colour, 1.5, "o", 5, dashed=True)
        self.test_accuracy = _curve(accuracy_plot, colour, 2.5, "s", 7)
        self.smoother = Smoother(smoothing)
        self.drawn: tuple[int, int] | None = None   # (steps, epochs) last drawn

    @property
    def items(self) -> list[pg.PlotDataItem]:
        return [self.raw, self.train_loss, self.train_epoch_loss, self.test_loss, self.train_accuracy,
                self.test_accuracy]

    def draw(self, run: Run) -> None:
        """Update the curves whose data changed: the batch-loss curves as steps arrive, the epoch curves
        (with their markers, the costlier ones) once an epoch."""
        steps, epochs = run.steps.n, len(run.epochs)
        old_steps, old_epochs = self.drawn or (-1, -1)
        if steps != old_steps and steps:
            x, y = run.steps.data()
            self.raw.setData(x, y)
            self.train_loss.setData(x, self.smoother.update(y))
        if epochs != old_epochs:
            self.train_epoch_loss.setData(*run.epoch_curve("train_loss"))
            self.test_loss.setData(*run.epoch_curve("test_loss"))
            train_column, test_column = run.score_columns   # R² instead of accuracy for a regression run
            self.train_accuracy.setData(*run.epoch_curve(train_column))
            self.test_accuracy.setData(*run.epoch_curve(test_column))
        self.drawn = (steps, epochs)

    def resmooth(self, weight: float) -> None:
        self.smoother = Smoother(weight)
        self.drawn = None

    def show(self, visible: bool, live: bool) -> None:
        for item in self.items:
            item.setVisible(visible)
        self.raw.setVisible(visible and live)

    def remove(self) -> None:
        loss_plot, accuracy_plot = self.plots
        for item in (self.raw, self.train_loss, self.train_epoch_loss, self.test_loss):
            loss_plot.removeItem(item)
        for item in (self.train_accuracy, self.test_accuracy):
            accuracy_plot.removeItem(item)


class TrainingPlots(QWidget):
    def __init__(self, history: RunHistory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingPlots")
        self.history = history
        self.loss_plot = _plot("lossPlot", "loss", (-10, 10))
        self.accuracy_plot = _plot("accuracyPlot", "accuracy", (-10, -10))
        self.accuracy_plot.setLimits(yMin=-0.02, yMax=1.02)
        self.accuracy_plot.setYRange(0, 1.0, padding=0.0)
        why = ("After each epoch the network is measured in evaluation mode (dropout off, no augmentation) on "
               "the test split and on a fixed sample of 10,000 training examples: the dots (train) and squares "
               "(test). Train usually sits at or above test; a growing gap between them is overfitting. The "
               "plain thin line is the loss of each training batch as it trains (dropout and augmentation on), "
               "smoothed by the slider. Drag a legend to move it.")
        self.loss_plot.setToolTip(why)
        self.accuracy_plot.setToolTip(why)
        self.accuracy_plot.setXLink(self.loss_plot)
        self.curves: dict[int, RunCurves] = {}
        self._peaks: dict[int, tuple[tuple[int, int], float]] = {}
        self._dirty = False
        self._loss_top = 0.0
        self._accuracy_bottom = 0.0
        self._score_label = "accuracy"
        self._planned_epochs = 1
        self._x_max = 0

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
        self.hover.setWordWrap(True)
        key = QLabel(STYLE_KEY)
        key.setObjectName("curveKeyLabel")
        key.setWordWrap(True)

        controls = QHBoxLayout()
        controls.addWidget(self.log_check)
        controls.addSpacing(16)
        controls.addWidget(QLabel("smoothing"))
        controls.addWidget(self.smoothing)
        controls.addSpacing(16)
        controls.addWidget(key, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.loss_plot, 3)
        layout.addWidget(self.accuracy_plot, 2)
        layout.addWidget(self.hover)

        self._proxies = [pg.SignalProxy(p.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse(p))
                         for p in (self.loss_plot, self.accuracy_plot)]
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.refresh()

    # --- push API ----------------------------------------------------------------------------
    def add_run(self, run: Run) -> None:
        """A run's curves are made when it is first shown (thousands of stored runs start hidden)."""
        if run.visible:
            self._make_curves(run)
        self.runs_changed()

    def _make_curves(self, run: Run) -> RunCurves:
        curves = self.curves[run.run_id] = RunCurves(self.loss_plot, self.accuracy_plot,
                                                     run_colour(self.history.index(run)),
                                                     self.smoothing.value() / 100)
        return curves

    def remove_run(self, run_id: int) -> None:
        curves = self.curves.pop(run_id, None)
        self._peaks.pop(run_id, None)
        if curves is not None:
            curves.remove()
        self.runs_changed()

    def runs_changed(self) -> None:
        """Visibility, names or the live run changed: update the legends and the axes."""
        for legend in (self.loss_plot.getPlotItem().legend, self.accuracy_plot.getPlotItem().legend):
            legend.clear()
        for run in self.history.runs:
            curves = self.curves.get(run.run_id)
            if curves is None:
                if not run.visible:
                    continue
                curves = self._make_curves(run)
            curves.show(run.visible, run is self.history.current)
            if run.visible:
                self.loss_plot.getPlotItem().legend.addItem(curves.test_loss, run.name)
                self.accuracy_plot.getPlotItem().legend.addItem(curves.test_accuracy, run.name)
        for legend in (self.loss_plot.getPlotItem().legend, self.accuracy_plot.getPlotItem().legend):
            legend.setVisible(bool(legend.items))   # no empty box in the corner of an empty plot
        self._loss_top = 0.0
        self._dirty = True
        self.refresh()

    def mark_dirty(self) -> None:
        """The live run got new points."""
        self._dirty = True

    def set_epochs(self, epochs: int) -> None:
        """Planned epochs of the run to come: the x axis covers it and every visible run."""
        self._planned_epochs = max(1, epochs)
        self._fit_x()

    # --- drawing -----------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self._dirty or not self.isVisible():   # a hidden tab's curves catch up when it is shown
            return
        self._dirty = False
        for run in self.history.visible():
            curves = self.curves.get(run.run_id)
            if curves is not None:
                curves.draw(run)
        self._fit_x()
        self._fit_loss_range()
        self._fit_accuracy_range()

    def _fit_x(self) -> None:
        """Fix the x axis to whole runs, so it does not rescale (and repaint) on every update. It follows the
        runs shown: untick a 500-epoch run and a 5-epoch one fills the axis again. With none shown, it covers
        the run to come."""
        shown = self.history.visible()
        right = 1 if shown else self._planned_epochs
        for run in shown:
            right = max(right, run.planned_epochs, int(np.ceil(run.steps.data()[0][-1])) if run.steps.n else 0)
        if right != self._x_max:
            self._x_max = right
            self.loss_plot.setXRange(0, right, padding=0.02)

    def _fit_loss_range(self) -> None:
        """Loss axis from 0 to the largest loss shown; it changes only when the maximum moves a lot."""
        if self.log_check.isChecked():
            self.loss_plot.enableAutoRange(axis="y")
            return
        peak = max((self._peak(run) for run in self.history.visible()), default=1.0)
        if peak > self._loss_top or peak < 0.5 * self._loss_top:
            self._loss_top = peak * 1.1
            self.loss_plot.setYRange(0, self._loss_top, padding=0)

    def _fit_accuracy_range(self) -> None:
        """Accuracy axis from a tenth below the lowest accuracy shown up to 1, so close runs can be told apart."""
        values = [run.epoch_curve(column)[1] for run in self.history.visible() for column in run.score_columns]
        lows = [float(np.nanmin(v)) for v in values if np.isfinite(v).any()]
        bottom = max(0.0, np.floor((min(lows, default=0.0) - 0.02) * 10) / 10)
        kinds = {run.is_regression for run in self.history.visible() if run.epochs}
        label = {frozenset({True}): "R²", frozenset({True, False}): "accuracy / R²"}.get(frozenset(kinds), "accuracy")
        if label != self._score_label:
            self._score_label = label
            self.accuracy_plot.setLabel("left", label)
        if bottom != self._accuracy_bottom:
            self._accuracy_bottom = bottom
            self.accuracy_plot.setYRange(bottom, 1.0, padding=0.02)

    def _peak(self, run: Run) -> float:
        """The largest finite loss of a run, cached until the run gets new points."""
        counts = (run.steps.n, len(run.epochs))
        cached = self._peaks.get(run.run_id)
        if cached is None or cached[0] != counts:
            values = [run.steps.data()[1], run.epoch_curve("test_loss")[1], run.epoch_curve("train_loss")[1]]
            finite = [v[np.isfinite(v)] for v in values]
            cached = (counts, max((float(v.max()) for v in finite if len(v)), default=1.0))
            self._peaks[run.run_id] = cached
        return cached[1]

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.setLogMode(False, on)
        self._loss_top = 0.0
        if not on:
            self.loss_plot.disableAutoRange(axis="y")
        self._dirty = True

    def _resmooth(self) -> None:
        for curves in self.curves.values():
            curves.resmooth(self.smoothing.value() / 100)
        self._dirty = True

    def _on_mouse(self, plot: pg.PlotWidget):
        def handler(event) -> None:
            pos = event[0]
            item = plot.getPlotItem()
            if not item.sceneBoundingRect().contains(pos):
                return
            x = item.vb.mapSceneToView(pos).x()
            parts = []
            for run in self.history.visible():
                columns = ("train_loss", "test_loss") if plot is self.loss_plot else run.score_columns
                values = []
                for column in columns:
                    xs, ys = run.epoch_curve(column)
                    if len(xs):
                        i = int(np.abs(xs - x).argmin())
                        what = column.split('_')[0] + (" R²" if column.endswith("_r2") else "")
                        values.append(f"{what} {ys[i]:.4f}")
                if values:
                    parts.append(f"{run.name} @ epoch {int(xs[i])}: {', '.join(values)}")
            self.hover.setText("   ·   ".join(parts) if parts else f"epoch {x:.2f}")
        return handler
