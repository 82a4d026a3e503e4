"""A number box for rates and weight decay: steps on a log scale, text in any float notation."""
from __future__ import annotations

import math

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QDoubleSpinBox


class LogSpinBox(QDoubleSpinBox):
    """A number box for rates: arrows multiply or divide by 10^(1/4); text accepts 1e-3 or 0.001."""

    def __init__(self, minimum: float, maximum: float, allow_zero: bool = False) -> None:
        super().__init__()
        self._floor = minimum
        self._allow_zero = allow_zero
        self.setDecimals(12)
        self.setRange(0.0 if allow_zero else minimum, maximum)
        self.setKeyboardTracking(False)

    def textFromValue(self, value: float) -> str:
        return f"{value:.4g}"

    def valueFromText(self, text: str) -> float:
        try:
            return float(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, pos: int):
        try:
            v = float(text)
        except ValueError:
            return QValidator.Intermediate, text, pos
        ok = self.minimum() <= v <= self.maximum() and math.isfinite(v)
        return (QValidator.Acceptable if ok else QValidator.Intermediate), text, pos

    def stepBy(self, steps: int) -> None:
        v = self.value()
        if v == 0:
            v = self._floor if steps > 0 else 0.0
        else:
            v *= 10 ** (steps / 4)
            if v < self._floor:
                v = 0.0 if self._allow_zero else self._floor
        self.setValue(min(max(v, self.minimum()), self.maximum()))
