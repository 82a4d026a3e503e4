"""The vanishing/exploding-gradient demo: per-layer gradients of a freshly initialised network."""
from __future__ import annotations

import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets import Dataset, load_dataset, to_features
from playground.engine.devices import resolve_device
from playground.engine.model import build_model, check_fits
from playground.engine.inspect.probes import layer_report
from playground.engine.train.records import LayerStats
from playground.engine.train.training import loss_function

# The one-click comparison: the classic failure, the classic fix, and the exploding case.
COMPARISON = (("sigmoid", "xavier-normal"), ("relu", "kaiming-normal"), ("relu", "normal-1"))


def gradient_report(config: TrainConfig, dataset: Dataset | None = None) -> list[LayerStats]:
    """One forward/backward pass at initialisation on a batch of training data (dropout off)."""
    device = resolve_device(config.device)
    data = dataset or load_dataset(config)
    check_fits(config, data.n_inputs, data.n_classes, device)
    generator = torch.Generator().manual_seed(config.seed)
    model = build_model(config, data.n_inputs, data.n_classes, generator).to(device)
    idx = torch.randperm(len(data.train_y), generator=generator)[:config.batch_size]
    x = to_features(data.train_x[idx], device)
    y = data.train_y[idx].to(device)
    return layer_report(model, x, y, loss_function(config.loss))


def first_last_ratio(report: list[LayerStats]) -> float:
    last = report[-1].weight_grad_norm
    return report[0].weight_grad_norm / last if last else float("inf")
