"""Building the MLP from a config, and what it costs (parameters, memory) before it is built."""
from __future__ import annotations

import os
from collections import OrderedDict
from dataclasses import dataclass

import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.features import PLAIN, FeatureMap
from playground.engine.registry import ACTIVATIONS, INITS, OPTIMIZERS


def uses_features(config: TrainConfig, n_inputs: int) -> bool:
    """True when a 2-D point is fed through hand-made features other than plain (x1, x2)."""
    return n_inputs == 2 and tuple(config.features) != PLAIN


def input_width(config: TrainConfig, n_inputs: int) -> int:
    """Width of the first Linear layer: the number of chosen features for 2-D points, else the sample size."""
    return len(config.features) if uses_features(config, n_inputs) else n_inputs


def layer_sizes(config: TrainConfig, n_inputs: int, n_classes: int) -> list[int]:
    return [input_width(config, n_inputs), *config.hidden, n_classes]


def architecture(config: TrainConfig, n_inputs: int, n_classes: int) -> str:
    """Layer widths as the tutorials write them: '784-200-200-10'."""
    return "-".join(map(str, layer_sizes(config, n_inputs, n_classes)))


@dataclass(frozen=True)
class ModelCost:
    parameters: int
    bytes_training: int

    @property
    def megabytes(self) -> float:
        return self.bytes_training / 2**20


def estimate_cost(config: TrainConfig, n_inputs: int, n_classes: int) -> ModelCost:
    """Parameters and a rough training-memory estimate (fp32), computed without allocating."""
    sizes = layer_sizes(config, n_inputs, n_classes)
    params = sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))
    # weights + gradients + optimizer state, plus activations kept for backward (about 3 per unit)
    copies = 2 + OPTIMIZERS[config.optimizer].state_copies
    activations = config.batch_size * sum(sizes) * 3
    return ModelCost(params, 4 * (params * copies + activations))


def _memory_budget(device: torch.device) -> tuple[int, str]:
    if device.type == "cuda":
        free, _total = torch.cuda.mem_get_info(device)
        return int(free * 0.9), "free GPU memory"
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        total = 8 * 2**30
    return int(total * 0.5), "half of this machine's memory"


def check_fits(config: TrainConfig, n_inputs: int, n_classes: int, device: torch.device) -> ModelCost:
    cost = estimate_cost(config, n_inputs, n_classes)
    budget, what = _memory_budget(device)
    if cost.bytes_training > budget:
        raise PlaygroundError(
            f"this network has {cost.parameters:,} parameters and needs about "
            f"{cost.bytes_training / 2**30:.1f} GiB to train, more than {what} "
            f"({budget / 2**30:.1f} GiB); use narrower or fewer hidden layers")
    return cost


def build_model(config: TrainConfig, n_inputs: int, n_classes: int,
                generator: torch.Generator | None = None) -> nn.Sequential:
    """Flatten -> (Linear -> activation -> Dropout) per hidden layer -> Linear (the logits).

    `config.output_activation` other than "none" puts an activation after the logits, the mistake some
    tutorials warn about: the loss then sees squashed or clipped scores.
    """
    act = ACTIVATIONS[config.activation]
    init = INITS[config.init]
    layers: "OrderedDict[str, nn.Module]" = OrderedDict(flatten=nn.Flatten())
    if uses_features(config, n_inputs):
        # named, parameter-free: checkpoints of plain-input models keep their keys
        layers["features"] = FeatureMap(config.features)
    width_in = input_width(config, n_inputs)
    for i, (width, p) in enumerate(zip(config.hidden, config.dropout), 1):
        layers[f"fc{i}"] = nn.Linear(width_in, width)
        layers[f"act{i}"] = act.make()
        if p > 0:
            layers[f"drop{i}"] = nn.Dropout(p)
        width_in = width
    layers["out"] = nn.Linear(width_in, n_classes)
    if config.output_activation != "none":
        layers["act_out"] = ACTIVATIONS[config.output_activation].make()
    model = nn.Sequential(layers)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.Linear):
                init.apply(module, act, generator)
    return model


def linear_layers(model: nn.Module) -> list[tuple[str, nn.Linear]]:
    """The Linear layers in input-to-output order, named 'fc1'..'fcN', 'out'."""
    return [(name, m) for name, m in model.named_children() if isinstance(m, nn.Linear)]
