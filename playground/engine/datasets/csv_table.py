"""Your own table as a Dataset: the entry the dataset registry calls (`csv:FILE`), over datasets/tables/.

Reading, typing, the fitted recipe and the description live in `datasets/tables/` (polars underneath);
this module keeps the names the rest of the app uses.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from playground.engine.datasets.base import Dataset
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION
from playground.engine.datasets.tables import MAX_LEVELS, PREFIX, load_table, sniff

__all__ = ["PREFIX", "load_csv", "describe", "sniff", "to_csv_text"]


def load_csv(path: str | Path, label_column: str | int | None = None, task: str = "auto", seed: int = 0,
             train_fraction: float = DEFAULT_TRAIN_FRACTION, regenerate: int = 0, max_levels: int = MAX_LEVELS,
             recipe: dict | None = None) -> Dataset:
    """Read (cached), check, split (seeded), fit the recipe on the training split (or apply `recipe`)."""
    return load_table(path, label_column, task, seed, train_fraction, regenerate, max_levels, recipe)


def describe(dataset: Dataset) -> str:
    """One line about a loaded table, for the CLI and the window's status."""
    n = len(dataset.test_y) + (len(dataset.train_y) if dataset.train_y is not None else 0)
    what = (f"{dataset.n_classes} classes ({', '.join(dataset.class_names[:6])}"
            f"{', …' if dataset.n_classes > 6 else ''})" if not dataset.is_regression
            else f"regression of '{dataset.target_name}'")
    left = [note for note in dataset.notes if "left out" in note]
    return f"{n:,} rows, {dataset.n_inputs} features, {what}" + (f"; {len(left)} columns left out" if left else "")


def to_csv_text(x: np.ndarray, labels: list | np.ndarray, header: list[str] | None = None) -> str:
    """A table as CSV text (used by tests and benchmarks to write files)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(header)
    for row, label in zip(x.tolist(), labels):
        writer.writerow([f"{v:.6g}" for v in row] + [label])
    return out.getvalue()
