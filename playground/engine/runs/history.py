"""Run history for comparing runs: each run's curves, settings and outcome, with no Qt in sight.

A run is one Train from fresh weights (continuing it after Stop adds to the same run). The application
model owns a `RunHistory` and alone feeds it records; the plots and the runs table subscribe to its declared
events (`history.events.run_added.connect(...)`, see `__init__`) and only display it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.events import EmitterGroup
from playground.engine.runs.metrics_csv import (CSV_COLUMNS, REGRESSION_CSV_COLUMNS, metrics_csv,  # noqa: F401  (re-exported)
                          write_metrics_csv)
from playground.engine.model import architecture
from playground.engine.train.records import EpochRecord
from playground.engine.runs.naming import MAX_NAME_DIFFS, difference, settings_summary  # noqa: F401  (re-exported)
from playground.engine.runs.series import Series, Smoother  # noqa: F401  (re-exported)


@dataclass
class Run:
    run_id: int
    name: str
    config: TrainConfig
    architecture: str
    device: str
    epochs: list[EpochRecord] = field(default_factory=list)
    steps: Series = field(default_factory=lambda: Series(4096))   # (epoch position, batch loss)
    status: str = "running"       # running, finished, stopped, diverged, interrupted, loaded
    visible: bool = True
    store_id: int | None = None   # its id in the run store, when it is recorded there
    created: float = field(default_factory=time.time)
    notes: str = ""
    # a stored run listed at launch: its table figures, and what reads its epochs and batch loss when it is
    # first shown (2,000 stored runs' epochs are not read to list them)
    summary: object | None = field(default=None, repr=False, compare=False)
    loader: Callable[["Run"], None] | None = field(default=None, repr=False, compare=False)

    def ensure_loaded(self) -> None:
        """Read a stored run's epochs and batch-loss curve, once, before they are shown."""
        if self.loader is not None:
            loader, self.loader = self.loader, None
            loader(self)

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
    def is_regression(self) -> bool:
        return any(r.regression for r in self.epochs)

    @property
    def score_columns(self) -> tuple[str, str]:
        """(train, test) columns of the second plot: accuracy, or R² for a regression run."""
        return ("train_r2", "test_r2") if self.is_regression else ("train_accuracy", "test_accuracy")

    @property
    def best_test_accuracy(self) -> float | None:
        if self.is_regression:
            return None
        return max((r.test_accuracy for r in self.epochs), default=None)

    @property
    def best_test_r2(self) -> float | None:
        return max((r.test_r2 for r in self.epochs if r.regression), default=None)

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
        self.events = EmitterGroup(
            run_added="(run, position): a run started, or a deleted one came back",
            run_removed="run_id",
            curves_changed="run: a new batch-loss point",
            epoch_added="run",
            run_changed="run: its name, notes, visibility or status",
            runs_listed="list of runs: the stored runs listed at launch, all at once (hidden until ticked)",
            current_changed="(): later records belong to no run yet")

    def start(self, config: TrainConfig, n_inputs: int, n_classes: int, device: str,
              name: str | None = None, status: str = "running", current: bool = True) -> Run:
        """A new run, the one later records belong to unless `current` is False (a sweep's configurations)."""
        if name is None:
            name = f"run {self._next_id}"
            previous = self.runs[-1].config if self.runs else None
            described = difference(previous, config) if previous else settings_summary(config).split(", ")[0]
            if described:
                name += f": {described}"
        run = Run(self._next_id, name, config, architecture(config, n_inputs, n_classes), device, status=status)
        self._next_id += 1
        self.runs.append(run)
        if current:
            self.current = run
        self.events.run_added(run, len(self.runs) - 1)
        return run

    def add_stored(self, runs: list[Run]) -> None:
        """Runs read from the store (at launch, oldest first), before any of this session's; their ids are
        given here. One runs_listed event for them all (not a run_added each: thousands may be stored)."""
        for run in runs:
            run.run_id = self._next_id
            self._next_id += 1
        self.runs.extend(runs)
        if runs:
            self.events.runs_listed(list(runs))

    def select(self, run: Run) -> None:
        """Make a listed run the current, shown one (its stored model was opened)."""
        run.ensure_loaded()
        self.current = run
        self.set_visible(run.run_id, True)
        self.events.current_changed()

    # --- the current run's records (or `run`'s: a sweep's configurations) -------------------------
    def add_step(self, epoch_position: float, loss: float, run: Run | None = None) -> None:
        run = run or self.current
        if run is not None:
            run.add_step(epoch_position, loss)
            self.events.curves_changed(run)

    def add_epoch(self, record: EpochRecord, run: Run | None = None) -> None:
        run = run or self.current
        if run is not None:
            run.add_epoch(record)
            self.events.epoch_added(run)

    def set_status(self, status: str, run: Run | None = None) -> None:
        run = run or self.current
        if run is not None and run.status != status:
            run.status = status
            self.events.run_changed(run)

    def detach(self) -> None:
        """The model behind the current run is gone (Reset): later records start a new run."""
        if self.current is not None:
            if self.current.status == "running":
                self.set_status("stopped")
            self.current = None
            self.events.current_changed()

    def set_visible(self, run_id: int, visible: bool) -> None:
        run = self.get(run_id)
        if run is not None and run.visible != visible:
            if visible:
                run.ensure_loaded()
            run.visible = visible
            self.events.run_changed(run)

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
            self.events.run_removed(run_id)
        return run

    def restore(self, run: Run, position: int) -> None:
        """Put a removed run back where it was (undo)."""
        position = min(position, len(self.runs))
        self.runs.insert(position, run)
        self.events.run_added(run, position)

    def rename(self, run_id: int, name: str) -> str:
        """Rename a run; a blank name is refused (the old one is kept) and returned unchanged."""
        run = self.get(run_id)
        if run is None:
            raise PlaygroundError(f"there is no run {run_id}")
        name = " ".join(name.split())
        if name and name != run.name:
            run.name = name
            self.events.run_changed(run)
        return run.name

    def set_notes(self, run_id: int, notes: str) -> None:
        run = self.get(run_id)
        if run is not None and run.notes != notes:
            run.notes = notes
            self.events.run_changed(run)

    def visible(self) -> list[Run]:
        return [r for r in self.runs if r.visible]
