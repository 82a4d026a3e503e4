"""The window's read-outs of the current run: the progress bar in the toolbar and the metrics, speed and device
labels in the status bar. They follow the application model's events; nothing here computes."""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QProgressBar

from playground.engine.app_model import AppModel
from playground.engine.errors import PlaygroundError
from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.train.records import EpochRecord, RunEnd, RunStarted, Status, StepRecord
from playground.ui.session import TrainingSession
from playground.ui.window.feedback import Feedback


class RunDisplay(QObject):
    """Observes: run_started, step, epoch, run_ended, status, model_changed (a reset), checkpoint_loaded, and
    the session's state (paused). Progress is drawn on `timer` (the plots' refresh), not per record batch."""

    def __init__(self, model: AppModel, session: TrainingSession, feedback: Feedback, timer: QTimer,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model, self.session, self.feedback = model, session, feedback
        self.progress = QProgressBar()
        self.progress.setObjectName("trainingProgress")
        self.progress.setRange(0, 1000)
        self.progress.setValue(0)
        self.progress.setTextVisible(True)
        self.progress.setFormat("ready")
        self.progress.setMinimumWidth(320)
        self.progress.setToolTip("How far the run is, and the time it still needs at its current speed.")
        self.device_label = QLabel("device: —")
        self.device_label.setObjectName("deviceLabel")
        self.speed_label = QLabel("")
        self.speed_label.setObjectName("speedLabel")
        self.metrics_label = QLabel("")
        self.metrics_label.setObjectName("metricsLabel")
        self.metrics_label.setToolTip("Measured after each epoch in evaluation mode: the loss and accuracy on a "
                                      "sample of the training data (train) and on the test split (test).")
        self.speed_label.setToolTip("Training speed, and the loss of the latest training batch (noisy: one "
                                    "batch, with dropout and augmentation on).")
        self._latest_step: StepRecord | None = None
        events = model.events
        events.run_started.connect(self._on_run_started)
        events.step.connect(self._on_step)
        events.epoch.connect(self._on_epoch)
        events.run_ended.connect(self._on_run_end)
        events.status.connect(lambda record: feedback.note(record.text))
        events.model_changed.connect(lambda facts: facts is None and self._on_model_reset())
        events.checkpoint_loaded.connect(self._on_checkpoint_loaded)
        session.state_changed.connect(self._on_state)
        timer.timeout.connect(self._update_progress)

    @property
    def labels(self) -> tuple[QLabel, ...]:
        """The status bar's permanent labels, left to right."""
        return self.metrics_label, self.speed_label, self.device_label

    def show_device(self, name: str) -> None:
        from playground.engine.devices import device_label, resolve_device
        try:
            self.device_label.setText(f"device: {device_label(resolve_device(name))}")
        except PlaygroundError as exc:
            self.device_label.setText("device: unavailable")
            self.device_label.setToolTip(str(exc))

    def _on_step(self, record: StepRecord) -> None:
        self._latest_step = record

    def _on_epoch(self, record: EpochRecord) -> None:
        self.metrics_label.setText(record.summary())   # R² and RMSE instead of accuracy for a regression

    def _on_run_started(self, record: RunStarted) -> None:
        self.device_label.setText(f"device: {record.device_label}")
        if record.fresh:
            self.progress.setValue(0)
            self.progress.setFormat("starting…")
            self.metrics_label.setText("")
            self.speed_label.setText("")
            self.feedback.note("New run from fresh weights.", 4000)
        self.feedback.clear_error()

    def _update_progress(self) -> None:
        record, self._latest_step = self._latest_step, None
        if record is not None and self.session.state == "running":
            self.progress.setValue(int(round(1000 * min(record.progress, 1.0))))
            minutes, seconds = divmod(int(record.eta_seconds), 60)
            self.progress.setFormat(f"epoch {record.epoch}/{self.model.config.epochs} · ETA {minutes}:{seconds:02d}")
            self.speed_label.setText(f"{record.samples_per_second:,.0f} samples/s · batch loss {record.loss:.4f}")

    def _on_run_end(self, end: RunEnd) -> None:
        self._latest_step = None  # a pending progress update must not overwrite the outcome
        if end.status == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat("finished")
            self.feedback.note(end.message)
        elif end.status == "diverged":
            self.progress.setFormat("diverged")
            self.feedback.show_error(end.message)
        else:
            self.progress.setFormat(f"stopped at epoch {end.epoch}")
            self.feedback.note("Stopped. Train continues this model; Reset starts over.")

    def _on_model_reset(self) -> None:
        self.progress.setValue(0)
        self.progress.setFormat("ready")
        self.metrics_label.setText("")
        self.feedback.note("Weights reset: the next Train starts from scratch.", 5000)

    def _on_checkpoint_loaded(self, loaded: LoadedModel) -> None:
        self.progress.setValue(0)
        self.progress.setFormat(f"loaded: {len(loaded.metrics)} epochs trained" if loaded.metrics else "loaded")

    def _on_state(self, state: str) -> None:
        if state == "paused":
            self.progress.setFormat(self.progress.format().split(" (paused)")[0] + " (paused)")
