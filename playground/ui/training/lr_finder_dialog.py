"""The "Find learning rate" dialog: runs the range test off the GUI thread and plots loss against rate.

It builds its own fresh network from the panel's settings (engine/train/lr_finder.py), so the model being
trained is never touched. "Use it" hands the suggestion back; the main window puts it in the lr box.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.engine.config import TrainConfig
from playground.engine.train.lr_finder import LrFinding, find_lr
from playground.ui import theme
from playground.ui.job_runner import JobRunner

TIPS = {
    "find": "Run the learning-rate range test: a fresh copy of this network trains for about 100 batches while "
            "the rate grows from 1e-7 to 10, and the loss shows which rates learn and which overshoot. It takes a "
            "few seconds and never touches the model you are training. Try it after changing the optimizer: Adam "
            "and SGD want very different rates.",
    "plot": "Smoothed training loss (thick) and each batch's loss (faint) against the learning rate, on a log "
            "axis. Left: too small to learn; the falling part: rates that learn; right: steps so large the loss "
            "climbs. The red line is the suggestion.",
    "use": "Put the suggested rate in the learning-rate box. It applies to the next Train (or from the next step "
           "of a running one). Try a rate 3x above and below it and compare the curves.",
    "again": "Run the range test again with the panel's current settings (change the batch size or optimizer "
             "first to see how the curve moves).",
}


class LrFinderDialog(QDialog):
    lr_chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lrFinderDialog")
        self.setWindowTitle("Find a learning rate")
        self.resize(720, 520)
        self.finding: LrFinding | None = None
        self._config: TrainConfig | None = None
        self.background = JobRunner(self, name="learning-rate finder")
        self.plot = pg.PlotWidget(background=theme.plot_background())
        self.plot.setObjectName("lrFinderPlot")
        self.plot.setToolTip(TIPS["plot"])
        self.plot.setLogMode(True, False)
        self.plot.setLabel("bottom", "learning rate (log scale)")
        self.plot.setLabel("left", "training loss")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.raw_curve = self.plot.plot([], [], pen=pg.mkPen((150, 170, 210), width=1))
        self.curve = self.plot.plot([], [], pen=pg.mkPen((31, 119, 180), width=2.5))
        self.marker = pg.InfiniteLine(angle=90, pen=pg.mkPen((200, 30, 30), width=2, style=Qt.DashLine))
        self.marker.hide()
        self.plot.addItem(self.marker)
        self.dot = self.plot.plot([], [], pen=None, symbol="o", symbolSize=11, symbolBrush=(200, 30, 30),
                                  symbolPen="w")
        self.status = QLabel()
        self.status.setObjectName("lrFinderStatus")
        self.explanation = QLabel()
        self.explanation.setObjectName("lrFinderExplanation")
        self.explanation.setWordWrap(True)
        self.use_button = QPushButton("Use it")
        self.use_button.setObjectName("useLrButton")
        self.use_button.setToolTip(TIPS["use"])
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self._use)
        self.again_button = QPushButton("Run again")
        self.again_button.setObjectName("lrFinderAgainButton")
        self.again_button.setToolTip(TIPS["again"])
        self.again_button.clicked.connect(lambda: self.start(self._config) if self._config else None)
        close = QPushButton("Close")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.again_button)
        buttons.addWidget(self.use_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.explanation)
        layout.addLayout(buttons)

    def start(self, config: TrainConfig) -> bool:
        """Run the range test for `config` in the background; False when one is already running."""
        if self.background.busy:
            return False
        self._config = config
        self.use_button.setEnabled(False)
        self.again_button.setEnabled(False)
        self.explanation.clear()
        self.status.setText(f"running the range test on {config.dataset} with {config.optimizer}…")
        return self.background.call(lambda: find_lr(config), self.show_finding, self._failed)

    def show_finding(self, finding: LrFinding) -> None:
        self.finding = finding
        self.again_button.setEnabled(True)
        self.raw_curve.setData(finding.lrs, finding.raw_losses)
        self.curve.setData(finding.lrs, finding.losses)
        x = math.log10(finding.suggested_lr)   # positions on a log axis are given in log10
        self.marker.setValue(x)
        self.marker.show()
        at = int(np.argmin(np.abs(np.log10(finding.lrs) - x)))
        self.dot.setData([finding.suggested_lr], [finding.losses[at]])
        # every batch loss from below, the smoothed curve's range from above (raw spikes would flatten it)
        low, high = min(finding.raw_losses + finding.losses), max(finding.losses)
        self.plot.setYRange(low - 0.05 * (high - low), high + 0.05 * (high - low), padding=0)
        self.status.setText(f"suggested: {finding.suggested_lr:.3g}")
        self.explanation.setText(finding.explanation)
        self.use_button.setText(f"Use it ({finding.suggested_lr:.3g})")
        self.use_button.setEnabled(True)

    def _failed(self, message: str) -> None:
        self.again_button.setEnabled(True)
        self.status.setText("")
        self.explanation.setText(f"The range test stopped: {message}")

    def _use(self) -> None:
        if self.finding is not None:
            self.lr_chosen.emit(float(self.finding.suggested_lr))
            self.accept()

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        return self.background.shutdown(timeout_ms)
