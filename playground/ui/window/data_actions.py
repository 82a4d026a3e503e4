"""The main window's data actions: your own table or image folder (File > Open data…), and downloads with a
progress dialog, asked for before Train when the set is not on disk. Failures go to the banner and change
nothing."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from playground.engine.data_options import is_data_source, source_path
from playground.engine.datasets import DISPLAY_NAMES, describe, is_on_disk
from playground.engine.datasets.downloads import DownloadProgress
from playground.engine.datasets.mnist_family import FOLDERS as DOWNLOADABLE
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import DataOpened, RunStarted
from playground.ui.window.download_dialog import DownloadDialog


class DataActions:
    """Mixin for MainWindow (needs session, panel, boundary, show_error, clear_error, statusBar)."""
    download_dialog: DownloadDialog | None = None

    # --- your own data -----------------------------------------------------------------------
    def open_data(self, path: str | Path) -> None:
        """Read a CSV table or an image folder in the background; on success it becomes the dataset, on
        failure the banner says why and the current data and runs stay."""
        if self.session.is_busy:
            self.show_error("Stop the current run (or let the current job finish) before opening data.")
            return
        path = Path(path)
        name = f"folder:{path}" if path.is_dir() else f"csv:{path}"
        try:
            config = self.panel.current().replace(dataset=name, label_column=None, task="auto", data_seed=0,
                                                  features=("x1", "x2"), classes=2)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return
        self.session.open_data(config)

    def _on_data_opened(self, record: DataOpened) -> None:
        self._note_data_shape(record.config.dataset, record.dataset)
        self.panel.set_config(record.config)
        self._on_config(self.panel.current())
        self.boundary.set_points(record.dataset)
        self.clear_error()
        self.statusBar().showMessage(f"{Path(source_path(record.config.dataset)).name}: "
                                     f"{describe(record.dataset)}. Press Train.")

    def _on_data_run_started(self, record: RunStarted) -> None:
        if record.dataset is not None:
            self._note_data_shape(record.config.dataset, record.dataset)

    def _note_data_shape(self, name: str, dataset) -> None:
        if is_data_source(name):
            self.panel.set_data_shape(name, dataset.kind, dataset.n_inputs, dataset.n_outputs)

    def _open_data_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open data", "", "Tables (*.csv *.tsv *.txt);;All files (*)")
        if path:
            self.open_data(path)

    def _open_folder_dialog(self) -> None:
        if path := QFileDialog.getExistingDirectory(self, "Open a folder with one sub-folder per class"):
            self.open_data(path)

    # --- downloads ---------------------------------------------------------------------------
    def _download(self, name: str, then_train: bool = False) -> None:
        if self.session.is_busy:
            self.show_error("Wait for the current run to end before downloading.")
            return
        dialog = DownloadDialog(DISPLAY_NAMES.get(name, name), self)
        dialog.cancel_requested.connect(self.session.stop)
        self.download_dialog = dialog

        def done() -> None:
            dialog.accept()
            dialog.deleteLater()
            self.download_dialog = None
            self.panel.set_data_status(name)
            if then_train and is_on_disk(name, self.session.config.data_dir):
                self.session.train()
        self.session.download(name, done=done)
        dialog.show()

    def _on_download_progress(self, record: DownloadProgress) -> None:
        if self.download_dialog is not None:
            self.download_dialog.show_progress(record)

    def _train_clicked(self) -> None:
        """Train, but first ask before downloading a set that is not on disk."""
        config = self.session.config
        if (self.session.state == "idle" and config.dataset in DOWNLOADABLE
                and not is_on_disk(config.dataset, config.data_dir) and not self.session.can_continue):
            if self.ask_download(config.dataset):
                self._download(config.dataset, then_train=True)
            return
        self.session.train()

    def ask_download(self, name: str) -> bool:
        """Yes/No: download a set that is not on disk yet (tests replace this)."""
        answer = QMessageBox.question(
            self, "Download the data?", f"{DISPLAY_NAMES.get(name, name)} is not on disk yet. Download it now "
            f"(about 10-30 MB, from the mirrors torchvision uses, checked against its checksums)?",
            QMessageBox.Yes | QMessageBox.No, QMessageBox.Yes)
        return answer == QMessageBox.Yes
