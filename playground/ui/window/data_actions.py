"""The window's data actions: your own table or image folder (File > Open data…), and downloads with a
progress dialog, asked for before Train when the set is not on disk. Failures go to the banner and change
nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.data_options import is_data_source, source_path
from playground.engine.datasets import DISPLAY_NAMES, describe, is_on_disk
from playground.engine.datasets.downloads import DownloadProgress
from playground.engine.datasets.tables import MAX_LEVELS
from playground.engine.datasets.tables.progress import Watch
from playground.engine.datasets.mnist_family import FOLDERS as DOWNLOADABLE
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import DataOpened, RunStarted
from playground.ui.session import TrainingSession
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.window.download_dialog import DownloadDialog
from playground.ui.window.table_memory import with_user_values
from playground.ui.window.feedback import Feedback
from playground.ui.window.table_loader import TableLoader


class DataActions(QObject):
    """Observes: data_opened, run_started (your data's shape for the panel), download_progress."""

    def __init__(self, window: QWidget, model: AppModel, session: TrainingSession, panel: ConfigPanel,
                 feedback: Feedback, apply_config: Callable[[TrainConfig], None]) -> None:
        super().__init__(window)
        self.window, self.model, self.session, self.panel, self.feedback = window, model, session, panel, feedback
        self.apply_config = apply_config          # the window's reaction to a new config from the panel
        self.download_dialog: DownloadDialog | None = None
        self._open_watch: Watch | None = None
        self._table_loader: TableLoader | None = None
        model.events.data_opened.connect(self._on_data_opened)
        model.events.run_started.connect(self._on_run_started)
        model.events.download_progress.connect(self._on_download_progress)
        panel.download_requested.connect(self.download)

    # --- your own data -----------------------------------------------------------------------
    def open_data(self, path: str | Path, label_column: str | None = None, task: str = "auto",
                  max_levels: int = MAX_LEVELS, watch: Watch | None = None) -> None:
        """Read a CSV table or an image folder in the background; on success it becomes the dataset, on
        failure the banner says why and the current data and runs stay. A table's progress goes to `watch`,
        which also cancels it."""
        if self.session.is_busy:
            self.feedback.show_error("Stop the current run (or let the current job finish) before opening data.")
            return
        path = Path(path)
        name = f"folder:{path}" if path.is_dir() else f"csv:{path}"
        try:
            config = self.panel.current().replace(dataset=name, label_column=label_column, task=task,
                                                  max_levels=max_levels, data_seed=0, features=("x1", "x2"),
                                                  classes=2)
        except PlaygroundError as exc:
            self.feedback.show_error(str(exc))
            return
        self._open_watch = watch
        self.session.open_data(config, watch)

    @property
    def table_loader(self) -> TableLoader:
        """File > Open data…'s preview and loading of tables (made on first use)."""
        if self._table_loader is None:
            self._table_loader = TableLoader(self)
        return self._table_loader

    def _on_data_opened(self, record: DataOpened) -> None:
        if self._open_watch is not None and self._open_watch.cancelled:
            return                      # cancelled after its last column: nothing changes
        config, defaults = record.config, record.dataset.defaults     # defaults: a table's batch size, epochs
        if defaults:
            config = with_user_values(config, source_path(config.dataset), defaults)
        self._note_data_shape(config.dataset, record.dataset)
        self.panel.table_defaults.set_defaults(config.dataset, defaults)
        self.panel.set_config(config)
        self.apply_config(self.panel.current())
        if self._table_loader is not None:
            self._table_loader.finished_loading(True)
        self.feedback.clear_error()
        self.feedback.note(f"{Path(source_path(record.config.dataset)).name}: {describe(record.dataset)}. "
                           f"Press Train.")

    def _on_run_started(self, record: RunStarted) -> None:
        if record.dataset is not None:
            self._note_data_shape(record.config.dataset, record.dataset)
            if record.dataset.defaults:
                self.panel.table_defaults.set_defaults(record.config.dataset, record.dataset.defaults)

    def _note_data_shape(self, name: str, dataset) -> None:
        if is_data_source(name):
            self.panel.set_data_shape(name, dataset.kind, dataset.n_inputs, dataset.n_outputs)

    def open_data_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open data", "", "Tables (*.csv *.tsv *.txt *.parquet "
                                              "*.xlsx);;All files (*)")
        if path:
            self.table_loader.preview(path)

    def open_folder_dialog(self) -> None:
        if path := QFileDialog.getExistingDirectory(self.window, "Open a folder with one sub-folder per class"):
            self.open_data(path)

    # --- downloads ---------------------------------------------------------------------------
    def needs_download(self) -> bool:
        """Train would start a new run on an MNIST-family set that is not on disk."""
        config = self.model.config
        return (self.session.state == "idle" and config.dataset in DOWNLOADABLE
                and not is_on_disk(config.dataset, config.data_dir) and not self.model.can_continue)

    def download(self, name: str, then_train: bool = False) -> None:
        if self.session.is_busy:
            self.feedback.show_error("Wait for the current run to end before downloading.")
            return
        dialog = DownloadDialog(DISPLAY_NAMES.get(name, name), self.window)
        dialog.cancel_requested.connect(self.session.stop)
        self.download_dialog = dialog

        def done() -> None:
            dialog.accept()
            dialog.deleteLater()
            self.download_dialog = None
            self.panel.set_data_status(name)
            if then_train and is_on_disk(name, self.model.config.data_dir):
                self.session.train()
        self.session.download(name, done=done)
        dialog.show()

    def _on_download_progress(self, record: DownloadProgress) -> None:
        if self.download_dialog is not None:
            self.download_dialog.show_progress(record)

    def ask_download(self, name: str) -> bool:
        """Yes/No: download a set that is not on disk yet (tests replace this)."""
        answer = QMessageBox.question(
            self.window, "Download the data?", f"{DISPLAY_NAMES.get(name, name)} is not on disk yet. Download it "
            f"now (about 10-30 MB, from the mirrors torchvision uses, checked against its checksums)?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        return answer == QMessageBox.Yes
