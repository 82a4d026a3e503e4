import pytest
import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.model import build_model, check_fits, estimate_cost, linear_layers


def test_layers_are_linear_activation_dropout_with_plain_logits():
    model = build_model(TrainConfig(hidden=(20, 10), activation="tanh", dropout=(0.5, 0.0)), 784, 10)
    kinds = [type(m).__name__ for m in model]
    assert kinds == ["Flatten", "Linear", "Tanh", "Dropout", "Linear", "Tanh", "Linear"]
    assert isinstance(model[-1], nn.Linear)


def test_no_hidden_layer_is_softmax_regression():
    model = build_model(TrainConfig(hidden=()), 784, 10)
    assert [n for n, _ in linear_layers(model)] == ["out"]
    assert model(torch.zeros(3, 28, 28)).shape == (3, 10)


def test_parameter_estimate_matches_the_built_model():
    config = TrainConfig(hidden=(200, 200))
    model = build_model(config, 784, 10)
    assert estimate_cost(config, 784, 10).parameters == sum(p.numel() for p in model.parameters())


def test_a_network_too_large_for_memory_is_refused_before_allocating():
    config = TrainConfig(hidden=(1_000_000, 1_000_000))
    with pytest.raises(PlaygroundError, match=r"1,000,\d{3},\d{3},\d{3} parameters.*GiB"):
        check_fits(config, 784, 10, torch.device("cpu"))


def test_same_seed_same_weights():
    a = build_model(TrainConfig(), 784, 10, torch.Generator().manual_seed(1))
    b = build_model(TrainConfig(), 784, 10, torch.Generator().manual_seed(1))
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters()))


def test_output_activation_is_applied_after_the_logits_only_when_asked():
    plain = build_model(TrainConfig(hidden=(8,)), 784, 10)
    wrong = build_model(TrainConfig(hidden=(8,), output_activation="relu"), 784, 10)
    assert isinstance(plain[-1], nn.Linear)
    assert [type(m).__name__ for m in wrong][-2:] == ["Linear", "ReLU"]
    assert (wrong(torch.randn(64, 784)) >= 0).all()   # every negative score clipped: the lesson of the preset
    assert [n for n, _ in linear_layers(wrong)] == ["fc1", "out"]


def test_an_old_config_without_output_activation_loads_with_plain_logits():
    old = TrainConfig().to_dict()
    del old["output_activation"]
    assert TrainConfig.from_dict(old).output_activation == "none"
