import math

import pytest
import torch
from torch import nn

from playground.engine.registry import ACTIVATIONS, INITS, activation_curve

ANALYTIC_DERIVATIVES = {
    "sigmoid": lambda x: torch.sigmoid(x) * (1 - torch.sigmoid(x)),
    "tanh": lambda x: 1 - torch.tanh(x) ** 2,
    "relu": lambda x: (x > 0).double(),
    "leaky-relu": lambda x: torch.where(x > 0, 1.0, 0.01).double(),
    "softplus": torch.sigmoid,
    "elu": lambda x: torch.where(x > 0, torch.ones_like(x), torch.exp(x)),
    "identity": torch.ones_like,
    "selu": lambda x: 1.0507009873554805 * torch.where(x > 0, torch.ones_like(x), 1.6732632423543772 * torch.exp(x)),
    "gelu": lambda x: 0.5 * (1 + torch.erf(x / math.sqrt(2))) + x * torch.exp(-x**2 / 2) / math.sqrt(2 * math.pi),
}


def test_every_activation_has_an_analytic_check():
    assert set(ANALYTIC_DERIVATIVES) == set(ACTIVATIONS)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_autograd_derivative_matches_the_analytic_form(name):
    x = torch.linspace(-6, 6, 1201, dtype=torch.float64)
    x = x[x.abs() > 1e-9]  # the kink of relu-like functions has no derivative
    _, grad = activation_curve(name, x)
    assert torch.allclose(grad, ANALYTIC_DERIVATIVES[name](x).to(grad.dtype), atol=1e-6)


def test_sigmoid_slope_is_at_most_a_quarter():
    _, grad = activation_curve("sigmoid", torch.linspace(-10, 10, 2001))
    assert grad.max() == pytest.approx(0.25, abs=1e-6)


def _init(name: str, fan_in: int = 400, fan_out: int = 300, activation: str = "relu") -> nn.Linear:
    layer = nn.Linear(fan_in, fan_out)
    INITS[name].apply(layer, ACTIVATIONS[activation], torch.Generator().manual_seed(0))
    return layer


@pytest.mark.parametrize("name, expected_std", [
    ("normal-0.01", 0.01),
    ("normal-1", 1.0),
    ("xavier-normal", math.sqrt(2 / 700)),
    ("xavier-uniform", math.sqrt(2 / 700)),
    ("kaiming-normal", math.sqrt(2 / 400)),
    ("kaiming-uniform", math.sqrt(2 / 400)),
    ("default", 1 / math.sqrt(3 * 400)),
])
def test_init_gives_the_documented_weight_scale(name, expected_std):
    layer = _init(name)
    assert layer.weight.std().item() == pytest.approx(expected_std, rel=0.05)
    if name != "default":
        assert torch.count_nonzero(layer.bias) == 0


def test_zeros_init_zeroes_everything():
    layer = _init("zeros")
    assert torch.count_nonzero(layer.weight) == 0 and torch.count_nonzero(layer.bias) == 0


def test_kaiming_uses_the_tanh_gain_for_tanh():
    layer = _init("kaiming-normal", activation="tanh")
    assert layer.weight.std().item() == pytest.approx(5 / 3 / math.sqrt(400), rel=0.05)


def test_inits_are_deterministic_from_the_generator():
    for name in INITS:
        assert torch.equal(_init(name).weight, _init(name).weight)
