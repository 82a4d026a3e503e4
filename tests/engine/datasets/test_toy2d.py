import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets import load_dataset, toy2d
from playground.engine.errors import PlaygroundError


def test_defaults_give_the_sets_they_always_gave():
    d = toy2d.load("moons", seed=0)
    assert len(d.train_y) == 2000 and len(d.test_y) == 1000
    assert torch.equal(d.train_x, toy2d.load("moons", seed=0).train_x)


def test_train_fraction_noise_and_regenerate():
    half = toy2d.load("circles", train_fraction=0.5)
    assert len(half.train_y) == 1500 and len(half.test_y) == 1500
    assert len(toy2d.load("circles", train_fraction=0.1).train_y) == 300
    clean, noisy = toy2d.load("circles", noise=0.0), toy2d.load("circles", noise=0.5)
    radius = lambda d: d.train_x.norm(dim=1)
    # without noise each class lies on its ring: the radii spread far less within a class
    assert radius(clean)[clean.train_y == 0].std() < radius(noisy)[noisy.train_y == 0].std() / 3
    again = toy2d.load("xor", regenerate=1)
    assert not torch.equal(again.train_x, toy2d.load("xor").train_x)
    assert torch.equal(again.train_x, toy2d.load("xor", regenerate=1).train_x)
    with pytest.raises(PlaygroundError, match="noise"):
        toy2d.load("xor", noise=0.6)


def test_gauss_blobs_and_regression_sets():
    g = toy2d.load("gauss")
    assert g.n_classes == 2 and not g.is_regression
    assert g.train_x[g.train_y == 0].mean(0).sum() * g.train_x[g.train_y == 1].mean(0).sum() < 0
    for name in ("reg-plane", "reg-gauss"):
        r = toy2d.load(name)
        assert r.is_regression and r.n_outputs == 1 and r.train_y.dtype == torch.float32
        assert r.train_y.abs().max() < 2


def test_config_fields_reach_the_loader():
    d = load_dataset(TrainConfig(dataset="spiral", classes=3, train_fraction=0.9, noise=0.0, data_seed=5))
    assert len(d.train_y) == 2700 and d.n_classes == 3
