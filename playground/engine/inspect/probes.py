"""Looking inside the network: per-layer gradient norms and activation statistics."""
from __future__ import annotations

import torch
from torch import nn

from playground.engine.model import linear_layers
from playground.engine.train.records import LayerStats

SATURATION_SLOPE = 0.01


def weight_grad_norms(model: nn.Module) -> tuple[float, ...]:
    """L2 norm of each Linear layer's weight gradient, input to output, with one device sync."""
    norms = [m.weight.grad.detach().norm() if m.weight.grad is not None
             else torch.zeros((), device=m.weight.device) for _, m in linear_layers(model)]
    return tuple(torch.stack(norms).float().cpu().tolist()) if norms else ()


def layer_report(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor, loss_fn) -> list[LayerStats]:
    """One forward/backward pass on (x, y); per Linear layer its gradient norms and the statistics of what
    it passes on (post-activation for hidden layers; for the output layer the logits, after the output
    activation when the config has one)."""
    model.zero_grad(set_to_none=True)
    names = [name for name, _ in model.named_children()]
    modules = dict(model.named_children())
    outputs: dict[str, torch.Tensor] = {}
    slopes: dict[str, float] = {}
    h = x
    for name in names:
        module = modules[name]
        if isinstance(module, nn.Dropout):  # statistics of the network itself, without dropout noise
            continue
        if name.startswith("act"):
            z = h.detach().requires_grad_(True)
            with torch.enable_grad():
                fz = module(z)
                (slope,) = torch.autograd.grad(fz.sum(), z)
            slopes[name] = float((slope.abs() < SATURATION_SLOPE).float().mean())
        h = module(h)
        outputs[name] = h
    loss = loss_fn(h, y)
    loss.backward()
    report = []
    for name, layer in linear_layers(model):
        index = name[2:] if name.startswith("fc") else "_out"
        passed_on = outputs.get(f"act{index}", outputs[name])
        report.append(LayerStats(
            name=name,
            weight_grad_norm=float(layer.weight.grad.norm()),
            bias_grad_norm=float(layer.bias.grad.norm()),
            activation_mean=float(passed_on.detach().mean()),
            activation_std=float(passed_on.detach().std()) if passed_on.numel() > 1 else 0.0,
            saturated_fraction=slopes.get(f"act{index}", 0.0),
        ))
    model.zero_grad(set_to_none=True)
    return report
