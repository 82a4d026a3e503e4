"""The dataset registry: one `load_dataset` for every name the config accepts (see `catalog.py`)."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playground.engine.data_options import is_data_source, source_path
from playground.engine.errors import PlaygroundError
from playground.engine.datasets import csv_table, image_folder
from playground.engine.datasets.base import IMAGE_MEAN, IMAGE_STD, Dataset, to_features
from playground.engine.datasets.catalog import DATASETS, IMAGE, POINTS, DatasetEntry, LoadRequest

if TYPE_CHECKING:
    from playground.engine.config import TrainConfig

IMAGE_DATASETS = tuple(name for name, d in DATASETS.items() if d.kind == IMAGE)
POINT_DATASETS = tuple(name for name, d in DATASETS.items() if d.kind == POINTS)
REGRESSION_DATASETS = tuple(name for name, d in DATASETS.items() if d.task == "regression")
DISPLAY_NAMES = {name: d.label for name, d in DATASETS.items()}


def load_dataset(config: "TrainConfig", need_train: bool = True, allow_download: bool = True,
                 recipe: dict | None = None) -> Dataset:
    """The config's dataset; `recipe` (a table model's, from its checkpoint) reads a table as it was trained."""
    name = config.dataset
    if name.startswith(csv_table.PREFIX):
        return csv_table.load_csv(source_path(name), config.label_column, config.task, seed=config.seed,
                                  train_fraction=config.train_fraction, regenerate=config.data_seed,
                                  max_levels=config.max_levels, recipe=recipe)
    if name.startswith(image_folder.PREFIX):
        return image_folder.load_folder(source_path(name), config.image_fit, seed=config.seed,
                                        train_fraction=config.train_fraction, regenerate=config.data_seed)
    entry = DATASETS.get(name)
    if entry is None:
        raise PlaygroundError(f"unknown dataset '{name}'")
    dataset = entry.load(name, LoadRequest(config.data_dir, config.seed, config.classes, need_train, allow_download,
                                           config.noise, config.train_fraction, config.data_seed))
    if config.mix_pen_digits and need_train:
        from playground.engine.datasets import pen_mix
        dataset = pen_mix.mix_into(dataset)
    if config.mix_my_digits and need_train:
        from playground.engine.datasets import my_digits
        dataset = my_digits.mix_into(dataset)
    return dataset


def dataset_key(config: "TrainConfig") -> tuple:
    """Everything the loaded data depends on: equal keys give equal datasets (a cache key). Your own file's
    size and modification time are part of it, so an edited file is read again."""
    name = config.dataset
    seeded = name in POINT_DATASETS or is_data_source(name)
    stamp = None
    if is_data_source(name):
        try:
            st = Path(source_path(name)).expanduser().stat()
            stamp = (st.st_size, st.st_mtime_ns)
        except OSError:
            stamp = None
    data = (config.noise, config.train_fraction, config.data_seed) if seeded else None
    own = (config.label_column, config.task, config.max_levels, config.image_fit, stamp) if is_data_source(name) else None
    return (name, config.data_dir, config.seed if seeded else None, config.classes, data, own,
            config.mix_pen_digits)


def loading_status(config: "TrainConfig") -> str:
    """The status line while the config's data is loaded or made."""
    if config.dataset == "synthetic-digits":
        return "preparing the built-in digits (the first time only, then cached)…"
    if config.mix_pen_digits:
        return f"loading {config.dataset} and drawing the real pen digits mixed into it (once per session)…"
    return f"loading {config.dataset}…"


def describe(dataset: Dataset) -> str:
    """One line about your own data once it is read (rows or images, features, classes, skipped files)."""
    if dataset.name.startswith(image_folder.PREFIX):
        return image_folder.describe(dataset)
    return csv_table.describe(dataset)


def is_on_disk(name: str, data_dir: str | None = None) -> bool:
    """True when the dataset can be loaded without a download."""
    entry = DATASETS.get(name)
    return entry is None or entry.on_disk(name, data_dir)


__all__ = ["DATASETS", "Dataset", "DatasetEntry", "IMAGE_DATASETS", "IMAGE_MEAN", "IMAGE_STD", "POINT_DATASETS",
           "REGRESSION_DATASETS", "DISPLAY_NAMES", "dataset_key", "describe", "load_dataset", "loading_status",
           "is_on_disk", "to_features"]
