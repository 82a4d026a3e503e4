"""Two-dimensional toy sets (TensorFlow Playground's classics), generated deterministically from a seed.

`noise` is the playground's 0-50 % control: each set scales it to its own spread, and the default (10 %)
gives the spread these sets always had. The regression sets (`reg-*`) have one continuous target in [-1, 1].
"""
from __future__ import annotations

import math

import torch

from playground.engine.data_options import DEFAULT_NOISE, NOISE_RANGE
from playground.engine.errors import PlaygroundError
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION, data_seed, seeded_split, standardise

N_TRAIN = 2000     # with the default train share (2/3)
N_TEST = 1000
N_TOTAL = N_TRAIN + N_TEST


def _moons(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * math.pi
    x = torch.stack([torch.cos(t), torch.sin(t)], 1)
    lower = y == 1
    x[lower] = torch.stack([1 - torch.cos(t[lower]), 0.5 - torch.sin(t[lower])], 1)
    x += 1.2 * noise * torch.randn(n, 2, generator=g)
    return x - torch.tensor([0.5, 0.25]), y


def _circles(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % 2
    t = torch.rand(n, generator=g) * 2 * math.pi
    r = torch.where(y == 0, 1.0, 0.45)
    x = r[:, None] * torch.stack([torch.cos(t), torch.sin(t)], 1)
    return x + 0.8 * noise * torch.randn(n, 2, generator=g), y


def _spiral(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    y = torch.arange(n) % classes
    r = torch.rand(n, generator=g)
    angle = r * 1.75 * 2 * math.pi / 2 + y * 2 * math.pi / classes
    x = r[:, None] * torch.stack([torch.sin(angle), torch.cos(angle)], 1)
    return x + 0.3 * noise * torch.randn(n, 2, generator=g), y


def _xor(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 2, generator=g) * 2 - 1
    # keep a small margin around the axes so the classes are learnable but the corners still matter
    x = x + 0.05 * torch.sign(x)
    y = ((x[:, 0] > 0) ^ (x[:, 1] > 0)).long()
    return x + 0.3 * noise * torch.randn(n, 2, generator=g), y


def _gauss(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    # two round blobs on the diagonal; noise widens them until they overlap (50 %: heavily)
    y = torch.arange(n) % 2
    centre = torch.where(y[:, None] == 0, torch.tensor([1.0, 1.0]), torch.tensor([-1.0, -1.0]))
    return centre + (0.1 + 3.0 * noise) * torch.randn(n, 2, generator=g), y


def _reg_plane(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    x = torch.rand(n, 2, generator=g) * 2 - 1
    target = (x[:, 0] + x[:, 1]) / 2
    return x, target + 0.5 * noise * torch.randn(n, generator=g)


_BUMPS = torch.tensor([[-0.6, 0.6, 1.0], [0.6, 0.6, -1.0], [-0.6, -0.6, -1.0], [0.6, -0.6, 1.0],
                       [0.0, 0.0, 1.0], [0.0, 0.9, -1.0]])


def _reg_gauss(n: int, g: torch.Generator, classes: int, noise: float) -> tuple[torch.Tensor, torch.Tensor]:
    # hills and valleys: the target is the sign of the nearest bump, fading with the distance to it
    x = torch.rand(n, 2, generator=g) * 2 - 1
    d2 = ((x[:, None, :] - _BUMPS[None, :, :2]) ** 2).sum(2)
    nearest = d2.argmin(1)
    target = _BUMPS[nearest, 2] * torch.exp(-d2.gather(1, nearest[:, None])[:, 0] / (2 * 0.25**2))
    return x, target + 0.5 * noise * torch.randn(n, generator=g)


GENERATORS = {"moons": _moons, "circles": _circles, "spiral": _spiral, "xor": _xor, "gauss": _gauss}
REGRESSION_GENERATORS = {"reg-plane": _reg_plane, "reg-gauss": _reg_gauss}


def load(name: str, seed: int = 0, classes: int = 2, noise: float = DEFAULT_NOISE,
         train_fraction: float = DEFAULT_TRAIN_FRACTION, regenerate: int = 0) -> Dataset:
    if not NOISE_RANGE[0] <= noise <= NOISE_RANGE[1]:
        raise PlaygroundError(f"noise must be between 0 and 0.5 (0-50 %), got {noise}")
    regression = name in REGRESSION_GENERATORS
    make = REGRESSION_GENERATORS[name] if regression else GENERATORS[name]
    classes = classes if name == "spiral" else 2
    g = torch.Generator().manual_seed(data_seed(seed, regenerate))
    x, y = make(N_TOTAL, g, classes, noise)
    train, test = seeded_split(N_TOTAL, train_fraction, g)
    x = x.float()
    y = y.float() if regression else y.long()
    # standardise with training statistics so every set sits near [-2, 2]
    train_x, test_x = standardise(x[train], x[test])
    if regression:
        return Dataset(name, "points", train_x, y[train], test_x, y[test], [], task="regression")
    names = [f"class {i}" for i in range(classes)]
    return Dataset(name, "points", train_x, y[train], test_x, y[test], names)
