"""The epoch curves as CSV, with the columns of `train --json`."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.files import atomic_write_bytes
from playground.engine.train.records import EpochRecord

# The columns of `train --json` lines and of every metrics CSV, in this order.
CSV_COLUMNS = ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"]
# ...and of a regression run, which has no accuracy
REGRESSION_CSV_COLUMNS = ["epoch", "train_loss", "test_loss", "train_rmse", "train_r2", "test_rmse", "test_r2",
                          "seconds"]


def metrics_csv(runs: list[tuple[str | None, list[EpochRecord]]]) -> str:
    """One row per epoch with CSV_COLUMNS; with run names, a leading 'run' column tells the runs apart."""
    named = any(name is not None for name, _ in runs)
    kinds = {record.regression for _, history in runs for record in history}
    columns = REGRESSION_CSV_COLUMNS if kinds == {True} else CSV_COLUMNS
    if kinds == {True, False}:   # classification and regression runs side by side: every column, some blank
        columns = CSV_COLUMNS[:-1] + [c for c in REGRESSION_CSV_COLUMNS if c not in CSV_COLUMNS] + ["seconds"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((["run"] if named else []) + columns)
    for name, history in runs:
        for record in history:
            d = record.to_json_dict()
            writer.writerow(([name] if named else []) + [d.get(c, "") for c in columns])
    return out.getvalue()


def write_metrics_csv(path: str | Path, runs: list[tuple[str | None, list[EpochRecord]]]) -> None:
    try:
        atomic_write_bytes(Path(path), metrics_csv(runs).encode("utf-8"))
    except OSError as exc:
        raise PlaygroundError(f"cannot write {path}: {exc.strerror or exc}") from None
