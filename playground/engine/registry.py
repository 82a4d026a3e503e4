"""Activations and weight initialisations: the single source the model, CLI, window and lab use.

Each activation is a torch module factory plus the facts a learner needs; its derivative is never
hand-written here, it comes from autograd (see `activation_curve`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn


@dataclass(frozen=True)
class Activation:
    name: str
    make: Callable[[], nn.Module]
    summary: str
    # nonlinearity name understood by torch.nn.init.kaiming_*/calculate_gain
    gain_name: str
    gain_param: float | None = None


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("relu", nn.ReLU, "max(0, x): cheap, does not saturate for x>0; units can die "
                   "(gradient 0 for x<0).", "relu"),
        Activation("sigmoid", nn.Sigmoid, "1/(1+e^-x): squashes to (0,1); its slope is at most 0.25, "
                   "so deep sigmoid stacks make gradients vanish.", "sigmoid"),
        Activation("tanh", nn.Tanh, "squashes to (-1,1), zero-centred; slope at most 1, but it is nearly "
                   "flat beyond |x| = 3.", "tanh"),
        Activation("leaky-relu", lambda: nn.LeakyReLU(0.01), "like ReLU but slope 0.01 for x<0, so "
                   "units cannot die completely.", "leaky_relu", 0.01),
        Activation("selu", nn.SELU, "scaled ELU that keeps activations near mean 0, std 1 "
                   "(self-normalising) with LeCun-normal init.", "selu"),
        Activation("softplus", nn.Softplus, "log(1+e^x): a smooth ReLU; slope is sigmoid(x).", "relu"),
        Activation("elu", nn.ELU, "x for x>0, e^x-1 below: smooth, negative outputs push the mean "
                   "towards 0.", "relu"),
        Activation("gelu", nn.GELU, "x*Phi(x): the smooth ReLU used by transformers.", "relu"),
        Activation("identity", nn.Identity, "no non-linearity: any stack of layers collapses to one "
                   "linear map.", "linear"),
    ]
}


def _kaiming_kwargs(act: Activation) -> dict:
    if act.gain_name == "leaky_relu":
        return {"a": act.gain_param or 0.01, "nonlinearity": "leaky_relu"}
    if act.gain_name in ("relu", "linear", "tanh", "sigmoid", "selu"):
        return {"nonlinearity": act.gain_name}
    return {"nonlinearity": "relu"}


@dataclass(frozen=True)
class Init:
    name: str
    summary: str
    apply: Callable[[nn.Linear, Activation, torch.Generator | None], None]


def _zero_bias(layer: nn.Linear) -> None:
    nn.init.zeros_(layer.bias)


def _normal(std: float):
    def apply(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
        nn.init.normal_(layer.weight, 0.0, std, generator=gen)
        _zero_bias(layer)
    return apply


def _with_zero_bias(fn):
    def apply(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
        fn(layer, act, gen)
        _zero_bias(layer)
    return apply


def _default(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
    # PyTorch's own nn.Linear init: kaiming-uniform with a=sqrt(5) on weights, U(+-1/sqrt(fan_in)) bias.
    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=gen)
    bound = 1.0 / math.sqrt(layer.in_features)
    nn.init.uniform_(layer.bias, -bound, bound, generator=gen)


def _zeros(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)


INITS: dict[str, Init] = {
    i.name: i
    for i in [
        Init("default", "PyTorch's nn.Linear default: uniform, scaled by 1/sqrt(fan_in).", _default),
        Init("normal-0.01", "weights ~ N(0, 0.01^2), biases 0: the d2l tutorials' small random init.",
             _normal(0.01)),
        Init("normal-1", "weights ~ N(0, 1) (plain randn): far too large, activations and gradients "
             "explode or saturate.", _normal(1.0)),
        Init("xavier-uniform", "Glorot uniform: keeps variance equal forwards and backwards for "
             "tanh/sigmoid-like units.",
             _with_zero_bias(lambda l, a, g: nn.init.xavier_uniform_(l.weight, generator=g))),
        Init("xavier-normal", "Glorot normal: N(0, 2/(fan_in+fan_out)).",
             _with_zero_bias(lambda l, a, g: nn.init.xavier_normal_(l.weight, generator=g))),
        Init("kaiming-uniform", "He uniform: variance 2/fan_in, made for ReLU-family units.",
             _with_zero_bias(lambda l, a, g: nn.init.kaiming_uniform_(
                 l.weight, generator=g, **_kaiming_kwargs(a)))),
        Init("kaiming-normal", "He normal: N(0, 2/fan_in), made for ReLU-family units.",
             _with_zero_bias(lambda l, a, g: nn.init.kaiming_normal_(
                 l.weight, generator=g, **_kaiming_kwargs(a)))),
        Init("zeros", "all weights 0: every unit computes the same thing, symmetry is never broken.",
             _zeros),
    ]
}

OPTIMIZERS: dict[str, str] = {
    "sgd": "plain stochastic gradient descent: w -= lr * grad.",
    "momentum": "SGD with momentum: a running velocity smooths and speeds up descent.",
    "adam": "Adam: per-weight step sizes from running gradient moments; forgiving of the learning rate.",
}

LOSSES: dict[str, str] = {
    "cross-entropy": "softmax + negative log-likelihood: the standard classification loss.",
    "mse": "mean squared error between softmax probabilities and one-hot targets: learns slower.",
}


def activation_curve(name: str, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) and f'(x) through autograd, as the tutorials plot them."""
    module = ACTIVATIONS[name].make()
    x = x.detach().clone().requires_grad_(True)
    y = module(x)
    y.backward(torch.ones_like(x))
    return y.detach(), x.grad.detach()
