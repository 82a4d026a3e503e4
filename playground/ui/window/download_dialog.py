"""The download window: a progress bar with bytes, speed and time left, and Cancel.

It only shows `DownloadProgress` records; Cancel asks the session to stop the job, which removes the
half-written file before it ends.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

from playground.engine.datasets.downloads import DownloadProgress


class DownloadDialog(QDialog):
    cancel_requested = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("downloadDialog")
        self.setWindowTitle(f"Downloading {name}")
        self.setWindowModality(Qt.WindowModal)
        self.setMinimumWidth(520)
        self.label = QLabel(f"Connecting to the {name} mirror…")
        self.label.setObjectName("downloadLabel")
        self.label.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setObjectName("downloadProgress")
        self.bar.setRange(0, 1000)
        self.bar.setFormat("file 0 of 4")
        self.bar.setToolTip("Each file is checked against the checksum torchvision publishes before it is kept; "
                            "a cancelled or broken download leaves nothing behind.")
        self.cancel = QPushButton("Cancel")
        self.cancel.setObjectName("cancelDownloadButton")
        self.cancel.setToolTip("Stop the download. The file being downloaded is deleted; files already "
                               "finished are kept and are not downloaded again.")
        self.cancel.clicked.connect(self._on_cancel)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addLayout(row)
        self.last: DownloadProgress | None = None

    def show_progress(self, record: DownloadProgress) -> None:
        self.last = record
        # the bar covers all files: each file is an equal share, filled by its own byte count
        within = record.fraction if record.fraction is not None else 0.0
        if record.finished:
            within = 1.0
        self.bar.setValue(int(1000 * ((record.file_index - 1) + within) / record.file_count))
        self.bar.setFormat(f"file {record.file_index} of {record.file_count}: {within:.0%}")
        self.label.setText(record.text())

    def _on_cancel(self) -> None:
        self.cancel.setEnabled(False)
        self.label.setText("Cancelling: the partial file is being removed…")
        self.cancel_requested.emit()

    def reject(self) -> None:   # Esc or the window's close button cancel too
        if self.cancel.isEnabled():
            self._on_cancel()
