"""The seeded train/test split and the standardisation every point and table dataset shares."""
from __future__ import annotations

import torch

from playground.engine.data_options import DEFAULT_TRAIN_FRACTION, TRAIN_FRACTION_RANGE
from playground.engine.errors import PlaygroundError

__all__ = ["DEFAULT_TRAIN_FRACTION", "TRAIN_FRACTION_RANGE", "data_seed", "split_sizes", "seeded_split",
           "standardise"]


def data_seed(seed: int, regenerate: int = 0) -> int:
    """The seed of the data itself: the run's seed until Regenerate asks for new data (regenerate > 0)."""
    return seed if regenerate == 0 else (seed * 1_000_003 + regenerate * 7_919) % (2**63 - 1)


def split_sizes(n: int, train_fraction: float) -> tuple[int, int]:
    """(train, test) counts; both at least 1 when there are 2 samples or more."""
    if n < 2:
        raise PlaygroundError(f"need at least 2 samples to split into training and test data, got {n}")
    n_train = min(max(int(round(n * train_fraction)), 1), n - 1)
    return n_train, n - n_train


def seeded_split(n: int, train_fraction: float, generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Shuffled (train indices, test indices) of n samples."""
    n_train, _ = split_sizes(n, train_fraction)
    order = torch.randperm(n, generator=generator)
    return order[:n_train], order[n_train:]


def standardise(train: torch.Tensor, *others: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """Scale every column to mean 0, std 1 with the training split's statistics (constant columns: std 1)."""
    mean = train.mean(0)
    std = train.std(0) if len(train) > 1 else torch.ones_like(mean)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return tuple((t - mean) / std for t in (train, *others))
