"""Run history for comparing runs: each run's curves, settings and outcome, with no Qt in sight.

A run is one Train from fresh weights (continuing it after Stop adds to the same run). The window keeps a
`RunHistory`; the plots and the runs table only display it.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .config import TrainConfig
from .errors import PlaygroundError
from .files import atomic_write_bytes
from .model import architecture
from .records import EpochRecord

# The columns of `train --json` lines and of every metrics CSV, in this order.
CSV_COLUMNS = ["epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"]
MAX_NAME_DIFFS = 3


class Series:
    """A growing (x, y) buffer: appends are O(1), and `data()` is a view of the filled part."""

    def __init__(self, capacity: int = 1024) -> None:
        self.x = np.empty(capacity)
        self.y = np.empty(capacity)
        self.n = 0

    def append(self, x: float, y: float) -> None:
        if self.n == len(self.x):
            self.x = np.concatenate([self.x, np.empty_like(self.x)])
            self.y = np.concatenate([self.y, np.empty_like(self.y)])
        self.x[self.n], self.y[self.n] = x, y
        self.n += 1

    def clear(self) -> None:
        self.n = 0

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        return self.x[:self.n], self.y[:self.n]


class Smoother:
    """TensorBoard-style debiased exponential moving average of a growing series, updated incrementally."""

    def __init__(self, weight: float) -> None:
        self.weight = weight
        self.values = np.empty(1024)
        self.n = 0
        self._acc = self._norm = 0.0

    def update(self, y: np.ndarray) -> np.ndarray:
        """Smooth the points of `y` not seen yet (y is the whole series so far); returns the smoothed series."""
        if len(y) < self.n:   # the series was cleared: start again
            self.n, self._acc, self._norm = 0, 0.0, 0.0
        if len(y) > len(self.values):
            self.values = np.concatenate([self.values, np.empty(max(len(y), len(self.values)))])
        w, acc, norm = self.weight, self._acc, self._norm
        for i in range(self.n, len(y)):
            acc = w * acc + (1 - w) * y[i]
            norm = w * norm + (1 - w)
            self.values[i] = acc / norm
        self._acc, self._norm, self.n = acc, norm, len(y)
        return self.values[:self.n]


def _dropout_text(config: TrainConfig) -> str:
    values = sorted(set(config.dropout))
    if not values or values == [0.0]:
        return "no dropout"
    return "dropout " + "/".join(f"{p:g}" for p in config.dropout) if len(values) > 1 else f"dropout {values[0]:g}"


def _facts(config: TrainConfig) -> dict[str, str]:
    """Short descriptions of the settings a learner compares, keyed by what they describe."""
    return {
        "dataset": config.dataset,
        "hidden": "no hidden layer" if not config.hidden else "hidden " + "-".join(map(str, config.hidden)),
        "activation": config.activation,
        "output": "" if config.output_activation == "none" else f"{config.output_activation} on output",
        "init": f"init {config.init}",
        "optimizer": config.optimizer + (f" {config.momentum:g}" if config.optimizer == "momentum" else ""),
        "lr": f"lr {config.lr:g}",
        "dropout": _dropout_text(config),
        "weight_decay": f"wd {config.weight_decay:g}",
        "batch": f"batch {config.batch_size}",
        "loss": "" if config.loss == "cross-entropy" else f"{config.loss} loss",
        "augment": "" if config.augment else "no augmentation",
        "seed": f"seed {config.seed}",
    }


_DEFAULT_WORDS = {"output": "no output activation", "loss": "cross-entropy loss", "augment": "augmentation"}


def settings_summary(config: TrainConfig) -> str:
    """The key settings of a run in one line, for the runs table."""
    f = _facts(config)
    keys = ["hidden"] if not config.hidden else ["activation"]   # no hidden layer: no activation is used
    keys += ["output", "init", "optimizer", "lr", "batch", "dropout", "weight_decay", "loss"]
    return ", ".join(f[k] for k in keys if f[k])


def difference(before: TrainConfig, after: TrainConfig) -> str:
    """What changed between two configs, in words ('sigmoid, wd 0.001'), at most a few items."""
    a, b = _facts(before), _facts(after)
    changed = [b[k] or _DEFAULT_WORDS[k] for k in b if a[k] != b[k] and k != "seed"]
    if not changed and before.seed != after.seed:
        changed = [b["seed"]]
    if len(changed) > MAX_NAME_DIFFS:
        changed = changed[:MAX_NAME_DIFFS] + ["…"]
    return ", ".join(changed)


@dataclass
class Run:
    run_id: int
    name: str
    config: TrainConfig
    architecture: str
    device: str
    epochs: list[EpochRecord] = field(default_factory=list)
    steps: Series = field(default_factory=lambda: Series(4096))   # (epoch position, batch loss)
    status: str = "running"       # running, finished, stopped, diverged, loaded
    visible: bool = True

    def add_step(self, epoch_position: float, loss: float) -> None:
        self.steps.append(epoch_position, loss)

    def add_epoch(self, record: EpochRecord) -> None:
        self.epochs.append(record)

    def epoch_curve(self, column: str) -> tuple[np.ndarray, np.ndarray]:
        """(epochs, values) of one of the EpochRecord columns."""
        x = np.array([r.epoch for r in self.epochs], dtype=float)
        y = np.array([getattr(r, column) for r in self.epochs], dtype=float)
        return x, y

    @property
    def last(self) -> EpochRecord | None:
        return self.epochs[-1] if self.epochs else None

    @property
    def best_test_accuracy(self) -> float | None:
        return max((r.test_accuracy for r in self.epochs), default=None)

    @property
    def seconds(self) -> float:
        """Training time of the finished epochs (evaluation excluded), as the epoch records report it."""
        return sum(r.seconds for r in self.epochs)

    @property
    def planned_epochs(self) -> int:
        return max(self.config.epochs, len(self.epochs))


class RunHistory:
    """The runs of this window session, oldest first; `current` is the run new records belong to."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.current: Run | None = None
        self._next_id = 1

    def start(self, config: TrainConfig, n_inputs: int, n_classes: int, device: str,
              name: str | None = None, status: str = "running") -> Run:
        if name is None:
            name = f"run {self._next_id}"
            previous = self.runs[-1].config if self.runs else None
            described = difference(previous, config) if previous else settings_summary(config).split(", ")[0]
            if described:
                name += f": {described}"
        run = Run(self._next_id, name, config, architecture(config, n_inputs, n_classes), device, status=status)
        self._next_id += 1
        self.runs.append(run)
        self.current = run
        return run

    def get(self, run_id: int) -> Run | None:
        return next((r for r in self.runs if r.run_id == run_id), None)

    def index(self, run: Run) -> int:
        """The run's position among all runs ever started; it picks the run's colour, so colours stay put."""
        return run.run_id - 1

    def remove(self, run_id: int) -> Run | None:
        run = self.get(run_id)
        if run is not None:
            self.runs.remove(run)
            if self.current is run:
                self.current = None
        return run

    def restore(self, run: Run, position: int) -> None:
        """Put a removed run back where it was (undo)."""
        self.runs.insert(min(position, len(self.runs)), run)

    def rename(self, run_id: int, name: str) -> str:
        """Rename a run; a blank name is refused (the old one is kept) and returned unchanged."""
        run = self.get(run_id)
        if run is None:
            raise PlaygroundError(f"there is no run {run_id}")
        name = " ".join(name.split())
        if name:
            run.name = name
        return run.name

    def visible(self) -> list[Run]:
        return [r for r in self.runs if r.visible]


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
