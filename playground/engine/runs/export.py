"""Stored runs out of the store: TensorBoard event files (one folder per run) and one CSV of every epoch.

TensorBoard files are written with `torch.utils.tensorboard`: torch is already here, and the one optional
package it needs (`tensorboard`, the `[tensorboard]` extra) also brings the viewer and the reader
(EventAccumulator), so a single small extra covers writing, checking and looking.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.runs.metrics_csv import write_metrics_csv
from playground.engine.runs.store import RunStore, StoredRun
from playground.engine.train.records import EpochRecord

MISSING_EXTRA = ("TensorBoard export needs the 'tensorboard' package: pip install 'mlp-playground[tensorboard]' "
                 "(or pip install tensorboard)")
METRICS = ("train_loss", "test_loss", "train_accuracy", "test_accuracy", "train_rmse", "train_r2", "test_rmse",
           "test_r2", "seconds")


def select_runs(store: RunStore, ids: list[str]) -> list[StoredRun]:
    """The runs named by id, or every run for ['all'], oldest first."""
    if [i.lower() for i in ids] == ["all"]:
        return list(reversed(store.list_runs()))
    return [store.get(i) for i in ids]


def folder_name(run: StoredRun) -> str:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", run.name).strip("-")[:60]
    return f"{run.id}-{slug}" if slug else str(run.id)


def _summary_writer():
    try:
        import tensorboard  # noqa: F401  (torch.utils.tensorboard imports it; say which extra is missing)
        from torch.utils.tensorboard import SummaryWriter
    except ImportError:
        raise PlaygroundError(MISSING_EXTRA) from None
    return SummaryWriter


def _hparams(config: dict) -> dict:
    """TensorBoard's hparams take numbers, strings and booleans: lists become text."""
    return {k: v if isinstance(v, (int, float, str, bool)) else json.dumps(v) for k, v in config.items()
            if v is not None}


def export_tensorboard(store: RunStore, runs: list[StoredRun], directory: str | Path) -> list[Path]:
    """One subfolder of `directory` per run: every metric a scalar per epoch, the batch loss, the config as
    text and as hparams. Returns the folders written."""
    SummaryWriter = _summary_writer()
    root = Path(directory).expanduser()
    written = []
    steps = store.step_points()
    for run in runs:
        folder = root / folder_name(run)
        epochs = store.epoch_records(run.id)
        try:
            writer = SummaryWriter(log_dir=str(folder))
        except OSError as exc:
            raise PlaygroundError(f"cannot write {folder}: {exc.strerror or exc}") from None
        with writer:
            config = json.loads(run.config_json)
            writer.add_text("config", "```\n" + json.dumps(config, indent=2) + "\n```", 0)
            writer.add_text("run", f"{run.name} · {run.status} · {run.dataset} · {run.architecture}"
                            + (f"\n\n{run.notes}" if run.notes else ""), 0)
            for record in epochs:
                for metric in METRICS:
                    value = getattr(record, metric)
                    if value is not None:
                        writer.add_scalar(metric, value, record.epoch)
            per_epoch = _steps_per_epoch(epochs)
            for position, loss in steps.get(run.id, ()):
                writer.add_scalar("batch_loss", float(loss), int(round(float(position) * per_epoch)))
            best = run.best_test_r2 if run.regression else run.best_test_accuracy
            if best is not None:
                metric = "hparam/best_test_r2" if run.regression else "hparam/best_test_accuracy"
                writer.add_hparams(_hparams(config), {metric: best}, run_name=".")
        written.append(folder)
    return written


def _steps_per_epoch(epochs: list[EpochRecord]) -> float:
    """Batches per epoch, so the batch-loss curve's x is the global step (1000 per epoch if unknown)."""
    for record in epochs:
        if record.step and record.epoch:
            return record.step / record.epoch
    return 1000.0


def export_csv(store: RunStore, runs: list[StoredRun], path: str | Path) -> None:
    """One CSV of every epoch of `runs`, a leading 'run' column naming each (its id and name)."""
    write_metrics_csv(path, [(f"{run.id}: {run.name}", store.epoch_records(run.id)) for run in runs])
