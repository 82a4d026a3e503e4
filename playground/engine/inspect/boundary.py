"""The decision boundary of a 2-D classifier: predicted class probabilities over a grid of the plane."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

RESOLUTION = 100


@dataclass(frozen=True)
class BoundaryRecord:
    epoch: int
    extent: tuple[float, float, float, float]   # x0, x1, y0, y1 of the grid
    probs: np.ndarray                            # (RESOLUTION, RESOLUTION, classes) float32, [row=y, col=x]
    regression: bool = False                     # then probs is (R, R, 1): the predicted value


def plane_extent(points: torch.Tensor, margin: float = 0.5) -> tuple[float, float, float, float]:
    lo = points.min(0).values.cpu() - margin
    hi = points.max(0).values.cpu() + margin
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


@torch.no_grad()
def decision_grid(forward, extent: tuple[float, float, float, float], device: torch.device,
                  resolution: int = RESOLUTION, softmax: bool = True) -> np.ndarray:
    """Class probabilities (softmax=False: the raw outputs) at resolution x resolution points covering
    extent; forward maps (N, 2) -> logits."""
    x0, x1, y0, y1 = extent
    xs = torch.linspace(x0, x1, resolution, device=device)
    ys = torch.linspace(y0, y1, resolution, device=device)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    points = torch.stack([gx.flatten(), gy.flatten()], 1)
    out = forward(points)
    probs = torch.softmax(out, 1) if softmax else out
    return probs.view(resolution, resolution, -1).float().cpu().numpy()
