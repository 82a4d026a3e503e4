"""Regression: one continuous output, mean squared error, and the figures that replace accuracy (test RMSE
and R², the share of the target's variance the network explains)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

NO_R2 = float("nan")


def regression_loss(output: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """Mean squared error of the single output against float targets."""
    return F.mse_loss(output[:, 0].float(), target.float())


def rmse(predicted: torch.Tensor, target: torch.Tensor) -> float:
    """Root mean squared error, in the target's units."""
    if len(target) == 0:
        return float("nan")
    return float(torch.sqrt(torch.mean((predicted.double() - target.double()) ** 2)))


def r2_score(predicted: torch.Tensor, target: torch.Tensor) -> float:
    """1 - SS_res / SS_tot: 1 is perfect, 0 is no better than predicting the mean, below 0 is worse."""
    target = target.double()
    total = float(((target - target.mean()) ** 2).sum())
    if len(target) < 2 or total == 0.0:
        return NO_R2
    residual = float(((predicted.double() - target) ** 2).sum())
    return 1.0 - residual / total


def largest_errors(predicted, target, count: int = 50) -> list[tuple[int, float, float, float]]:
    """(index, target, predicted, |error|) of the `count` worst test predictions, worst first."""
    import numpy as np
    predicted = np.asarray(predicted, dtype=np.float64)
    target = np.asarray(target, dtype=np.float64)
    error = np.abs(predicted - target)
    order = np.argsort(-error, kind="stable")[:count]
    return [(int(i), float(target[i]), float(predicted[i]), float(error[i])) for i in order]
