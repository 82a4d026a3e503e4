"""The Gradients tab: the vanishing/exploding-gradient demo, and per-layer gradients streaming live."""
from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QTimer
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QGroupBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                               QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from playground.engine.config import TrainConfig
from playground.engine.inspect.gradient_demo import COMPARISON, first_last_ratio, gradient_report
from playground.engine.train.records import LayerRecord
from playground.engine.registry import ACTIVATIONS, INITS
from playground.engine.runs.history import Series
from playground.ui import theme
from playground.ui.job_runner import JobRunner

LIVE_SMOOTHING = 0.9
DEMO_COLOURS = [(214, 39, 40), (44, 160, 44), (148, 103, 189), (31, 119, 180)]
DEMO_HINT = ("Press <b>Show gradients</b> to build the stack above with fresh weights and plot how large each "
             "layer's weight gradient is after one backward pass, or <b>Compare</b> to see sigmoid + Xavier "
             "vanish beside ReLU + Kaiming. Below, the network you train shows its own gradients live.")
STATS_HEADERS = ["layer", "|dL/dW|", "activation\nmean", "activation\nstd", "saturated\n/ dead"]


def _layer_colour(i: int, n: int) -> tuple[int, int, int]:
    """Input-side layers blue, output-side red."""
    t = i / max(n - 1, 1)
    return int(40 + 200 * t), int(90 + 30 * (1 - abs(2 * t - 1))), int(220 - 190 * t)


def _log_plot(name: str, bottom: str, left: str) -> pg.PlotWidget:
    plot = pg.PlotWidget(background=theme.plot_background())
    plot.setObjectName(name)
    plot.setLogMode(False, True)
    plot.showGrid(x=True, y=True, alpha=0.25)
    plot.setLabel("bottom", bottom)
    plot.setLabel("left", left)
    return plot


class GradientsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gradientsTab")
        self.background = JobRunner(self, one_thread=True, name="gradient demo")
        self._pending: list[tuple[str, str]] = []
        self._results: list[tuple[str, list]] = []

        # --- the demo ---
        self.activation = QComboBox()
        self.activation.setObjectName("gradientActivationCombo")
        for name in ACTIVATIONS:
            self.activation.addItem(name, name)
        self.activation.setCurrentIndex(self.activation.findData("sigmoid"))
        self.activation.setToolTip("Activation of every hidden layer of the demo stack.")
        self.init = QComboBox()
        self.init.setObjectName("gradientInitCombo")
        for name in INITS:
            self.init.addItem(name, name)
        self.init.setCurrentIndex(self.init.findData("xavier-normal"))
        self.init.setToolTip("Weight initialisation of the demo stack: it sets how the signal's scale changes "
                             "from layer to layer.")
        self.depth = QSpinBox()
        self.depth.setObjectName("gradientDepthSpin")
        self.depth.setRange(1, 30)
        self.depth.setValue(8)
        self.depth.setToolTip("Number of hidden layers: the deeper, the stronger vanishing or exploding gets.")
        self.width = QSpinBox()
        self.width.setObjectName("gradientWidthSpin")
        self.width.setRange(2, 1024)
        self.width.setValue(32)
        self.width.setToolTip("Units per hidden layer.")
        self.run_button = QPushButton("Show gradients")
        self.run_button.setObjectName("gradientRunButton")
        self.run_button.setToolTip("Build the stack with fresh weights, do one forward/backward pass on a batch "
                                   "of the moons data, and plot each layer's weight-gradient norm.")
        self.compare_button = QPushButton("Compare sigmoid+Xavier / ReLU+Kaiming / ReLU+normal-1")
        self.compare_button.setObjectName("compareButton")
        self.compare_button.setToolTip("Side by side: gradients vanish through sigmoid layers, stay alive with "
                                       "ReLU and Kaiming init, and explode with weights drawn from N(0, 1).")
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Remove the demo curves.")
        self.summary = QLabel("Each curve: one fresh network; x = layer (input side left), y = |dL/dW| (log).")
        self.summary.setObjectName("gradientSummary")
        self.summary.setWordWrap(True)
        self.plot = _log_plot("gradientPlot", "layer (1 = input side)", "weight-gradient norm")
        self.legend = self.plot.addLegend(offset=(-10, -10))
        self.hint = QLabel(DEMO_HINT)
        self.hint.setObjectName("gradientDemoHint")
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.demo_area = QStackedWidget()     # the hint until there is something to plot: no empty axes
        self.demo_area.addWidget(self.hint)
        self.demo_area.addWidget(self.plot)

        # --- live during training ---
        self.live_plot = _log_plot("liveGradientPlot", "epoch", "|dL/dW|")
        self.live_plot.setTitle("per layer, smoothed: blue = input side  …  red = output side", size="9pt")
        self.live_plot.setMinimumHeight(200)
        # fewer tick labels than pyqtgraph's default: a log axis a few inches high otherwise stacks them
        self.live_plot.getAxis("left").setStyle(textFillLimits=[(0, 0.5), (2, 0.3)])
        self.live_plot.setToolTip("Weight-gradient norm of each layer during training (blue = input side, red = "
                                  "output side). In a deep sigmoid net the blue lines sit far below the red ones: "
                                  "the first layers barely learn.")
        self.stats = QTableWidget(0, 5)
        self.stats.setObjectName("activationStatsTable")
        self.stats.setHorizontalHeaderLabels(STATS_HEADERS)
        self.stats.setToolTip("Measured once an epoch on a fixed batch of training data. 'Saturated / dead' is "
                              "the fraction of units whose slope |f'| < 0.01: dead ReLUs, flat sigmoids.")
        self.stats.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        self.stats.horizontalHeader().setStretchLastSection(True)
        self.stats.setMinimumWidth(self._stats_width())
        self.stats.verticalHeader().setVisible(False)
        self._live: list[Series] = []
        self._ema: list[float] = []
        self._live_curves: list[pg.PlotDataItem] = []
        self._dirty = False
        self.timer = QTimer(self)
        self.timer.setInterval(250)
        self.timer.timeout.connect(self.refresh)
        self.timer.start()

        controls = QHBoxLayout()
        for label, w in (("activation", self.activation), ("init", self.init), ("layers", self.depth),
                         ("width", self.width)):
            controls.addWidget(QLabel(label))
            controls.addWidget(w)
        controls.addWidget(self.run_button)
        controls.addWidget(self.clear_button)
        controls.addStretch(1)
        demo = QGroupBox("Vanishing and exploding gradients at initialisation")
        demo_layout = QVBoxLayout(demo)
        demo_layout.addLayout(controls)
        demo_layout.addWidget(self.compare_button)
        demo_layout.addWidget(self.summary)
        demo_layout.addWidget(self.demo_area, 1)
        live = QGroupBox("Live: the network being trained")
        live_layout = QHBoxLayout(live)
        live_layout.addWidget(self.live_plot, 3)
        live_layout.addWidget(self.stats, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(demo, 0)
        layout.addWidget(live, 1)
        self._demo_box = demo
        self._show_demo_plot(False)
        self.run_button.clicked.connect(lambda: self.run_cases([(self.activation.currentData(),
                                                                 self.init.currentData())]))
        self.compare_button.clicked.connect(lambda: self.run_cases(list(COMPARISON), clear=True))
        self.clear_button.clicked.connect(self.clear_demo)

    # --- demo --------------------------------------------------------------------------------
    def demo_config(self, activation: str, init: str) -> TrainConfig:
        return TrainConfig(dataset="moons", hidden=(self.width.value(),) * self.depth.value(),
                           activation=activation, init=init, dropout=(0.0,), batch_size=256, device="cpu")

    def run_cases(self, cases: list[tuple[str, str]], clear: bool = False) -> None:
        if self.background.busy:
            return
        if clear:
            self.clear_demo()
        configs = [(f"{a} + {i}", self.demo_config(a, i)) for a, i in cases]
        self.run_button.setEnabled(False)
        self.compare_button.setEnabled(False)
        self.background.call(lambda: [(label, gradient_report(c)) for label, c in configs],
                              self._show_results, self._show_error)

    def _show_results(self, results: list) -> None:
        self.run_button.setEnabled(True)
        self.compare_button.setEnabled(True)
        for label, report in results:
            colour = DEMO_COLOURS[len(self._results) % len(DEMO_COLOURS)]
            x = np.arange(1, len(report) + 1)
            y = np.array([max(r.weight_grad_norm, 1e-30) for r in report])
            self.plot.plot(x, y, pen=pg.mkPen(colour, width=2), symbol="o", symbolBrush=colour, symbolSize=7,
                           name=f"{label}: first/last {first_last_ratio(report):.1e}")
            self._results.append((label, report))
        self._show_demo_plot(bool(self._results))
        ticks = [(i + 1, r.name) for i, r in enumerate(self._results[-1][1])] if self._results else []
        self.plot.getAxis("bottom").setTicks([ticks])
        self.summary.setText("first/last layer gradient ratio: " + "; ".join(
            f"{label} {first_last_ratio(r):.1e}" for label, r in self._results) +
            ".  Near 1 means every layer learns at a similar pace; far below 1, the first layers barely move.")

    def _show_error(self, message: str) -> None:
        self.run_button.setEnabled(True)
        self.compare_button.setEnabled(True)
        self.summary.setText(f"Could not run the demo: {message}")

    def clear_demo(self) -> None:
        self.plot.clear()
        self.legend.clear()
        self._results.clear()
        self._show_demo_plot(False)

    def _show_demo_plot(self, shown: bool) -> None:
        """The demo's plot once it has curves (then it shares the height with the live part), else the hint."""
        self.demo_area.setCurrentWidget(self.plot if shown else self.hint)
        self.demo_area.setMaximumHeight(16777215 if shown else self.hint.fontMetrics().lineSpacing() * 4 + 8)
        self.layout().setStretchFactor(self._demo_box, 1 if shown else 0)

    def _stats_width(self) -> int:
        """Wide enough for every column's header (and its numbers): no column is cut."""
        header = self.stats.horizontalHeader()
        widths = sum(max(header.sectionSizeFromContents(i).width(), self.stats.sizeHintForColumn(i))
                     for i in range(self.stats.columnCount()))
        return widths + 2 * self.stats.frameWidth() + self.stats.verticalScrollBar().sizeHint().width() + 8

    # --- live ----------------------------------------------------------------------------------
    def reset_live(self) -> None:
        for curve in self._live_curves:
            self.live_plot.removeItem(curve)
        self._live, self._live_curves = [], []
        self.stats.setRowCount(0)

    def add_step(self, epoch_position: float, grad_norms: tuple[float, ...]) -> None:
        if not grad_norms:
            return
        if len(self._live) != len(grad_norms):
            self.reset_live()
            n = len(grad_norms)
            for i in range(n):
                self._live.append(Series())
                name = f"layer {i + 1}" if i < n - 1 else "output"
                curve = self.live_plot.plot(name=name, pen=pg.mkPen(_layer_colour(i, n), width=1.5))
                curve.setDownsampling(auto=True, method="peak")
                curve.setClipToView(True)
                self._live_curves.append(curve)
        # per-batch gradient norms are noisy: show each layer's exponential moving average
        if len(self._ema) != len(grad_norms) or self._live[0].n == 0:
            self._ema = [float(np.log(max(g, 1e-30))) for g in grad_norms]
        for i, (series, g) in enumerate(zip(self._live, grad_norms)):
            self._ema[i] = LIVE_SMOOTHING * self._ema[i] + (1 - LIVE_SMOOTHING) * float(np.log(max(g, 1e-30)))
            series.append(epoch_position, float(np.exp(self._ema[i])))
        self._dirty = True

    def add_layers(self, record: LayerRecord) -> None:
        self.stats.setRowCount(len(record.layers))
        for row, layer in enumerate(record.layers):
            values = [layer.name, f"{layer.weight_grad_norm:.2e}", f"{layer.activation_mean:.3f}",
                      f"{layer.activation_std:.3f}",
                      f"{layer.saturated_fraction:.0%}" if layer.name != "out" or layer.saturated_fraction else "—"]
            for col, text in enumerate(values):
                self.stats.setItem(row, col, QTableWidgetItem(text))
        self.stats.setMinimumWidth(self._stats_width())

    def refresh(self) -> None:
        if not self._dirty or not self.isVisible():
            return
        self._dirty = False
        for series, curve in zip(self._live, self._live_curves):
            curve.setData(*series.data())
