"""The sweep plot: each value's final and best test accuracy (R² for a regression) against the value.

Numbers go on their own axis (a log axis for the learning rate and weight decay, with 0 one decade below
the smallest value); other values (inits, activations, hidden layers) are evenly spaced categories. Each
point has its run's colour; clicking one emits `point_clicked(index)`.
"""
from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor

from playground.engine.sweep_runs import SweepState
from playground.engine.train.sweep_params import value_text
from playground.ui import theme
from playground.ui.training.plots import run_colour

MAX_VALUE_TICKS = 5              # more values than this on a log axis: ticks at the decades instead
NEUTRAL = QColor(128, 128, 128)   # the line through the final values: readable on light and dark


def _tick(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else value_text(value)


def positions(state: SweepState) -> tuple[np.ndarray, list[tuple[float, str]]]:
    """Each point's x, and the axis ticks (x, label)."""
    values = [p.value for p in state.points]
    numeric = len(state.params) == 1 and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                             for v in values)
    if not numeric:
        xs = np.arange(len(values), dtype=float)
    elif state.log_scale:
        positive = [v for v in values if v > 0]
        floor = math.log10(min(positive)) - 1 if positive else 0.0
        xs = np.array([math.log10(v) if v > 0 else floor for v in values])
    else:
        xs = np.array(values, dtype=float)
    labels = [", ".join(map(_tick, v)) if len(state.params) == 2 else _tick(v) for v in values]
    ticks = sorted(set(zip(xs.tolist(), labels)))
    if numeric and state.log_scale and len(ticks) > MAX_VALUE_TICKS:   # the values' labels would overlap
        decades = range(math.floor(xs.min()), math.ceil(xs.max()) + 1)
        ticks = [(float(d), f"1e{d}" if d < -2 or d > 2 else f"{10.0 ** d:g}") for d in decades]
        if 0 in values:    # drawn one decade below the smallest value
            zero = float(xs[values.index(0)])
            ticks = [(zero, "0")] + [t for t in ticks if t[0] > zero + 0.5]
    return xs, ticks


class SweepPlot(pg.PlotWidget):
    point_clicked = Signal(int)   # the configuration's index in the sweep

    def __init__(self, parent=None) -> None:
        super().__init__(parent, background=theme.plot_background())
        self.setObjectName("sweepPlot")
        self.setToolTip("What each value of the swept setting gave: filled circles are the test accuracy after "
                        "the last epoch (R² for a regression), open squares the best of any epoch. A big gap "
                        "between them means the run got worse late (overfitting, or a rate too high). Click a "
                        "point to highlight its run's curves; click it again to show all.")
        self.showGrid(x=True, y=True, alpha=0.25)
        self.setLabel("left", "test accuracy")
        colours = theme.current()
        self.addLegend(offset=(-10, -10), brush=pg.mkBrush(theme._rgba(colours.legend_bg)),
                       pen=pg.mkPen(colours.legend_border), labelTextColor=colours.text)
        self.getAxis("bottom").enableAutoSIPrefix(False)
        self.line = self.plot([], [], pen=pg.mkPen(NEUTRAL, width=1))
        self.final = pg.ScatterPlotItem(size=11, hoverable=True, tip=self._tip)
        self.best = pg.ScatterPlotItem(size=13, symbol="s", brush=None, hoverable=True, tip=self._tip)
        self.diverged = pg.ScatterPlotItem(size=12, symbol="x", pen=None, brush=pg.mkBrush(214, 39, 40),
                                           hoverable=True, tip=self._tip)
        for item in (self.best, self.final, self.diverged):
            self.addItem(item)
            item.sigClicked.connect(self._on_clicked)
        self.legend_items = ((self.final, "final"), (self.best, "best"), (self.diverged, "diverged"))
        self.state: SweepState | None = None
        self.highlighted: int | None = None
        self._colour_of = run_colour

    def show_sweep(self, state: SweepState, colour_of=run_colour) -> None:
        """Draw `state` anew (its points change every epoch)."""
        if state is not self.state:
            self.highlighted = None
        self.state, self._colour_of = state, colour_of
        name = " × ".join(state.params)
        self.setLabel("bottom", f"{name} (log scale)" if state.log_scale else name)
        self.setLabel("left", "test R²" if state.regression else "test accuracy")
        xs, ticks = positions(state)
        self.getAxis("bottom").setTicks([ticks])
        finals, bests, crosses, line = [], [], [], []
        for x, point in zip(xs, state.points):
            colour = colour_of(point.run) if point.run is not None else NEUTRAL
            big = point.index == self.highlighted
            if point.final is not None:
                finals.append(dict(pos=(x, point.final), data=point.index, brush=pg.mkBrush(colour),
                                   pen=pg.mkPen(theme.current().text, width=2) if big else None, size=16 if big else 11))
                bests.append(dict(pos=(x, point.best), data=point.index, pen=pg.mkPen(colour, width=2)))
                line.append((x, point.final))
            if point.status == "diverged":
                crosses.append(dict(pos=(x, 0.0), data=point.index))
        legend = self.getPlotItem().legend
        legend.clear()    # added anew, in the theme's text colour
        for item, label in self.legend_items:
            legend.addItem(item, label)
        self.final.setData(finals)
        self.best.setData(bests)
        self.diverged.setData(crosses)
        self.line.setData(*(np.array(line).T if line else ([], [])))
        lows = [p.final for p in state.points if p.final is not None] + ([0.0] if crosses else [])
        bottom = max(-1.0, math.floor((min(lows, default=0.0) - 0.05) * 10) / 10)
        self.setYRange(min(bottom, 0.9), 1.0, padding=0.02)
        if len(xs):
            self.setXRange(float(xs.min()), float(xs.max()) + (0 if len(xs) > 1 else 1), padding=0.08)

    def highlight(self, index: int | None) -> None:
        self.highlighted = index
        if self.state is not None:
            self.show_sweep(self.state, self._colour_of)

    def screen_pos(self, index: int):
        """Where configuration `index`'s final point is drawn, in this widget's coordinates (for tests)."""
        point = next(p for p in self.final.points() if p.data() == index)
        scene = self.getPlotItem().vb.mapViewToScene(point.pos())
        return self.mapFromScene(scene)

    def _on_clicked(self, _item, points, _event=None) -> None:
        if len(points):
            self.point_clicked.emit(int(points[0].data()))

    def _tip(self, x, y, data) -> str:
        state = self.state
        if state is None or data is None:
            return ""
        point = state.points[int(data)]
        label = point.run.name if point.run is not None else str(point.value)
        metric = "R²" if state.regression else "accuracy"
        if point.final is None:
            return f"{label}: {point.status}"
        return (f"{label}\nfinal test {metric} {point.final:.4f} · best {point.best:.4f} · {point.status}\n"
                f"click to highlight its curves")
