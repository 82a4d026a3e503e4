"""The dataset registry: one `load_dataset` for every name the config accepts (see `catalog.py`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import PlaygroundError
from .base import IMAGE_MEAN, IMAGE_STD, Dataset, to_features
from .catalog import DATASETS, IMAGE, POINTS, DatasetEntry, LoadRequest

if TYPE_CHECKING:
    from ..config import TrainConfig

IMAGE_DATASETS = tuple(name for name, d in DATASETS.items() if d.kind == IMAGE)
POINT_DATASETS = tuple(name for name, d in DATASETS.items() if d.kind == POINTS)
DISPLAY_NAMES = {name: d.label for name, d in DATASETS.items()}


def load_dataset(config: "TrainConfig", need_train: bool = True, allow_download: bool = True) -> Dataset:
    entry = DATASETS.get(config.dataset)
    if entry is None:
        raise PlaygroundError(f"unknown dataset '{config.dataset}'")
    dataset = entry.load(config.dataset, LoadRequest(config.data_dir, config.seed, config.classes, need_train,
                                                     allow_download))
    if config.mix_my_digits and need_train:
        from . import my_digits
        dataset = my_digits.mix_into(dataset)
    return dataset


def is_on_disk(name: str, data_dir: str | None = None) -> bool:
    """True when the dataset can be loaded without a download."""
    entry = DATASETS.get(name)
    return entry is None or entry.on_disk(name, data_dir)


__all__ = ["DATASETS", "Dataset", "DatasetEntry", "IMAGE_DATASETS", "IMAGE_MEAN", "IMAGE_STD", "POINT_DATASETS",
           "DISPLAY_NAMES", "load_dataset", "is_on_disk", "to_features"]
