"""Recording one run's records into the store, for the CLI and the window alike.

`Recorder.watch(records)` passes a training job's records through unchanged and writes them as they go by:
RunStarted creates (or resumes) the run, StepRecords are buffered, each EpochRecord commits the epoch with
the model saved, RunEnd sets the status. It runs on the thread that trains (the CLI's, or the window's
worker), between steps, so the model it saves is exactly the epoch's.
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

import numpy as np

from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord, RunEnd, RunStarted, StepRecord

ModelBytes = Callable[[], bytes]


class Recorder:
    """Writes one run into `store`; `run_id` is its store id once RunStarted has gone by."""

    def __init__(self, store: RunStore, model_bytes: ModelBytes | None = None, name: str | None = None,
                 kind: str = "train", sweep: str | None = None, run_id: int | None = None,
                 parent: int | None = None, prior: list[EpochRecord] | None = None) -> None:
        self.store = store
        self.prior = prior or []       # epochs a continued checkpoint already had: copied into a new run
        self.model_bytes = model_bytes
        self.name = name
        self.kind = kind
        self.sweep = sweep
        self.parent = parent
        self.run_id = run_id           # set: RunStarted resumes this run instead of creating one
        self._points: list[tuple[float, float]] = []
        self._epoch = 0

    @property
    def recording(self) -> bool:
        return self.store.recording

    def watch(self, records: Iterable) -> Iterator:
        """Yield every record after writing it; a RunEnd that never comes (an exception) stops the run."""
        ended = False
        try:
            for record in records:
                self.record(record)
                ended = ended or isinstance(record, RunEnd)
                yield record
        finally:
            if not ended and self.run_id is not None:
                self.finish("stopped")

    def record(self, record: object) -> None:
        kind = type(record)
        if kind is StepRecord:
            self._points.append((record.epoch_position, record.loss))
        elif kind is EpochRecord:
            self.epoch(record)
        elif kind is RunEnd:
            self.finish(record.status)
        elif kind is RunStarted:
            self.start(record)

    def start(self, started: RunStarted) -> int | None:
        if self.run_id is not None:
            self.store.resume_run(self.run_id)
            return self.run_id
        from playground.engine.model import architecture
        config = started.config
        regression = bool(getattr(started.dataset, "is_regression", False))
        self.run_id = self.store.create_run(
            config, self.name or default_name(config), dataset_kind=started.kind, n_inputs=started.n_inputs,
            class_names=started.class_names, device=started.device_label,
            architecture=architecture(config, started.n_inputs, started.layer_sizes[-1]), regression=regression,
            kind=self.kind, sweep=self.sweep, parent=self.parent)
        if self.run_id is not None:
            for record in self.prior:
                self.store.append_epoch(self.run_id, record)
        return self.run_id

    def start_trainer(self, trainer) -> int | None:
        """Create the run from a Trainer's facts (the CLI, which sees no RunStarted)."""
        from playground.engine.devices import device_label
        from playground.engine.model import layer_sizes
        d = trainer.dataset
        return self.start(RunStarted(trainer.config, d.kind, tuple(d.test_x.shape[1:]), d.n_inputs,
                                     tuple(d.class_names), device_label(trainer.device), trainer.steps_per_epoch,
                                     tuple(layer_sizes(trainer.config, d.n_inputs, d.n_outputs)), True, False, d))

    def epoch(self, record: EpochRecord) -> None:
        self._epoch = record.epoch
        if self.run_id is None or not self.store.recording:
            return
        model = self.model_bytes() if self.model_bytes is not None else None
        points = np.asarray(self._points, dtype=np.float32).reshape(-1, 2)
        if self.store.append_epoch(self.run_id, record, model, points):
            self._points.clear()

    def finish(self, status: str) -> None:
        if self.run_id is None:
            return
        if self._points:   # the points of an epoch that did not end (a stopped run)
            self.store.append_steps(self.run_id, self._epoch + 1, np.asarray(self._points, dtype=np.float32))
        self.store.finish_run(self.run_id, status)


def default_name(config) -> str:
    from playground.engine.runs.naming import settings_summary
    return f"{config.dataset}: {', '.join(settings_summary(config).split(', ')[:3])}"


def trainer_model_bytes(trainer) -> ModelBytes:
    """The trainer's model and history as checkpoint bytes, copied under its weights lock."""
    from playground.engine.runs.checkpoint import checkpoint_bytes

    def model_bytes() -> bytes:
        d = trainer.dataset
        with trainer.weights_lock:
            return checkpoint_bytes(trainer.config, trainer.model, d.n_inputs,
                                    d.class_names or [getattr(d, "target_name", "value")], d.kind, trainer.history,
                                    getattr(d, "recipe", None))
    return model_bytes
