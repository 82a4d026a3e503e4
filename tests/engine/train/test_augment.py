import torch

from playground.engine.train.augment import BACKGROUND, augment_batch
from playground.engine.config import TrainConfig, default_augment
from playground.engine.datasets import to_features


def test_augmentation_is_on_by_default_for_the_built_in_digits_only():
    assert TrainConfig().augment is True
    assert TrainConfig(dataset="mnist").augment is False
    assert TrainConfig(dataset="mnist", augment=True).augment is True
    # a config left at its dataset's default follows a new dataset's default (as the CLI builds configs)...
    assert TrainConfig().replace(dataset="mnist").augment is False
    assert TrainConfig(dataset="mnist").replace(dataset="synthetic-digits").augment is True
    # ...but an explicit choice survives a change of dataset
    assert TrainConfig(augment=False).replace(dataset="kmnist").augment is False
    assert TrainConfig(dataset="mnist", augment=True).replace(dataset="fashion-mnist").augment is True
    assert TrainConfig.from_dict(TrainConfig(dataset="mnist").to_dict()).augment is False
    assert default_augment("synthetic-digits") and not default_augment("fashion-mnist")


def test_augmented_digits_keep_their_shape_and_a_blank_background():
    x = torch.zeros(64, 28, 28, dtype=torch.uint8)
    x[:, 6:22, 12:16] = 255
    feats = to_features(x).view(-1, 28, 28)
    out = augment_batch(feats, torch.Generator().manual_seed(0))
    assert out.shape == feats.shape
    corner = out[:, :3, :3]
    assert torch.allclose(corner, torch.full_like(corner, BACKGROUND), atol=1e-3)   # blank stays blank
    ink = out > BACKGROUND + 0.5
    assert bool((ink.sum((1, 2)) > 20).all())          # every digit keeps its stroke
    assert not torch.equal(out[0], out[1])             # each image gets its own transformation
