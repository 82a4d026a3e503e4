"""The dataset registry: one `load_dataset` for every name the config accepts."""
from __future__ import annotations

from ..config import TrainConfig
from ..errors import PlaygroundError
from . import mnist_family, toy2d
from .base import IMAGE_MEAN, IMAGE_STD, Dataset, to_features

IMAGE_DATASETS = ("synthetic-digits", "mnist", "fashion-mnist", "kmnist")
POINT_DATASETS = tuple(toy2d.GENERATORS)

DISPLAY_NAMES = {
    "synthetic-digits": "Built-in digits (offline)",
    "mnist": "MNIST",
    "fashion-mnist": "Fashion-MNIST",
    "kmnist": "KMNIST",
    "moons": "Moons (2-D)",
    "circles": "Circles (2-D)",
    "spiral": "Spiral (2-D)",
    "xor": "XOR (2-D)",
}


def load_dataset(config: TrainConfig, need_train: bool = True, allow_download: bool = True) -> Dataset:
    name = config.dataset
    if name in POINT_DATASETS:
        return toy2d.load(name, seed=config.seed, classes=config.classes)
    if name in mnist_family.FOLDERS:
        return mnist_family.load(name, config.data_dir, need_train=need_train, allow_download=allow_download)
    if name == "synthetic-digits":
        from . import synthetic_digits
        return synthetic_digits.load(seed=config.seed, need_train=need_train)
    raise PlaygroundError(f"unknown dataset '{name}'")


def is_on_disk(name: str, data_dir: str | None = None) -> bool:
    """True when the dataset can be loaded without a download."""
    if name in mnist_family.FOLDERS:
        return mnist_family.is_available(name, data_dir)
    return True


__all__ = ["Dataset", "IMAGE_DATASETS", "IMAGE_MEAN", "IMAGE_STD", "POINT_DATASETS", "DISPLAY_NAMES",
           "load_dataset", "is_on_disk", "to_features"]
