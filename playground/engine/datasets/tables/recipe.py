"""The fitted recipe: which columns become which features, with the training split's statistics, as plain
JSON-able data. Fitting looks at the training rows only; applying it to any rows (the test split, a new
file read by a loaded model, an exported script) gives the same features.

Per column: numeric -> missing cells take the training median, plus a "was missing" 0/1 feature when the
training split has gaps; categorical -> one 0/1 feature per level seen in training (a level of its own for
missing cells when training has them; a level never seen maps to all zeros). Every feature is then
standardised with the training split's mean and standard deviation (a constant one keeps std 1).
"""
from __future__ import annotations

import numpy as np
import polars as pl

from playground.engine.datasets.tables.columns import CATEGORICAL, NUMERIC, ColumnInfo, as_numbers, as_words
from playground.engine.datasets.tables.progress import step

RECIPE_VERSION = 1
MISSING_LEVEL = "(missing)"


def _level_order(levels: list[str]) -> list[str]:
    """Numbers in numeric order, then words in alphabetical order."""
    def key(level: str):
        try:
            return (0, float(level), "")
        except ValueError:
            return (1, 0.0, level)
    return sorted(levels, key=key)


def fit_recipe(frame: pl.DataFrame, columns: list[ColumnInfo], train_rows: np.ndarray,
               decimal_comma: bool = False) -> dict:
    """The column part of a recipe (kinds, levels, medians, feature means/stds) fitted on `train_rows`."""
    train = frame[train_rows]
    specs = []
    for i, info in enumerate(columns):
        step("fitting the recipe", i, len(columns))
        if info.kind == NUMERIC:
            values = as_numbers(train[info.name], decimal_comma)
            gaps = values.null_count()
            median = values.median()
            specs.append({"name": info.name, "kind": NUMERIC,
                          "median": float(median) if median is not None else 0.0, "indicator": gaps > 0})
        elif info.kind == CATEGORICAL:
            words = as_words(train[info.name])
            levels = _level_order([str(v) for v in words.drop_nulls().unique().to_list()])
            if words.null_count() > 0:
                levels.append(MISSING_LEVEL)
            dtype = frame[info.name].dtype
            source = "bool" if dtype == pl.Boolean else "number" if dtype.is_numeric() else "text"
            specs.append({"name": info.name, "kind": CATEGORICAL, "levels": levels, "source": source})
    recipe = {"version": RECIPE_VERSION, "decimal_comma": decimal_comma, "columns": specs,
              "features": feature_names(specs), "mean": [], "std": []}
    encoded = encode(train, recipe, standardise=False)
    mean = encoded.mean(0) if len(encoded) else np.zeros(encoded.shape[1])
    std = encoded.std(0, ddof=1) if len(encoded) > 1 else np.ones(encoded.shape[1])
    std = np.where(std > 0, std, 1.0)
    recipe["mean"], recipe["std"] = mean.tolist(), std.tolist()
    return recipe


def feature_names(specs: list[dict]) -> list[str]:
    names = []
    for spec in specs:
        if spec["kind"] == NUMERIC:
            names.append(spec["name"])
            if spec["indicator"]:
                names.append(f"{spec['name']} was missing")
        else:
            names += [f"{spec['name']}={level}" for level in spec["levels"]]
    return names


def encode(frame: pl.DataFrame, recipe: dict, standardise: bool = True) -> np.ndarray:
    """float32 features (rows, len(recipe['features'])) of `frame`'s rows, as the recipe says."""
    missing = [spec["name"] for spec in recipe["columns"] if spec["name"] not in frame.columns]
    if missing:
        from playground.engine.errors import PlaygroundError
        raise PlaygroundError(f"the table has no column '{missing[0]}', which the model was trained on")
    exprs = []
    for spec in recipe["columns"]:
        series = frame[spec["name"]]
        if spec["kind"] == NUMERIC:
            values = as_numbers(series, recipe.get("decimal_comma", False))
            exprs.append(values.fill_null(spec["median"]))
            if spec["indicator"]:
                exprs.append(values.is_null().cast(pl.Float64))
        else:
            words = as_words(series)
            for level in spec["levels"]:
                hit = words.is_null() if level == MISSING_LEVEL else (words == level).fill_null(False)
                exprs.append(hit.cast(pl.Float64))
    if not exprs:
        return np.zeros((frame.height, 0), dtype=np.float32)
    # one column at a time, in float64, into the float32 result: a large table never exists twice in float64
    out = np.empty((frame.height, len(exprs)), dtype=np.float64 if not standardise else np.float32)
    mean, std = np.asarray(recipe["mean"]), np.asarray(recipe["std"])
    for j, series in enumerate(exprs):
        step("encoding features", j, len(exprs))
        values = series.to_numpy().astype(np.float64, copy=False)
        out[:, j] = (values - mean[j]) / std[j] if standardise else values
    return out
