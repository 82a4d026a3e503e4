"""Editor for the hidden layers: one row per layer with its width and dropout, add and remove."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (QDoubleSpinBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QSpinBox,
                               QVBoxLayout, QWidget)

from playground.engine.config import MAX_DROPOUT, MAX_LAYERS, MAX_WIDTH
from playground.ui.tooltips import TIPS
from playground.ui.wheel_guard import guard

MAX_ROWS = MAX_LAYERS     # the engine's limits, so a loaded config is shown as it is


class HiddenLayersEditor(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hiddenLayersEditor")
        self.setToolTip(TIPS["hidden"])
        self._rows: list[tuple[QLabel, QSpinBox, QDoubleSpinBox, QPushButton]] = []
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.headers = (QLabel("width"), QLabel("dropout"))
        self.grid.addWidget(self.headers[0], 0, 1)
        self.grid.addWidget(self.headers[1], 0, 2)
        self.empty_label = QLabel("no hidden layer: softmax regression")
        self.add_button = QPushButton("Add layer")
        self.add_button.setObjectName("addLayerButton")
        self.add_button.setToolTip("Add a hidden layer on the output side.")
        self.add_button.clicked.connect(lambda: self.add_layer())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(self.empty_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def add_layer(self, width: int | None = None, dropout: float = 0.0, emit: bool = True) -> None:
        if len(self._rows) >= MAX_ROWS:
            return
        if width is None:
            width = self._rows[-1][1].value() if self._rows else 128
            dropout = self._rows[-1][2].value() if self._rows else 0.0
        label = QLabel()
        spin = QSpinBox()
        spin.setRange(1, MAX_WIDTH)
        spin.setValue(width)
        spin.setToolTip(TIPS["width"])
        spin.setObjectName("widthSpin")
        drop = QDoubleSpinBox()
        drop.setDecimals(4)
        drop.setRange(0.0, MAX_DROPOUT)
        drop.setSingleStep(0.05)
        drop.setValue(dropout)
        drop.setToolTip(TIPS["layer_dropout"])
        drop.setObjectName("dropoutSpin")
        guard(spin)
        guard(drop)
        remove = QPushButton("Remove")
        remove.setToolTip("Remove this hidden layer.")
        row = (label, spin, drop, remove)
        remove.clicked.connect(lambda: self._remove(row))
        spin.valueChanged.connect(self.changed)
        drop.valueChanged.connect(self.changed)
        self._rows.append(row)
        self._relayout()
        if emit:
            self.changed.emit()

    def _remove(self, row) -> None:
        self._drop(row)
        self._relayout()
        self.changed.emit()

    def _drop(self, row) -> None:
        self._rows.remove(row)
        for w in row:
            self.grid.removeWidget(w)
            w.hide()   # deleteLater waits for the event loop; the row must vanish now
            w.deleteLater()

    def _relayout(self) -> None:
        for i, (label, spin, drop, remove) in enumerate(self._rows, 1):
            label.setText(f"layer {i}")
            for col, w in enumerate((label, spin, drop, remove)):
                self.grid.addWidget(w, i, col)
        self.empty_label.setVisible(not self._rows)
        for header in self.headers:
            header.setVisible(bool(self._rows))
        self.add_button.setEnabled(len(self._rows) < MAX_ROWS)

    def set_layers(self, widths: tuple[int, ...], dropout: tuple[float, ...]) -> None:
        for row in list(self._rows):
            self._drop(row)
        for width, p in zip(widths, dropout):
            self.add_layer(width, p, emit=False)
        self._relayout()

    def widths(self) -> tuple[int, ...]:
        return tuple(spin.value() for _, spin, _, _ in self._rows)

    def dropouts(self) -> tuple[float, ...]:
        return tuple(drop.value() for _, _, drop, _ in self._rows)
