import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.features import FEATURES, FeatureMap, check_features, feature_matrix, parse_features
from playground.engine.model import build_model, layer_sizes


def test_every_feature_is_computed_from_the_point():
    points = torch.tensor([[2.0, 3.0], [-1.0, 0.5]])
    got = feature_matrix(points, tuple(FEATURES))
    expected = torch.tensor([[2, 3, 4, 9, 6, torch.sin(torch.tensor(2.0)), torch.sin(torch.tensor(3.0))],
                             [-1, 0.5, 1, 0.25, -0.5, torch.sin(torch.tensor(-1.0)), torch.sin(torch.tensor(0.5))]])
    assert torch.allclose(got, expected)


def test_parse_orders_and_refuses_bad_lists():
    assert parse_features("x1x2, x1") == ("x1", "x1x2")
    for bad in ("x3", "x1,x1", ""):
        with pytest.raises(PlaygroundError):
            parse_features(bad)
    with pytest.raises(PlaygroundError, match="unknown input feature"):
        check_features(["x1", "cos-x1"])


def test_feature_map_is_the_first_layer_and_only_for_points():
    config = TrainConfig(dataset="xor", hidden=(4,), dropout=(0.0,), features=("x1x2", "sin-x1"))
    model = build_model(config, 2, 2)
    assert isinstance(model.features, FeatureMap)
    assert model.fc1.in_features == 2 and layer_sizes(config, 2, 2) == [2, 4, 2]
    assert model(torch.zeros(5, 2)).shape == (5, 2)
    one = TrainConfig(dataset="xor", hidden=(4,), dropout=(0.0,), features=("x1x2",))
    assert build_model(one, 2, 2).fc1.in_features == 1
    images = build_model(one, 784, 10)       # images ignore the 2-D features
    assert "features" not in dict(images.named_children()) and images.fc1.in_features == 784
    plain = build_model(TrainConfig(dataset="xor"), 2, 2)
    assert "features" not in dict(plain.named_children())   # old checkpoints keep their layout


def test_x1x2_alone_learns_xor_without_a_hidden_layer():
    from playground.engine.train.training import Trainer
    config = TrainConfig(dataset="xor", hidden=(), dropout=(), features=("x1x2",), lr=0.05, epochs=6,
                         augment=False, device="cpu")
    trainer = Trainer(config)
    records = list(trainer.run())
    assert trainer.history[-1].test_accuracy >= 0.95, records[-1]
    plain = Trainer(config.replace(features=("x1", "x2")))
    list(plain.run())
    assert plain.history[-1].test_accuracy < 0.75    # a linear model on x1, x2 cannot do XOR
