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


# --- optimizers and losses -------------------------------------------------------------------------
import pytest  # noqa: E402
from torch import nn  # noqa: E402

from playground.engine import registry  # noqa: E402
from playground.engine.config import TrainConfig  # noqa: E402
from playground.engine.errors import PlaygroundError  # noqa: E402
from playground.engine.model import estimate_cost  # noqa: E402


@pytest.mark.parametrize("name", list(registry.OPTIMIZERS))
def test_every_optimizer_entry_builds_and_keeps_the_state_it_declares(name):
    entry = registry.OPTIMIZERS[name]
    assert entry.label and entry.tooltip
    model = nn.Linear(3, 2)
    opt = registry.build_optimizer(TrainConfig(optimizer=name, weight_decay=0.1, momentum=0.5), model)
    model(torch.ones(4, 3)).sum().backward()
    opt.step()
    tensors = [v for v in opt.state[model.weight].values() if torch.is_tensor(v) and v.shape == model.weight.shape]
    assert len(tensors) == entry.state_copies
    assert [g["weight_decay"] for g in opt.param_groups] == [0.1, 0.0]


def test_decay_groups_include_biases_only_when_asked():
    groups = registry.parameter_groups(nn.Linear(3, 2), 0.5, decay_biases=True)
    assert [g["weight_decay"] for g in groups] == [0.5, 0.5]


def test_memory_estimate_reads_the_state_copies():
    sgd = estimate_cost(TrainConfig(optimizer="sgd", hidden=(8,)), 2, 2)
    adam = estimate_cost(TrainConfig(optimizer="adam", hidden=(8,)), 2, 2)
    assert adam.bytes_training - sgd.bytes_training == 4 * 2 * sgd.parameters


@pytest.mark.parametrize("name", list(registry.LOSSES))
def test_every_loss_entry_gives_a_scalar_that_prefers_the_right_class(name):
    fn = registry.LOSSES[name].fn
    y = torch.tensor([0, 1])
    right = fn(torch.tensor([[5.0, -5.0], [-5.0, 5.0]]), y)
    wrong = fn(torch.tensor([[-5.0, 5.0], [5.0, -5.0]]), y)
    assert right.ndim == 0 and right < wrong


def test_a_new_optimizer_is_one_entry(monkeypatch, qtbot):
    """Registering an entry is enough for validation, the CLI help and the window's combo."""
    entry = registry.Optimizer("throwaway", "Throwaway SGD", "a test entry", 
                               lambda groups, lr, m: torch.optim.SGD(groups, lr=lr), 0)
    with pytest.raises(PlaygroundError, match="unknown optimizer"):
        TrainConfig(optimizer="throwaway")
    monkeypatch.setitem(registry.OPTIMIZERS, "throwaway", entry)
    assert TrainConfig(optimizer="throwaway").optimizer == "throwaway"
    from playground.cli import build_parser
    assert "throwaway" in build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    from playground.ui.training.config_panel import ConfigPanel
    panel = ConfigPanel(TrainConfig(optimizer="throwaway"))
    qtbot.addWidget(panel)
    index = panel.optimizer.findData("throwaway")
    assert index >= 0 and panel.optimizer.itemText(index) == "Throwaway SGD"
    assert panel.config().optimizer == "throwaway"


def test_every_init_and_optimizer_carries_its_exported_script_text():
    from playground.engine.registry import INITS, OPTIMIZERS
    assert all(init.script for init in INITS.values())
    assert all(opt.script.startswith("torch.optim.") for opt in OPTIMIZERS.values())
    assert ACTIVATIONS["leaky-relu"].kaiming_kwargs == {"a": 0.01, "nonlinearity": "leaky_relu"}
