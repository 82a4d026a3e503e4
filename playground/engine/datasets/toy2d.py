"""Two-dimensional toy sets (TensorFlow Playground's classics), generated deterministically from a seed."""
from __future__ import annotations

import math

import torch

from .base import Dataset

N_TRAIN = 2000
N_TEST = 1000


def _moons(n: int, g: torch.Generator, classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * math.pi
    x = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = y == 1
    x[lower] = torch.stack([1 - torch.cos(t[lower]), 0.5 - torch.sin(t[lower])], 1)
    x += 0.12 * torch.randn(n, 2, generator=g)
    return x - torch.tensor([0.5, 0.25]), y


def _circles(n: int, g: torch.Generator, classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * 2 * math.pi
    r = torch.where(y == 0, 1.0, 0.45)
    x = r[:, None] * torch.stack([torch.cos(t), torch.sin(t)], 1)
    return x + 0.08 * torch.randn(n, 2, generator=g), y


def _spiral(n: int, g: torch.Generator, classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % classes
    r = torch.rand(n, generator=g)
    angle = r * 1.75 * 2 * math.pi / 2 + y * 2 * math.pi / classes
    x = r[:, None] * torch.stack([torch.sin(angle), torch.cos(angle)], 1)
    return x + 0.03 * torch.randn(n, 2, generator=g), y


def _xor(n: int, g: torch.Generator, classes: int) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 2, generator=g) * 2 - 1
    # keep a small margin around the axes so the classes are learnable but the corners still matter
    x = x + 0.05 * torch.sign(x)
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).long()
    return x + 0.03 * torch.randn(n, 2, generator=g), y


GENERATORS = {"moons": _moons, "circles": _circles, "spiral": _spiral, "xor": _xor}


def load(name: str, seed: int = 0, classes: int = 2) -> Dataset:
    classes = classes if name == "spiral" else 2
    g = torch.Generator().manual_seed(seed)
    x, y = GENERATORS[name](N_TRAIN + N_TEST, g, classes)
    order = torch.randperm(len(y), generator=g)
    x, y = x[order].float(), y[order].long()
    # standardise with training statistics so every set sits near [-2, 2]
    mean, std = x[:N_TRAIN].mean(0), x[:N_TRAIN].std(0)
    x = (x - mean) / std
    names = [f"class {i}" for i in range(classes)]
    return Dataset(name, "points", x[:N_TRAIN], y[:N_TRAIN], x[N_TRAIN:], y[N_TRAIN:], names)
