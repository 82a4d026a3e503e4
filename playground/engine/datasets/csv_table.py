"""Your own table: a CSV file of numeric feature columns and one label column -> a Dataset.

Read with `numpy.loadtxt`, whose parser is written in C since numpy 1.23: it reads 1,000,000 rows x 100
columns in seconds (see bench/csv_read.py), reports the row and column of a bad cell, and refuses ragged
rows. `numpy.genfromtxt` is pure Python and about ten times slower; pandas would be a large new dependency.
The stdlib `csv` module only looks at the first lines (delimiter, header, column names).

Classification when the labels are strings or few whole numbers; strings become the class names. Features
are standardised with the training split's statistics, after a seeded split.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from playground.engine.data_options import TASKS
from playground.engine.errors import PlaygroundError
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.splits import DEFAULT_TRAIN_FRACTION, data_seed, seeded_split, standardise

PREFIX = "csv:"
MAX_AUTO_CLASSES = 50        # more distinct whole-number labels than this: a regression target
SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class TableLayout:
    """What the first lines of the file say: delimiter, header and which column is the label."""
    delimiter: str | None       # None: whitespace
    header: list[str] | None
    n_columns: int
    label_index: int

    @property
    def column_names(self) -> list[str]:
        return self.header or [f"column {i + 1}" for i in range(self.n_columns)]


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def _read_sample(path: Path) -> str:
    try:
        with path.open("rb") as f:
            raw = f.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise PlaygroundError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise PlaygroundError(f"{path} is a folder, not a CSV file (use folder:{path} for images)") from None
    except OSError as exc:
        raise PlaygroundError(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw:
        raise PlaygroundError(f"{path} is not a text file (it holds binary data); give a CSV file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start < len(raw) - 4:   # not just a character cut at the end of the sample
            raise PlaygroundError(f"{path} is not a UTF-8 text file; save it as CSV (UTF-8)") from None
        text = raw[:exc.start].decode("utf-8-sig")
    return text


def _split_line(line: str, delimiter: str | None) -> list[str]:
    if delimiter is None:
        return line.split()
    return [c.strip() for c in next(csv.reader([line], delimiter=delimiter))]


def _resolve_label(label_column: str | int | None, header: list[str] | None, n_columns: int,
                   path: Path) -> int:
    if label_column is None or label_column == "":
        return n_columns - 1
    text = str(label_column).strip()
    if header and text in header:
        return header.index(text)
    if re.fullmatch(r"-?\d+", text):
        index = int(text)
        if -n_columns <= index < n_columns:
            return index % n_columns
        raise PlaygroundError(f"{path}: label column {index} is outside the file's {n_columns} columns "
                              f"(0 to {n_columns - 1}, or -1 for the last)")
    names = f"; its columns are: {', '.join(header)}" if header else " (the file has no header row)"
    raise PlaygroundError(f"{path}: no label column named '{text}'{names}")


def sniff_layout(path: str | Path, label_column: str | int | None = None) -> TableLayout:
    """Delimiter, header row and label column from the first 64 KB; refuses empty and non-text files."""
    path = Path(path)
    text = _read_sample(path)
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(text) == SNIFF_BYTES and lines:
        lines = lines[:-1]    # the last line of the sample may be cut short
    if not lines:
        raise PlaygroundError(f"{path} is empty: it needs a row per sample (features, then the label)")
    try:
        delimiter: str | None = csv.Sniffer().sniff("\n".join(lines[:20]), delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = None if len(lines[0].split()) > 1 else ","
    first = _split_line(lines[0], delimiter)
    second = _split_line(lines[1], delimiter) if len(lines) > 1 else None
    # a header has a name where the data has a number, or only names when the labels are words too
    has_header = any(not _is_number(c) for c in first) and (
        second is None or any(not _is_number(a) and _is_number(b) for a, b in zip(first, second))
        or all(not _is_number(c) for c in first))
    if has_header and second is None:
        raise PlaygroundError(f"{path} has a header row but no data rows")
    if len(first) < 2:
        raise PlaygroundError(f"{path} has a single column; it needs at least one feature column and a label "
                              f"column (separated by commas, semicolons or tabs)")
    header = first if has_header else None
    return TableLayout(delimiter, header, len(first), _resolve_label(label_column, header, len(first), path))


_BAD_CELL = re.compile(r"could not convert string '(.*)' to \w+ at row (\d+), column (\d+)")
_RAGGED = re.compile(r"number of columns changed from (\d+) to (\d+) at row (\d+)")


def _explain(exc: ValueError, path: Path, layout: TableLayout) -> PlaygroundError:
    message = str(exc)
    first_data_line = 2 if layout.header else 1
    if m := _BAD_CELL.search(message):
        cell, row, column = m.group(1), int(m.group(2)), int(m.group(3))
        name = layout.column_names[column - 1] if column <= layout.n_columns else f"column {column}"
        what = "is empty" if cell == "" else f"holds '{cell[:40]}', not a number"
        return PlaygroundError(f"{path}: data row {row + 1} (line {row + first_data_line}), column "
                               f"'{name}' {what}; feature columns must be numeric")
    if m := _RAGGED.search(message):
        want, got, row = int(m.group(1)), int(m.group(2)), int(m.group(3))
        # numpy counts this row from 1, a bad cell's row from 0
        return PlaygroundError(f"{path}: data row {row} has {got} columns where the rows before have "
                               f"{want}; every row needs the same columns")
    if "invalid column index" in message:
        return PlaygroundError(f"{path}: a row has fewer columns than the first one ({message}); every row "
                               f"needs the same columns")
    return PlaygroundError(f"{path}: cannot read the table ({message.splitlines()[0][:200]})")


def read_table(path: str | Path, layout: TableLayout) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(features float32 (N, F), label codes int64 (N,), the label text of each code): one numpy.loadtxt pass."""
    path = Path(path)
    codes: dict[str, int] = {}

    def label_code(cell: str) -> float:
        # the label cell may be a word: read it as its code, and decide what the words mean afterwards
        return codes.setdefault(cell.strip().strip('"'), len(codes))

    try:
        data = np.loadtxt(path, delimiter=layout.delimiter, dtype=np.float32, skiprows=1 if layout.header else 0,
                          ndmin=2, encoding="utf-8-sig", quotechar='"' if layout.delimiter else None,
                          converters={layout.label_index: label_code})
    except ValueError as exc:
        raise _explain(exc, path, layout) from None
    except UnicodeDecodeError:
        raise PlaygroundError(f"{path} is not a UTF-8 text file; save it as CSV (UTF-8)") from None
    except MemoryError:
        raise PlaygroundError(f"{path} does not fit in memory") from None
    if data.shape[0] == 0:
        raise PlaygroundError(f"{path} has a header row but no data rows")
    label_codes = data[:, layout.label_index].astype(np.int64)
    features = np.delete(data, layout.label_index, axis=1)
    bad = ~np.isfinite(features)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        name = [n for i, n in enumerate(layout.column_names) if i != layout.label_index][col]
        raise PlaygroundError(f"{path}: data row {row + 1}, column '{name}' is {features[row, col]} "
                              f"(NaN or infinite); fill or drop that row")
    return features, label_codes, list(codes)


def _numeric(words: list[str]) -> np.ndarray | None:
    try:
        return np.array([float(w) for w in words], dtype=np.float64)
    except ValueError:
        return None


def _decide_task(words: list[str], values: np.ndarray | None, task: str, path: Path) -> str:
    if values is not None and not np.isfinite(values).all():
        raise PlaygroundError(f"{path}: the label column holds NaN or infinite values")
    if task == "regression":
        if values is None:
            word = next(w for w in words if not _is_number(w))
            raise PlaygroundError(f"{path}: regression needs a numeric label column, but it holds '{word}'")
        return "regression"
    whole = values is not None and bool(np.all(values == np.round(values)))
    if task == "classification":
        if values is not None and not whole:
            raise PlaygroundError(f"{path}: the labels are not whole numbers or words (e.g. "
                                  f"{values[values != np.round(values)][0]:g}); use --task regression")
        return "classification"
    if values is None or (whole and len(np.unique(values)) <= MAX_AUTO_CLASSES):
        return "classification"
    return "regression"


def _classes(words: list[str], values: np.ndarray | None, codes: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """Class index per row and the class names: numbers in numeric order, words in alphabetical order."""
    if values is not None:
        unique, rank = np.unique(values, return_inverse=True)
        return rank[codes], [str(int(v)) for v in unique]
    unique, rank = np.unique(np.array(words, dtype=object).astype(str), return_inverse=True)
    return rank[codes], [str(u) for u in unique]


def load_csv(path: str | Path, label_column: str | int | None = None, task: str = "auto", seed: int = 0,
             train_fraction: float = DEFAULT_TRAIN_FRACTION, regenerate: int = 0) -> Dataset:
    """Read, check, split (seeded) and standardise a CSV table."""
    path = Path(path).expanduser()
    if task not in TASKS:
        raise PlaygroundError(f"unknown task '{task}'; choose one of: {', '.join(TASKS)}")
    layout = sniff_layout(path, label_column)
    features, codes, words = read_table(path, layout)
    n = len(codes)
    values = _numeric(words)
    kind = _decide_task(words, values, task, path)
    feature_names = [c for i, c in enumerate(layout.column_names) if i != layout.label_index]
    label_name = layout.column_names[layout.label_index]
    if kind == "regression":
        y = torch.from_numpy(values[codes].astype(np.float32))
        class_names: list[str] = []
    else:
        index, class_names = _classes(words, values, codes)
        if len(class_names) < 2:
            raise PlaygroundError(f"{path}: the label column '{label_name}' holds a single class "
                                  f"('{class_names[0]}'); a classifier needs at least two")
        if len(class_names) * 2 > n:
            raise PlaygroundError(f"{path}: {len(class_names)} classes in {n} rows; each class needs at least "
                                  f"two rows on average (is '{label_name}' really the label column? use "
                                  f"--label-column, or --task regression for a numeric target)")
        y = torch.from_numpy(index.astype(np.int64))
    g = torch.Generator().manual_seed(data_seed(seed, regenerate))
    train, test = seeded_split(n, train_fraction, g)
    x = torch.from_numpy(features)
    train_x, test_x = standardise(x[train], x[test])
    kind_of_data = "points" if x.shape[1] == 2 else "table"
    return Dataset(f"{PREFIX}{path}", kind_of_data, train_x, y[train], test_x, y[test], class_names,
                   task=kind, feature_names=feature_names, target_name=label_name)


def describe(dataset: Dataset) -> str:
    """One line about a loaded table, for the CLI and the window's status."""
    n = len(dataset.test_y) + (len(dataset.train_y) if dataset.train_y is not None else 0)
    what = (f"{dataset.n_classes} classes ({', '.join(dataset.class_names[:6])}"
            f"{', …' if dataset.n_classes > 6 else ''})" if not dataset.is_regression
            else f"regression of '{dataset.target_name}'")
    return f"{n:,} rows, {dataset.n_inputs} features, {what}"


def to_csv_text(x: np.ndarray, labels: list | np.ndarray, header: list[str] | None = None) -> str:
    """A table as CSV text (used by tests and benchmarks to write files)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow(header)
    for row, label in zip(x.tolist(), labels):
        writer.writerow([f"{v:.6g}" for v in row] + [label])
    return out.getvalue()
