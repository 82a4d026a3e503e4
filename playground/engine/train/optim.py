"""The loss functions and optimizers a config names (their registry entries hold the factories)."""
from __future__ import annotations

import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.registry import LOSSES, build_optimizer


def loss_function(name: str):
    return LOSSES[name].fn


def make_optimizer(config: TrainConfig, model: nn.Module) -> torch.optim.Optimizer:
    """Weight decay applies to weights only unless `decay_biases` (as in the d2l tutorial)."""
    return build_optimizer(config, model)
