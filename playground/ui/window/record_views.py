"""How the main window shows records: a table from record type to handler, and the handlers.

A record's trip: Trainer.run() yields it on the worker thread -> the JobRunner batches it -> the session's
`records` signal delivers the batch on the GUI thread -> `_on_records` hands each record to the app model
(`AppModel.apply`, which updates the runs; the Training tab's plots follow the run history's events) and
then to its view handler here.
"""
from __future__ import annotations

from typing import Callable

from playground.engine.inspect.boundary import BoundaryRecord
from playground.engine.datasets.downloads import DownloadProgress
from playground.engine.train.records import (DataOpened, EpochRecord, LayerRecord, RunEnd, RunStarted, Status, StepRecord, TestRecord,
                              TestSplit)


class RecordViews:
    """Mixin for MainWindow: the record dispatch table and what each record changes on screen."""

    def _record_handlers(self) -> dict[type, Callable]:
        return {
            StepRecord: self._on_step,
            EpochRecord: self._on_epoch,
            LayerRecord: self.gradients.add_layers,
            BoundaryRecord: self.boundary.show_boundary,
            TestRecord: self.mistakes.show_test,
            RunEnd: self._on_run_end,
            RunStarted: self._on_run_started,
            Status: lambda record: self.statusBar().showMessage(record.text),
            TestSplit: self._on_test_split,
            DataOpened: self._on_data_opened,
            DownloadProgress: self._on_download_progress,
        }

    def _on_records(self, records: list) -> None:
        apply, handlers = self.model.apply, self._handlers
        for record in records:
            apply(record)
            handler = handlers.get(type(record))
            if handler is not None:
                handler(record)

    def _on_step(self, record: StepRecord) -> None:
        self.gradients.add_step(record.epoch_position, record.grad_norms)
        self._latest_step = record

    def _on_epoch(self, record: EpochRecord) -> None:
        self.metrics_label.setText(record.summary())   # R² and RMSE instead of accuracy for a regression

    def _on_test_split(self, record: TestSplit) -> None:
        self.network.source.set_dataset(record.dataset)
        self.mistakes.set_dataset(record.dataset)
        self.boundary.set_points(record.dataset)

    def _on_run_started(self, record: RunStarted) -> None:
        self._on_data_run_started(record)
        self.plots.set_epochs(self.session.config.epochs)
        self.device_label.setText(f"device: {record.device_label}")
        if not record.continued:
            self.network.source.set_dataset(record.dataset)
            self.boundary.set_points(record.dataset)
            self.mistakes.set_dataset(record.dataset)
        if record.fresh:
            self.gradients.reset_live()
            self.progress.setValue(0)
            self.progress.setFormat("starting…")
            self.metrics_label.setText("")
            self.speed_label.setText("")
            self.statusBar().showMessage("New run from fresh weights.", 4000)
        self.clear_error()

    def _update_progress(self) -> None:
        """Progress and speed read-outs, at the plots' refresh rate rather than per record batch."""
        record, self._latest_step = self._latest_step, None
        if record is not None and self.session.state == "running":
            self._show_progress(record)

    def _show_progress(self, record: StepRecord) -> None:
        self.progress.setValue(int(round(1000 * min(record.progress, 1.0))))
        minutes, seconds = divmod(int(record.eta_seconds), 60)
        self.progress.setFormat(f"epoch {record.epoch}/{self.session.config.epochs} · ETA {minutes}:{seconds:02d}")
        self.speed_label.setText(f"{record.samples_per_second:,.0f} samples/s · loss {record.loss:.4f}")

    def _on_run_end(self, end: RunEnd) -> None:
        self._latest_step = None  # a pending progress update must not overwrite the outcome
        if end.status == "finished":
            self.progress.setValue(self.progress.maximum())
            self.progress.setFormat("finished")
            self.statusBar().showMessage(end.message)
        elif end.status == "diverged":
            self.progress.setFormat("diverged")
            self.show_error(end.message)
        else:
            self.progress.setFormat(f"stopped at epoch {end.epoch}")
            self.statusBar().showMessage("Stopped. Train continues this model; Reset starts over.")

    def _on_model_reset(self) -> None:
        self.mistakes.set_dataset(None)
        self.progress.setValue(0)
        self.progress.setFormat("ready")
        self.metrics_label.setText("")
        self.statusBar().showMessage("Weights reset: the next Train starts from scratch.", 5000)
