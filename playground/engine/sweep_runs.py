"""The application model's side of a sweep (no Qt): the job, and its records turned into runs of the history.

`AppModel.apply` hands SweepStarted, ConfigRecord and SweepEnd here, on the GUI thread. Every configuration
becomes a run of the run history named like "sweep 1: lr 0.01" (not the current run: the model the other tabs
show is left alone), so the runs table and the curves show it like any run; the store records it on the
worker thread, grouped by the sweep's name (runs/sweep_recording.py). The sweep plot follows `events`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from playground.engine.datasets import dataset_key, is_on_disk
from playground.engine.errors import PlaygroundError
from playground.engine.events import EmitterGroup
from playground.engine.runs.history import Run, RunHistory
from playground.engine.runs.sweep_recording import SweepRecorder, next_sweep_name, run_name
from playground.engine.train.records import EpochRecord, RunEnd, RunStarted, Status, StepRecord
from playground.engine.train.sweep import ConfigRecord, Sweep, SweepEnd, SweepStarted
from playground.engine.train.sweep_params import PARAMS

if TYPE_CHECKING:
    from playground.engine.app_model import AppModel

SWEEP_RECORDS = (SweepStarted, ConfigRecord, SweepEnd)


@dataclass
class SweepPoint:
    """One configuration of the sweep: its value and, once it started, its run."""
    index: int
    value: Any
    run: Run | None = None
    progress: float = 0.0     # of its own training, 0..1

    def _scores(self) -> list[float]:
        if self.run is None:
            return []
        return [r.test_r2 if r.regression else r.test_accuracy for r in self.run.epochs]

    @property
    def final(self) -> float | None:
        scores = self._scores()
        return scores[-1] if scores else None

    @property
    def best(self) -> float | None:
        scores = self._scores()
        return max(scores) if scores else None

    @property
    def status(self) -> str:
        return "waiting" if self.run is None else self.run.status


@dataclass
class SweepState:
    name: str                       # "sweep 1": the runs' group in the store
    params: tuple[str, ...]
    points: list[SweepPoint] = field(default_factory=list)
    epochs: int = 0
    running: bool = True

    @property
    def log_scale(self) -> bool:
        return PARAMS[self.params[0]].log_scale

    @property
    def regression(self) -> bool:
        return any(p.run is not None and p.run.is_regression for p in self.points)

    @property
    def progress(self) -> float:
        return sum(p.progress for p in self.points) / max(len(self.points), 1)

    @property
    def done(self) -> int:
        return sum(p.status not in ("waiting", "running") for p in self.points)


class SweepRuns:
    """The sweeps of this window session; `current` is the newest (None before the first)."""

    def __init__(self, runs: RunHistory) -> None:
        self.runs = runs
        self.current: SweepState | None = None
        self._recorder: SweepRecorder | None = None
        self._names: set[str] = set()
        self.events = EmitterGroup(started="SweepState: a sweep began (its points have no runs yet)",
                                   changed="SweepState: an epoch or a configuration ended",
                                   progress="SweepState: training went on (at most a few times a second)",
                                   ended="SweepState: the sweep ended, finished or stopped")

    def job(self, app: AppModel, param: str, values: list[Any]) -> Callable[[], Iterator]:
        """The sweep of `param` over `values` from the current settings, on the current data; a PlaygroundError
        (before anything starts) for values a setting refuses or data that is not on disk."""
        config, control, store = app.config, app.control, app.store
        plan = Sweep(config, param, values)          # checks every configuration now, on the GUI thread
        if not is_on_disk(config.dataset, config.data_dir):
            raise PlaygroundError(f"{config.dataset} is not downloaded yet: press Train once to download it")
        # the window's own data when every configuration trains on it (a seed of the points sets changes it)
        shared = all(dataset_key(c) == dataset_key(config) for c in plan.configs)
        name = next_sweep_name(store, self._names)
        self._names.add(name)
        recording = store is not None and store.recording
        recorder = self._recorder = SweepRecorder(store, None, name) if recording else None

        def job() -> Iterator:
            yield Status(f"{name}: loading {config.dataset}…")
            sweep = Sweep(config, param, values, dataset=app._dataset(config) if shared else None)
            if recorder is not None:
                recorder.job = sweep
            try:
                for record in sweep.run(control):
                    if recorder is not None:
                        recorder.record(record)
                    yield record
            finally:
                if recorder is not None:
                    recorder.stop_unfinished()
        self.current = SweepState(name, plan.params, [SweepPoint(i, v) for i, v in enumerate(plan.values)],
                                  config.epochs)
        return job

    # --- records, on the GUI thread -------------------------------------------------------------
    def apply(self, record: object) -> None:
        state = self.current
        if state is None:
            return
        if isinstance(record, ConfigRecord):
            self._apply_config(state, record)
        elif isinstance(record, SweepStarted):
            self.events.started(state)
        elif isinstance(record, SweepEnd):
            self.job_ended()

    def _apply_config(self, state: SweepState, record: ConfigRecord) -> None:
        point = state.points[record.index]
        inner = record.record
        kind = type(inner)
        if kind is StepRecord:
            if point.run is not None:
                self.runs.add_step(inner.epoch_position, inner.loss, run=point.run)
                point.progress = min(inner.progress, 1.0)
                self.events.progress(state)
        elif kind is EpochRecord:
            if point.run is not None:
                self.runs.add_epoch(inner, run=point.run)
                point.progress = max(point.progress, inner.epoch / max(point.run.config.epochs, 1))
                self.events.changed(state)
        elif kind is RunEnd:
            if point.run is not None:
                point.progress = 1.0
                self.runs.set_status(inner.status, run=point.run)
                self.events.changed(state)
        elif kind is RunStarted:
            point.run = self.runs.start(inner.config, inner.n_inputs, inner.layer_sizes[-1], inner.device_label,
                                        name=run_name(state.name, state.params, record.value), current=False)
            if self._recorder is not None:
                point.run.store_id = self._recorder.run_id(record.index)
            self.events.changed(state)

    def job_ended(self) -> None:
        """The sweep's job ended (a SweepEnd, Stop, or an error): its runs still running have stopped."""
        state = self.current
        if state is None or not state.running:
            return
        state.running = False
        for point in state.points:
            if point.run is not None and point.run.status == "running":
                self.runs.set_status("stopped", run=point.run)
        self.events.ended(state)

    def point_of(self, run_id: int) -> SweepPoint | None:
        state = self.current
        return None if state is None else next((p for p in state.points if p.run is not None and
                                                p.run.run_id == run_id), None)
