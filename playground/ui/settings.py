"""What the window remembers between launches (QSettings), and the config it starts with."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from playground.engine.config import TrainConfig
from playground.engine.data_options import source_path
from playground.engine.datasets import DATASETS, is_on_disk
from playground.engine.errors import PlaygroundError

SETTINGS_KEY = "config/json"


def settings() -> QSettings:
    return QSettings("mlp-playground", "mlp-playground")


def restored_config() -> tuple[TrainConfig, str | None]:
    """The last session's config, or the CLI defaults; MNIST-family sets missing on disk fall back."""
    note = None
    text = settings().value(SETTINGS_KEY)
    try:
        config = TrainConfig.from_json(text) if isinstance(text, str) else TrainConfig()
    except PlaygroundError:
        config, note = TrainConfig(), "saved settings were unreadable; using the defaults"
    entry = DATASETS.get(config.dataset)
    if entry is None:      # your own file or folder: kept while it is still there
        if not Path(source_path(config.dataset)).expanduser().exists():
            note = f"{source_path(config.dataset)} is gone; starting on the built-in digits"
            config = config.replace(dataset="synthetic-digits")
    elif entry.downloadable and not is_on_disk(config.dataset, config.data_dir):
        note = f"{entry.label} is not on disk; starting on the built-in digits"
        config = config.replace(dataset="synthetic-digits")
    return config, note


def remember_config(config: TrainConfig) -> None:
    settings().setValue(SETTINGS_KEY, config.to_json())
