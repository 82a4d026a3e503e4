"""The config's data settings (noise, train share, Regenerate, input features, your own files): limits and
checks, kept apart from the datasets so the config can use them without importing any loader."""
from __future__ import annotations

from typing import Any

from playground.engine.errors import PlaygroundError
from playground.engine.features import PLAIN, check_features

DEFAULT_NOISE = 0.1                # the spread the 2-D sets always had
NOISE_RANGE = (0.0, 0.5)
DEFAULT_TRAIN_FRACTION = 2 / 3     # 2,000 training and 1,000 test points of the 2-D sets, as before
TRAIN_FRACTION_RANGE = (0.1, 0.9)
MAX_DATA_SEED = 2**31 - 1
TASKS = ("auto", "classification", "regression")
IMAGE_FITS = ("digit", "resize")   # your images: normalised like drawings, or simply resized to 28x28
MAX_LEVELS_LIMIT = 100_000   # csv: the highest level cap (--max-levels) a config may ask for
SOURCE_PREFIXES = ("csv:", "folder:")   # datasets that are the user's own file or folder

__all__ = ["DEFAULT_NOISE", "NOISE_RANGE", "DEFAULT_TRAIN_FRACTION", "TRAIN_FRACTION_RANGE", "TASKS", "PLAIN",
           "SOURCE_PREFIXES", "IMAGE_FITS", "is_data_source", "source_path", "check_data_fields"]


def is_data_source(name: str) -> bool:
    """True for 'csv:FILE' and 'folder:DIR'."""
    return isinstance(name, str) and name.startswith(SOURCE_PREFIXES)


def source_path(name: str) -> str:
    """'csv:/a/b.csv' -> '/a/b.csv'."""
    return name.split(":", 1)[1]


def _real(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def check_data_fields(config: Any) -> None:
    """Validate a TrainConfig's data fields; a PlaygroundError in words a learner can act on."""
    if is_data_source(config.dataset) and not source_path(config.dataset).strip():
        raise PlaygroundError(f"'{config.dataset}' names no file: write csv:FILE or folder:DIR")
    if not _real(config.noise) or not NOISE_RANGE[0] <= config.noise <= NOISE_RANGE[1]:
        raise PlaygroundError(f"noise must be between 0 and 0.5 (0-50 %), got {config.noise}")
    low, high = TRAIN_FRACTION_RANGE
    if not _real(config.train_fraction) or not low - 1e-9 <= config.train_fraction <= high + 1e-9:
        raise PlaygroundError(f"the training share must be between {low:g} and {high:g} "
                              f"({low:.0%}-{high:.0%}), got {config.train_fraction}")
    seed = config.data_seed
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_DATA_SEED:
        raise PlaygroundError(f"data seed must be a whole number from 0 to {MAX_DATA_SEED}, got {seed!r}")
    object.__setattr__(config, "features", check_features(config.features))
    if config.label_column is not None and not isinstance(config.label_column, str):
        raise PlaygroundError(f"label column must be a column name or index, got {config.label_column!r}")
    if config.task not in TASKS:
        raise PlaygroundError(f"unknown task '{config.task}'; choose one of: {', '.join(TASKS)}")
    if isinstance(config.max_levels, bool) or not isinstance(config.max_levels, int) or not \
            1 <= config.max_levels <= MAX_LEVELS_LIMIT:
        raise PlaygroundError(f"the level cap must be a whole number from 1 to {MAX_LEVELS_LIMIT:,}, got "
                              f"{config.max_levels!r}")
    if config.image_fit not in IMAGE_FITS:
        raise PlaygroundError(f"unknown image fit '{config.image_fit}'; choose one of: {', '.join(IMAGE_FITS)}")
