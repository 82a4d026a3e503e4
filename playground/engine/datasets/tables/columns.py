"""What each column of a table is: numeric, categorical, or left out (and why), as plain data.

Decided on the whole table (kinds are metadata, not statistics; the recipe fits its numbers on the training
split only):
- numeric: numbers; a text column whose cells are at least 95 % numbers is numeric with the rest missing;
- categorical: words, yes/no/true/false, and whole numbers with 3 to SMALL_INTEGER_LEVELS distinct values,
  each on ten rows or more on average (codes such as a class 1/2/3, where one-hot is the sensible reading;
  two values read the same either way, and a small table's whole numbers stay numbers);
- left out: all missing, constant, date/time (a timestamp as one number is the calendar position: a
  network given it would fit the dates it saw, not the pattern; derive day or month yourself if they
  matter), and identifier-like words: more than `max_levels` distinct values, or almost every row its own
  value (names, ids, tickets). `max_levels` is the user's override (--max-levels).
"""
from __future__ import annotations

from dataclasses import asdict, dataclass

import polars as pl

MAX_LEVELS = 50
SMALL_INTEGER_LEVELS = 5
NUMERIC_SHARE = 0.95         # a text column this numeric is read as numbers, the rest as missing
IDENTIFIER_SHARE = 0.9       # ...and one with this share of distinct values (and 20 or more) as an identifier
NUMERIC = "numeric"
CATEGORICAL = "categorical"
DROPPED = "dropped"


@dataclass
class ColumnInfo:
    name: str
    type: str                 # what the file holds: number, whole number, text, yes/no, date/time
    kind: str                 # numeric, categorical or dropped
    missing: int
    levels: int | None        # distinct values (categorical and text columns)
    reason: str = ""          # why a dropped column is left out
    not_numbers: int = 0      # numeric read from text: cells that were not numbers (read as missing)

    def to_dict(self) -> dict:
        return asdict(self)


def as_numbers(series: pl.Series, decimal_comma: bool = False) -> pl.Series:
    """Float64 values of a column (text cells that are not numbers, NaN and infinities become missing)."""
    if series.dtype == pl.String:
        text = series.str.strip_chars()
        if decimal_comma:
            text = text.str.replace(",", ".", literal=True)
        series = text.cast(pl.Float64, strict=False)
    elif series.dtype == pl.Boolean:
        series = series.cast(pl.Float64)
    else:
        series = series.cast(pl.Float64)
    # NaN and infinities are gaps too: they would poison the standardisation
    return series.to_frame("v").select(pl.when(pl.col("v").is_finite()).then(pl.col("v"))).to_series()


def as_words(series: pl.Series) -> pl.Series:
    """The text of each cell (whole numbers without '.0', booleans as true/false); missing stays missing."""
    if series.dtype.is_float():
        whole = series.drop_nulls()
        if len(whole) and (whole == whole.round(0)).all():
            series = series.cast(pl.Int64)
    if series.dtype == pl.Boolean:
        return series.cast(pl.String).str.to_lowercase()
    if series.dtype == pl.String:
        return series.str.strip_chars()
    return series.cast(pl.String)


def _is_datetime(series: pl.Series) -> bool:
    if series.dtype.is_temporal():
        return True
    if series.dtype != pl.String:
        return False
    sample = series.drop_nulls().head(200).str.strip_chars()
    if len(sample) == 0 or not sample.str.contains(r"\d[-/.:]\d").all():
        return False
    for parse in (lambda s: s.str.to_datetime(strict=False), lambda s: s.str.to_date(strict=False),
                  lambda s: s.str.to_time(strict=False)):
        try:
            parsed = parse(sample)
        except Exception:   # polars cannot guess a format for this column
            continue
        if parsed.null_count() <= 0.1 * len(sample):
            return True
    return False


def column_info(series: pl.Series, max_levels: int = MAX_LEVELS, decimal_comma: bool = False) -> ColumnInfo:
    """Type, kind, missing count and levels of one feature column."""
    name, n = series.name, len(series)
    missing = series.null_count() + (int(series.is_nan().sum()) if series.dtype.is_float() else 0)
    if missing == n:
        return ColumnInfo(name, "empty", DROPPED, missing, 0, "all cells are missing")
    if _is_datetime(series):
        return ColumnInfo(name, "date/time", DROPPED, missing, None,
                          "date/time (as one number it teaches the calendar, not the pattern)")
    if series.dtype == pl.Boolean:
        return _categorical(ColumnInfo(name, "yes/no", CATEGORICAL, missing, None), series, max_levels, n)
    if series.dtype.is_numeric():
        return _numeric(series, ColumnInfo(name, "number", NUMERIC, missing, None))
    numbers = as_numbers(series, decimal_comma)
    present = n - series.null_count()
    parsed = n - numbers.null_count()
    if parsed >= NUMERIC_SHARE * present and parsed > 0:
        info = ColumnInfo(name, "number", NUMERIC, n - parsed, None, not_numbers=present - parsed)
        return _numeric(numbers, info)
    words = as_words(series)
    lowered = set(words.drop_nulls().str.to_lowercase().unique().to_list())
    kind = "yes/no" if lowered and lowered <= {"yes", "no", "true", "false", "y", "n", "t", "f"} else "text"
    return _categorical(ColumnInfo(name, kind, CATEGORICAL, missing, None), words, max_levels, n)


def _numeric(numbers: pl.Series, info: ColumnInfo) -> ColumnInfo:
    values = numbers.drop_nulls()
    if values.dtype.is_float():
        values = values.filter(values.is_not_nan())
    low, high = values.min(), values.max()
    if low == high:
        info.kind, info.levels, info.reason = DROPPED, 1, f"constant ({low:g})"
        return info
    if values.dtype.is_integer() or (values == values.round(0)).all():
        info.type = "whole number"
        levels = values.n_unique()
        # codes: 3-5 values, each on 10 rows or more on average (two values are the same either way)
        if 3 <= levels <= SMALL_INTEGER_LEVELS and len(values) >= 10 * levels:
            info.kind, info.levels = CATEGORICAL, levels
    return info


def _categorical(info: ColumnInfo, series: pl.Series, max_levels: int, n: int) -> ColumnInfo:
    levels = as_words(series).drop_nulls().n_unique()
    info.levels = levels
    if levels <= 1 and info.missing == 0:
        info.kind, info.reason = DROPPED, "constant"
    elif levels > max_levels:
        info.kind, info.reason = DROPPED, (f"identifier-like: {levels} distinct values, over the cap of "
                                           f"{max_levels} (raise it with --max-levels to keep it)")
    elif max_levels <= MAX_LEVELS and levels >= 20 and levels >= IDENTIFIER_SHARE * (n - info.missing):
        info.kind, info.reason = DROPPED, (f"identifier-like: {levels} distinct values in {n - info.missing} "
                                           f"rows (names, ids; --max-levels {levels} keeps it)")
    return info
