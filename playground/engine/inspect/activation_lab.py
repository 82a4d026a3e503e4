"""Facts about an activation function, computed through autograd from the registry the model uses."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from playground.engine.registry import ACTIVATIONS, activation_curve

SATURATION_SLOPE = 0.01
_PROBES = torch.tensor([-6000.0, -60.0, 60.0, 6000.0], dtype=torch.float64)


@dataclass(frozen=True)
class ActivationFacts:
    name: str
    x: np.ndarray
    y: np.ndarray
    slope: np.ndarray
    output_low: float          # over a wide input range, -inf/inf when unbounded
    output_high: float
    max_slope: float
    max_slope_at: float
    saturated: list[tuple[float, float]]   # intervals of the shown range where |f'| < 0.01
    dead: list[tuple[float, float]]        # intervals where f' is exactly 0 (no gradient at all)

    def describe(self, dropout: float = 0.0) -> str:
        def fmt(v: float) -> str:
            return "-inf" if v == -np.inf else "+inf" if v == np.inf else _num(v)
        lines = [ACTIVATIONS[self.name].summary,
                 f"output range: ({fmt(self.output_low)}, {fmt(self.output_high)})",
                 self._largest_slope()]
        if self.max_slope < 0.9:
            lines.append(f"a gradient passing through n such layers shrinks by at least "
                         f"{self.max_slope:.2g}^n (8 layers: {self.max_slope ** 8:.1e}) times the weights")
        if self.dead:
            lines.append("dead zone (f' = 0, no gradient flows): " + ", ".join(_span(a, b) for a, b in self.dead))
        elif self.saturated:
            lines.append("saturates (|f'| < 0.01, shaded): " + ", ".join(_span(a, b) for a, b in self.saturated))
        if dropout > 0:
            lines.append(f"with dropout p = {dropout:g}, kept activations are scaled by 1/(1-p) = "
                         f"{1 / (1 - dropout):.3g} while training, so their expected value is unchanged")
        return "\n".join(lines)


    def _largest_slope(self) -> str:
        """Where |f'| is largest: at one x (sigmoid, GELU), or over a whole stretch (ReLU: every x > 0)."""
        s = np.abs(self.slope)
        spans = _intervals(self.x, s >= self.max_slope * (1 - 1e-6))
        step = float(self.x[1] - self.x[0]) if len(self.x) > 1 else 0.0
        head = f"largest slope |f'| = {_num(self.max_slope)}"
        if len(spans) == 1 and spans[0][1] - spans[0][0] > 10 * step:
            a, b = spans[0]
            left = a <= self.x[0] + step / 2
            right = b >= self.x[-1] - step / 2
            if left and right:
                return f"{head} everywhere"
            if right:
                return f"{head} for every x > 0" if abs(a) <= 1.5 * step else f"{head} for every x ≥ {_num(a)}"
            if left:
                return f"{head} for every x < 0" if abs(b) <= 1.5 * step else f"{head} for every x ≤ {_num(b)}"
            return f"{head} for x in [{_num(a)}, {_num(b)}]"
        return f"{head} at x = {_num(self.max_slope_at)}"


def _num(v: float) -> str:
    return "0" if abs(v) < 1e-6 else f"{v:.3g}"


def _span(a: float, b: float) -> str:
    return f"x in [{_num(a)}, {_num(b)}]"


def _intervals(x: np.ndarray, mask: np.ndarray) -> list[tuple[float, float]]:
    """The [start, end] x-intervals where mask is true."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(np.int8), [0]])))
    return [(float(x[a]), float(x[b - 1])) for a, b in zip(edges[::2], edges[1::2])]


def activation_facts(name: str, x_range: float = 6.0, points: int = 1201) -> ActivationFacts:
    x = torch.linspace(-x_range, x_range, points, dtype=torch.float64)
    y, slope = activation_curve(name, x)
    far, _ = activation_curve(name, _PROBES)
    # the range's ends: a function still moving between |x| = 60 and 6000 is unbounded on that side
    lo = -np.inf if float(far[0]) < float(far[1]) - 1e-6 else float(min(far[0], far[1], y.min()))
    hi = np.inf if float(far[3]) > float(far[2]) + 1e-6 else float(max(far[2], far[3], y.max()))
    s = slope.abs().numpy()
    i = int(s.argmax())
    xs = x.numpy()
    return ActivationFacts(name, xs, y.numpy(), slope.numpy(), lo, hi, float(s[i]), float(xs[i]),
                           _intervals(xs, s < SATURATION_SLOPE), _intervals(xs, s == 0.0))
