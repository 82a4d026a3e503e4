"""The Activation lab tab: f(x) and f'(x) from autograd, overlays, shaded saturation, the facts."""
from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDoubleSpinBox, QFormLayout, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from playground.engine.inspect.activation_lab import activation_facts
from playground.engine.registry import ACTIVATIONS
from playground.ui import theme

PALETTE = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189), (140, 86, 75),
           (227, 119, 194), (127, 127, 127), (188, 189, 34)]


class ActivationLab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activationLabTab")
        self._dropout = 0.0
        self.combo = QComboBox()
        self.combo.setObjectName("activationLabCombo")
        for name in ACTIVATIONS:
            self.combo.addItem(name, name)
        self.combo.setToolTip("The activation to study: its curve f(x) (solid) and its derivative f'(x) (dashed), "
                              "both computed by autograd from the same code the network uses.")
        self.range = QDoubleSpinBox()
        self.range.setObjectName("xRangeSpin")
        self.range.setRange(1.0, 50.0)
        self.range.setValue(6.0)
        self.range.setPrefix("±")
        self.range.setToolTip("Half-width of the x range shown. Widen it to see where sigmoid and tanh flatten out.")
        self.overlays = QListWidget()
        self.overlays.setObjectName("overlayList")
        self.overlays.setToolTip("Tick activations to overlay them (thinner lines) for comparison.")
        for name in ACTIVATIONS:
            item = QListWidgetItem(name)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.overlays.addItem(item)
        self.overlays.setMaximumWidth(200)
        self.facts = QLabel()
        self.facts.setObjectName("activationFacts")
        self.facts.setWordWrap(True)
        self.facts.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.facts.setMinimumWidth(260)
        self.facts.setAlignment(Qt.AlignTop | Qt.AlignLeft)
        self.hover = QLabel("hover over the plot to read f and f'")
        self.hover.setObjectName("activationHover")
        self.plot = pg.PlotWidget(background=theme.plot_background())
        self.plot.setObjectName("activationPlot")
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.addLegend(offset=(10, 10))
        self.plot.setLabel("bottom", "x (pre-activation)")
        self.plot.setLabel("left", "f(x), f'(x)")
        self.plot.addItem(theme.guide_line(0))
        self.plot.addItem(theme.guide_line(90))
        self._items: list = []

        side = QFormLayout()
        side.addRow("activation", self.combo)
        side.addRow("x range", self.range)
        side.addRow(QLabel("overlay"))
        side.addRow(self.overlays)
        side_box = QWidget()
        side_box.setLayout(side)
        middle = QVBoxLayout()
        middle.addWidget(self.hover)
        middle.addWidget(self.plot, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(side_box)
        layout.addLayout(middle, 1)
        layout.addWidget(self.facts)
        self.combo.currentIndexChanged.connect(self.redraw)
        self.range.valueChanged.connect(self.redraw)
        self.overlays.itemChanged.connect(self.redraw)
        self._proxy = pg.SignalProxy(self.plot.scene().sigMouseMoved, rateLimit=30, slot=self._on_mouse)
        self.redraw()

    def set_dropout(self, p: float) -> None:
        self._dropout = p
        self.redraw()

    def select(self, name: str) -> None:
        self.combo.setCurrentIndex(self.combo.findData(name))

    def redraw(self) -> None:
        for item in self._items:
            self.plot.removeItem(item)
        self._items.clear()
        name = self.combo.currentData()
        r = self.range.value()
        names = [name] + [self.overlays.item(i).text() for i in range(self.overlays.count())
                          if self.overlays.item(i).checkState() == Qt.Checked and self.overlays.item(i).text() != name]
        self.facts_by_name = {n: activation_facts(n, r) for n in names}
        main = self.facts_by_name[name]
        for a, b in main.saturated:
            region = pg.LinearRegionItem((a, b), movable=False, brush=pg.mkBrush(255, 160, 0, 40),
                                         pen=pg.mkPen(None))
            region.setToolTip("saturated: |f'| < 0.01, almost no gradient flows back through here")
            self.plot.addItem(region)
            self._items.append(region)
        for i, n in enumerate(names):
            f = self.facts_by_name[n]
            colour = PALETTE[list(ACTIVATIONS).index(n) % len(PALETTE)]
            width = 3 if n == name else 1.5
            self._items.append(self.plot.plot(f.x, f.y, pen=pg.mkPen(colour, width=width), name=f"{n}  f(x)"))
            self._items.append(self.plot.plot(f.x, f.slope, pen=pg.mkPen(colour, width=width, style=Qt.DashLine),
                                              name=f"{n}  f'(x)"))
        self.plot.setXRange(-r, r, padding=0.02)
        ys = np.concatenate([np.clip(self.facts_by_name[n].y, -3 * r, 3 * r) for n in names] +
                            [self.facts_by_name[n].slope for n in names])
        self.plot.setYRange(float(ys.min()), float(ys.max()), padding=0.05)
        self.facts.setText(f"<b>{name}</b><br>" + html.escape(main.describe(self._dropout)).replace("\n", "<br><br>"))

    def _on_mouse(self, event) -> None:
        pos = event[0]
        item = self.plot.getPlotItem()
        if not item.sceneBoundingRect().contains(pos):
            return
        x = item.vb.mapSceneToView(pos).x()
        parts = [f"x = {x:.3f}"]
        for n, f in self.facts_by_name.items():
            i = int(np.clip(np.searchsorted(f.x, x), 0, len(f.x) - 1))
            parts.append(f"{n}: f = {f.y[i]:.4f}, f' = {f.slope[i]:.4f}")
        self.hover.setText("   ".join(parts))
