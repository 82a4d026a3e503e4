"""Stored samples -> network input (datasets/base.py)."""
import torch

from playground.engine.datasets.base import IMAGE_MEAN, IMAGE_STD, to_features


def test_images_are_scaled_and_standardised_exactly_and_the_stored_bytes_are_left_alone():
    images = torch.randint(0, 256, (50, 28, 28), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    kept = images.clone()
    features = to_features(images)
    assert features.dtype == torch.float32
    assert torch.equal(features, (images.float() / 255.0 - IMAGE_MEAN) / IMAGE_STD)
    assert torch.equal(images, kept)


def test_other_samples_only_become_float():
    points = torch.tensor([[0.5, -1.0]], dtype=torch.float64)
    assert torch.equal(to_features(points), points.float())
