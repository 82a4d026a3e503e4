"""Hand-made input features of a 2-D point (x1, x2, x1², x2², x1·x2, sin x1, sin x2), as the best-known
playground offers them.

The map is the first module of the network (`FeatureMap`), so everything that feeds the network raw
points (training, the test split, the decision-boundary grid, a loaded checkpoint) gets the same features,
and the boundary is always drawn over the original plane.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

import torch
from torch import nn

from playground.engine.errors import PlaygroundError


@dataclass(frozen=True)
class Feature:
    name: str
    label: str
    tooltip: str
    compute: Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


FEATURES: dict[str, Feature] = {
    f.name: f
    for f in [
        Feature("x1", "x₁", "The point's first coordinate as it is: the network has to bend it itself.",
                lambda a, b: a),
        Feature("x2", "x₂", "The point's second coordinate as it is.", lambda a, b: b),
        Feature("x1^2", "x₁²", "x₁ squared: large on both far sides. With x₂² alone a single layer can "
                "separate circles.", lambda a, b: a * a),
        Feature("x2^2", "x₂²", "x₂ squared: together with x₁² it measures the distance from the centre.",
                lambda a, b: b * b),
        Feature("x1x2", "x₁x₂", "x₁ times x₂: positive in two opposite quadrants, negative in the others. "
                "It alone solves XOR without any hidden layer.", lambda a, b: a * b),
        Feature("sin-x1", "sin x₁", "sin(x₁): a wave across the plane; helps with spirals and stripes.",
                lambda a, b: torch.sin(a)),
        Feature("sin-x2", "sin x₂", "sin(x₂): the same wave along the other axis.", lambda a, b: torch.sin(b)),
    ]
}
PLAIN = ("x1", "x2")


def check_features(features: Iterable[str]) -> tuple[str, ...]:
    """The features in the registry's order; a PlaygroundError for unknown, repeated or no features."""
    chosen = tuple(features)
    unknown = [f for f in chosen if f not in FEATURES]
    if unknown:
        raise PlaygroundError(f"unknown input feature '{unknown[0]}'; choose from: {', '.join(FEATURES)}")
    if len(set(chosen)) != len(chosen):
        raise PlaygroundError(f"an input feature is listed twice: {', '.join(chosen)}")
    if not chosen:
        raise PlaygroundError("choose at least one input feature (for example x1,x2)")
    return tuple(f for f in FEATURES if f in chosen)


def parse_features(text: str) -> tuple[str, ...]:
    """'x1,x2,x1x2' -> ('x1', 'x2', 'x1x2'), checked."""
    return check_features(p.strip() for p in text.split(",") if p.strip())


def feature_labels(features: Iterable[str]) -> list[str]:
    return [FEATURES[f].label for f in features]


def feature_matrix(points: torch.Tensor, features: Iterable[str]) -> torch.Tensor:
    """(N, 2) points -> (N, len(features)) feature values."""
    a, b = points[:, 0], points[:, 1]
    return torch.stack([FEATURES[f].compute(a, b) for f in features], 1)


class FeatureMap(nn.Module):
    """The network's input layer for 2-D points: (N, 2) -> the chosen features. It has no parameters."""

    def __init__(self, features: Iterable[str]) -> None:
        super().__init__()
        self.features = check_features(features)

    def forward(self, points: torch.Tensor) -> torch.Tensor:
        return feature_matrix(points, self.features)

    def extra_repr(self) -> str:
        return ", ".join(self.features)
