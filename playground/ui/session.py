"""The training session: turns clicks into the application model's jobs and runs them on the job runner.

It holds no model state of its own: the trainer, the loaded checkpoint and the runs belong to the
engine's AppModel (`self.model`), and every record a job yields goes to `AppModel.apply` (views subscribe to
the model's events, never to the session's records). The session keeps only the job state: the button state
machine (idle, running, paused, stopping, busy) and what to do when the current job ends. Pause and stop go
through the engine's RunControl (thread-safe events), because a signal sent to a busy worker would never
arrive.
"""
from __future__ import annotations

from typing import Callable, Iterator

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from playground.engine.app_model import EDIT_REFUSED, AppModel
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.ui.job_runner import JobRunner


class TrainingSession(QObject):
    failed = Signal(str)
    state_changed = Signal(str)  # idle, running, paused, stopping, busy
    model_reset = Signal()

    def __init__(self, config: TrainConfig, parent: QObject | None = None,
                 model: AppModel | None = None) -> None:
        super().__init__(parent)
        self.model = model or AppModel(config)
        self.state = "idle"
        self.runner = JobRunner(self, name="training")
        self.runner.records.connect(self._apply)
        self.runner.failed.connect(self.failed)
        self.runner.finished.connect(self._on_job_finished)
        self._after_job: Callable[[], None] | None = None

    @property
    def is_busy(self) -> bool:
        return self.runner.busy

    # --- commands ----------------------------------------------------------------------------
    def train(self) -> None:
        """Train button: start, pause, or resume."""
        if self.state == "running":
            self.model.control.pause()
            self._set_state("paused")
        elif self.state == "paused":
            if self.model.stale:
                self._after_job = lambda: self._launch(lambda: self.model.train_job(fresh=True))
                self.stop()
            else:
                self.model.control.resume()
                self._set_state("running")
        elif not self.is_busy:
            self._launch(lambda: self._train_job(steps=None))

    def stop(self) -> None:
        if self.is_busy:
            self.model.control.stop()
            self._set_state("stopping")

    def reset(self) -> None:
        """Re-initialise the weights: the next Train starts from fresh weights."""
        def do_reset() -> None:
            self.model.reset()
            self.model_reset.emit()
        if self.is_busy:
            self._after_job = do_reset
            self.stop()
        else:
            do_reset()

    def step(self) -> None:
        if not self.is_busy:
            self._launch(lambda: self._train_job(steps=1))

    def evaluate_loaded(self) -> None:
        """Measure a loaded checkpoint on its test split in the background (Mistakes, Decision boundary)."""
        job = self.model.evaluate_loaded_job()
        if not self.is_busy and job is not None:
            self._launch(lambda: job, state="busy")

    def open_data(self, config: TrainConfig, watch=None) -> None:
        """Read and check your own data in the background; a bad file fails with a message, changing nothing.
        A table's progress goes to `watch` (engine/datasets/tables/progress.py), which also cancels it."""
        if not self.is_busy:
            job = self.model.open_data_job(config)
            if watch is not None:
                from playground.engine.datasets.tables.progress import watched
                job = watched(job, watch)
            self._launch(lambda: job, state="busy")

    def fine_tune(self, images: np.ndarray, labels: np.ndarray) -> bool:
        """Fine-tune the current digit model on my digits in the background (FineTune* records); False when
        busy or there is no model."""
        if self.is_busy or (self.model.trainer is None and self.model.loaded is None):
            return False
        self._launch(lambda: self.model.fine_tune_job(images, labels), state="busy")
        return True

    def set_parameter(self, layer: int, unit: int, source: int | None, value: float) -> None:
        """Edit one weight or bias (the Network tab) and measure the edited model in the background; raises
        PlaygroundError while a job runs."""
        if self.is_busy:
            raise PlaygroundError(EDIT_REFUSED)
        job = self.model.set_parameter(layer, unit, source, value)
        if job is not None:
            self._launch(lambda: job, state="busy")

    def download(self, name: str, done: Callable[[], None] | None = None) -> None:
        """Download an MNIST-family set in the background (DownloadProgress records; stop() cancels)."""
        if self.is_busy:
            return
        self._after_job = done
        self._launch(lambda: self.model.download_job(name), state="busy")

    def run_job(self, make_job: Callable[[], Callable[[], Iterator]]) -> bool:
        """Run a training-like job made by `make_job` (a sweep): Pause and Stop act on it as on a run. False
        when a job is running; a PlaygroundError from `make_job` propagates, nothing started."""
        if self.is_busy:
            return False
        self._launch(make_job)
        return True

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Stop any job and join its thread (GUI thread only, e.g. from closeEvent). A job still running after
        timeout_ms (a dataset being generated cannot be interrupted half-way) is let go: it ends on its own, its
        records reach no one, and False is returned. None waits for as long as the job takes."""
        self._after_job = None
        if not self.is_busy:
            return True
        self.model.control.stop()
        return self.runner.shutdown(timeout_ms)

    # --- jobs --------------------------------------------------------------------------------
    def _train_job(self, steps: int | None) -> Callable[[], Iterator]:
        return self.model.train_job(fresh=not self.model.can_continue, steps=steps)

    def _launch(self, make_job: Callable[[], Callable[[], Iterator]], state: str = "running") -> None:
        """A fresh RunControl for every job (a stop request must not outlive its job), then the job made
        with it."""
        self.model.new_control()
        if self.runner.run(make_job()):
            self._set_state(state)

    @Slot(list)
    def _apply(self, records: list) -> None:
        apply = self.model.apply
        for record in records:
            apply(record)

    @Slot()
    def _on_job_finished(self) -> None:
        self.model.job_ended()
        self._set_state("idle")
        after, self._after_job = self._after_job, None
        if after is not None:
            after()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)
