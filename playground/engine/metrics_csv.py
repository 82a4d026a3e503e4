"""The epoch curves as CSV, with the columns of `train --json`."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .errors import PlaygroundError
from .files import atomic_write_bytes
from .records import EpochRecord

# The columns of `train --json` lines and of every metrics CSV, in this order.
CSV_COLUMNS = ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"]


def metrics_csv(runs: list[tuple[str | None, list[EpochRecord]]]) -> str:
    """One row per epoch with CSV_COLUMNS; with run names, a leading 'run' column tells the runs apart."""
    named = any(name is not None for name, _ in runs)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow((["run"] if named else []) + CSV_COLUMNS)
    for name, history in runs:
        for record in history:
            d = record.to_json_dict()
            writer.writerow(([name] if named else []) + [d[c] for c in CSV_COLUMNS])
    return out.getvalue()


def write_metrics_csv(path: str | Path, runs: list[tuple[str | None, list[EpochRecord]]]) -> None:
    try:
        atomic_write_bytes(Path(path), metrics_csv(runs).encode("utf-8"))
    except OSError as exc:
        raise PlaygroundError(f"cannot write {path}: {exc.strerror or exc}") from None
