"""Growing numeric series for live curves: an O(1)-append buffer and an incremental smoother."""
from __future__ import annotations

import numpy as np


class Series:
    """A growing (x, y) buffer: appends are O(1), and `data()` is a view of the filled part."""

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


class Smoother:
    """TensorBoard-style debiased exponential moving average of a growing series, updated incrementally."""

    def __init__(self, weight: float) -> None:
        self.weight = weight
        self.values = np.empty(1024)
        self.n = 0
        self._acc = self._norm = 0.0

    def update(self, y: np.ndarray) -> np.ndarray:
        """Smooth the points of `y` not seen yet (y is the whole series so far); returns the smoothed series."""
        if len(y) < self.n:   # the series was cleared: start again
            self.n, self._acc, self._norm = 0, 0.0, 0.0
        if len(y) > len(self.values):
            self.values = np.concatenate([self.values, np.empty(max(len(y), len(self.values)))])
        w, acc, norm = self.weight, self._acc, self._norm
        for i in range(self.n, len(y)):
            acc = w * acc + (1 - w) * y[i]
            norm = w * norm + (1 - w)
            self.values[i] = acc / norm
        self._acc, self._norm, self.n = acc, norm, len(y)
        return self.values[:self.n]
