"""A table file -> a Dataset: read (cached), label and task, seeded split, fitted recipe, encoded features.

The read frame is cached by (path, size, modification time, reading options), so a change of seed, split,
label column or level cap refits the recipe without reading the file again.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import polars as pl
import torch

from playground.engine.data_options import TASKS
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION, data_seed, seeded_split
from playground.engine.datasets.tables.columns import (CATEGORICAL, DROPPED, MAX_LEVELS, NUMERIC, ColumnInfo,
                                                       as_numbers, as_words, column_info)
from playground.engine.datasets.tables.progress import step
from playground.engine.datasets.tables.reading import ReadOptions, read_frame, sniff
from playground.engine.datasets.tables.recipe import encode, fit_recipe
from playground.engine.errors import PlaygroundError

PREFIX = "csv:"
MAX_AUTO_CLASSES = 50        # more distinct whole-number labels than this: a regression target
_CACHE: dict[tuple, pl.DataFrame] = {}
_CACHE_SIZE = 2
reads = 0                    # how many times a file was actually read (the cache's test looks at it)


def read_cached(path: str | Path) -> tuple[pl.DataFrame, ReadOptions]:
    """The file's frame and how it was read; read again only when the file (size, mtime) changed."""
    global reads
    path = Path(path).expanduser()
    options = sniff(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, options)
    frame = _CACHE.get(key)
    if frame is None:
        step(f"reading {path.name} ({st.st_size / 1024**2:,.0f} MB)")
        frame = read_frame(path, options)
        reads += 1
        while len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = frame
    return frame, options


def resolve_label(frame: pl.DataFrame, label_column: str | int | None, path: Path) -> str:
    names = frame.columns
    if label_column is None or str(label_column).strip() == "":
        return names[-1]
    text = str(label_column).strip()
    if text in names:
        return text
    if re.fullmatch(r"-?\d+", text):
        index = int(text)
        if -len(names) <= index < len(names):
            return names[index]
        raise PlaygroundError(f"{path}: label column {index} is outside the file's {len(names)} columns "
                              f"(0 to {len(names) - 1}, or -1 for the last)")
    listed = ", ".join(names[:30]) + (", …" if len(names) > 30 else "")
    raise PlaygroundError(f"{path}: no label column named '{text}'; its columns are: {listed}")


def decide_task(label: pl.Series, task: str, path: Path) -> tuple[str, np.ndarray | None]:
    """('classification' or 'regression', the label as numbers or None when it holds words)."""
    if task not in TASKS:
        raise PlaygroundError(f"unknown task '{task}'; choose one of: {', '.join(TASKS)}")
    values = None
    if label.dtype != pl.Boolean:
        numbers = as_numbers(label)
        if numbers.null_count() == 0:
            values = numbers.to_numpy()
    if values is not None and not np.isfinite(values).all():
        raise PlaygroundError(f"{path}: the label column '{label.name}' holds infinite values")
    whole = values is not None and bool(np.all(values == np.round(values)))
    if task == "regression":
        if values is None:
            word = as_words(label).filter(as_numbers(label).is_null())[0]
            raise PlaygroundError(f"{path}: regression needs a numeric label column, but '{label.name}' holds "
                                  f"'{word}'")
        return "regression", values
    if task == "classification":
        if values is not None and not whole:
            raise PlaygroundError(f"{path}: the labels are not whole numbers or words (e.g. "
                                  f"{values[values != np.round(values)][0]:g}); use --task regression")
        return "classification", values
    if values is None or (whole and len(np.unique(values)) <= MAX_AUTO_CLASSES):
        return "classification", values
    return "regression", values


def class_index(label: pl.Series, values: np.ndarray | None) -> tuple[np.ndarray, list[str]]:
    """Class index per row and the class names: numbers in numeric order, words in alphabetical order."""
    if values is not None:
        unique, rank = np.unique(values, return_inverse=True)
        return rank, [f"{v:g}" if v != int(v) else str(int(v)) for v in unique]
    words = as_words(label).to_numpy().astype(str)
    unique, rank = np.unique(words, return_inverse=True)
    return rank, [str(u) for u in unique]


def table_defaults(n_train: int) -> dict:
    """Batch size and epochs that fit a table of `n_train` training rows.

    The batch grows with the square root of the rows (a power of two from 8 to 128: 100 rows -> 16, 600 ->
    32, 2,000 -> 64); the epochs give about TARGET_STEPS optimizer steps, from 5 to 200 epochs (100 rows:
    200 epochs of 7 steps; 36,000 rows: 11 epochs of 282 steps; a million rows: 5 epochs).
    """
    batch = int(min(128, max(8, 2 ** round(math.log2(max(1.6 * math.sqrt(max(n_train, 1)), 1))))))
    steps = math.ceil(n_train / batch)
    epochs = int(min(200, max(5, math.ceil(TARGET_STEPS / steps))))
    return {"batch_size": batch, "epochs": epochs}


TARGET_STEPS = 3000


def with_table_defaults(config, dataset: Dataset, given: set[str]):
    """`config` with the table's batch size and epochs for every one of them the user did not give."""
    changes = {k: v for k, v in dataset.defaults.items() if k not in given}
    return config.replace(**changes) if changes else config


class Prepared:
    """A table with its label column read: rows kept, feature columns typed, the task and classes."""

    def __init__(self, path: str | Path, label_column: str | int | None = None, task: str = "auto",
                 max_levels: int = MAX_LEVELS) -> None:
        self.path = path = Path(path).expanduser()
        frame, self.options = read_cached(path)
        if frame.height == 0:
            raise PlaygroundError(f"{path} has a header row but no data rows")
        self.rows_read = frame.height
        self.label = resolve_label(frame, label_column, path)
        if frame.width < 2:
            raise PlaygroundError(f"{path} has a single column; it needs at least one feature column and a "
                                  f"label column (separated by commas, semicolons or tabs)")
        label = frame[self.label]
        keep = label.is_not_null()
        if label.dtype.is_float():
            keep = keep & label.is_not_nan()
        self.label_missing = int((~keep).sum())
        self.frame = frame.filter(keep) if self.label_missing else frame
        n = self.frame.height
        if n == 0:
            raise PlaygroundError(f"{path}: every row's label '{self.label}' is missing")
        if n == 1:
            raise PlaygroundError(f"{path} has a single data row; it needs at least 2 (one to train on, one "
                                  f"to test)")
        self.task, self.values = decide_task(self.frame[self.label], task, path)
        names = [c for c in self.frame.columns if c != self.label]
        self.columns: list[ColumnInfo] = []
        for i, c in enumerate(names):
            step("typing columns", i, len(names))
            self.columns.append(column_info(self.frame[c], max_levels, self.options.decimal_comma))
        if self.task == "classification":
            self.y, self.classes = class_index(self.frame[self.label], self.values)
            if len(self.classes) < 2:
                raise PlaygroundError(f"{path}: the label column '{self.label}' holds a single class "
                                      f"('{self.classes[0]}'); a classifier needs at least two")
            if len(self.classes) * 2 > n:
                raise PlaygroundError(f"{path}: {len(self.classes)} classes in {n} rows; each class needs at "
                                      f"least two rows on average (is '{self.label}' really the label column? "
                                      f"use --label-column, or --task regression for a numeric target)")
        else:
            self.y, self.classes = self.values.astype(np.float64), []
        if not any(c.kind != DROPPED for c in self.columns):
            reasons = "; ".join(f"'{c.name}': {c.reason}" for c in self.columns[:5])
            raise PlaygroundError(f"{path}: no feature column is left ({reasons})")


def load_table(path: str | Path, label_column: str | int | None = None, task: str = "auto", seed: int = 0,
               train_fraction: float = DEFAULT_TRAIN_FRACTION, regenerate: int = 0, max_levels: int = MAX_LEVELS,
               recipe: dict | None = None) -> Dataset:
    """Read (cached), split (seeded), fit the recipe on the training rows (or apply a given one) and encode."""
    if recipe is not None:     # a trained model's table: its label, task and classes, whatever this file holds
        label_column, task = recipe["label"], recipe["task"]
    p = Prepared(path, label_column, task, max_levels)
    if recipe is not None and p.task == "classification" and p.classes != recipe["classes"]:
        p.y = _recode(p, recipe["classes"])
    n = p.frame.height
    g = torch.Generator().manual_seed(data_seed(seed, regenerate))
    train, test = (t.numpy() for t in seeded_split(n, train_fraction, g))
    if recipe is None:
        recipe = fit_recipe(p.frame, p.columns, np.sort(train), p.options.decimal_comma)
        target = None
        if p.task == "regression":
            y_train = p.y[train]
            std = float(y_train.std(ddof=1)) if len(y_train) > 1 else 1.0
            target = {"mean": float(y_train.mean()), "std": std if std > 0 else 1.0}
        label_dtype = p.frame[p.label].dtype
        label_source = "bool" if label_dtype == pl.Boolean else "number" if p.values is not None else "text"
        recipe.update({"label": p.label, "task": p.task, "classes": p.classes, "target": target,
                       "label_source": label_source, "read": p.options.to_dict()})
    x = torch.from_numpy(encode(p.frame, recipe))
    if p.task == "regression":
        t = recipe["target"]
        y = torch.from_numpy(((p.y - t["mean"]) / t["std"]).astype(np.float32))
    else:
        y = torch.from_numpy(p.y.astype(np.int64))
    train_t, test_t = torch.from_numpy(train), torch.from_numpy(test)
    numeric_only = all(c["kind"] == NUMERIC and not c["indicator"] for c in recipe["columns"])
    kind = "points" if x.shape[1] == 2 and numeric_only else "table"
    dataset = Dataset(f"{PREFIX}{p.path}", kind, x[train_t], y[train_t], x[test_t], y[test_t],
                      list(recipe["classes"]), task=p.task, feature_names=list(recipe["features"]),
                      target_name=p.label)
    dataset.recipe = recipe
    dataset.defaults = table_defaults(len(train))
    dataset.notes = notes(p)
    if p.task == "regression":
        dataset.target_scale = (recipe["target"]["mean"], recipe["target"]["std"])
    return dataset


def _recode(p: Prepared, classes: list[str]) -> np.ndarray:
    """This file's class indices in the model's class order; a class the model does not know is refused."""
    unknown = [c for c in p.classes if c not in classes]
    if unknown:
        raise PlaygroundError(f"{p.path}: the label '{p.label}' holds '{unknown[0]}', which is not one of the "
                              f"model's classes ({', '.join(classes[:10])})")
    order = np.array([classes.index(c) for c in p.classes])
    return order[p.y]


def notes(p: Prepared) -> list[str]:
    """One line per thing the user should know: dropped columns and rows, stray text in numbers."""
    out = [f"column '{c.name}' left out: {c.reason}" for c in p.columns if c.kind == DROPPED]
    out += [f"column '{c.name}': {c.not_numbers} cells were not numbers and are read as missing"
            for c in p.columns if c.not_numbers]
    if p.label_missing:
        out.append(f"{p.label_missing} rows without a label '{p.label}' were dropped")
    return out


def feature_count(columns: list[ColumnInfo]) -> int:
    """Features after encoding, counted on the whole table (the recipe counts the training split's)."""
    count = 0
    for c in columns:
        if c.kind == NUMERIC:
            count += 1 + (c.missing > 0)
        elif c.kind == CATEGORICAL:
            count += (c.levels or 0) + (c.missing > 0)
    return count
