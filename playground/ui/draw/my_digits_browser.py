"""A window onto my digits: every taught drawing with its label; delete, export as a PNG grid or IDX files."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QHBoxLayout, QLabel, QListView,
                               QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget)

from playground.engine.errors import PlaygroundError
from playground.engine.drawing.my_digits import MyDigitsStore
from playground.ui.images import gray_pixmap

THUMB = 56


class MyDigitsBrowser(QDialog):
    changed = Signal()      # entries were deleted

    def __init__(self, store: MyDigitsStore, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("myDigitsDialog")
        self.setWindowTitle("My digits")
        self.resize(640, 480)
        self.store = store
        self.list = QListWidget()
        self.list.setObjectName("myDigitsList")
        self.list.setViewMode(QListView.IconMode)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setResizeMode(QListView.Adjust)
        self.list.setMovement(QListView.Static)
        self.list.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.list.setToolTip("Every drawing you taught, grouped by digit, with the 28x28 image the network saw. "
                             "Select a wrong or sloppy one and delete it: a mislabelled drawing teaches the "
                             "network a mistake.")
        self.summary = QLabel("")
        self.summary.setObjectName("myDigitsSummary")
        self.delete_button = QPushButton("Delete selected")
        self.delete_button.setObjectName("deleteMyDigitButton")
        self.delete_button.setToolTip("Remove the selected drawings from my digits (and from the data folder). "
                                      "Fine-tune again afterwards for the model to forget them.")
        self.delete_button.clicked.connect(self.delete_selected)
        self.png_button = QPushButton("Export PNG grid…")
        self.png_button.setObjectName("exportPngGridButton")
        self.png_button.setToolTip("Save all drawings as one PNG image: a row per digit, as the network sees "
                                   "them. Good for sharing or for spotting a mislabelled drawing.")
        self.png_button.clicked.connect(self._export_png_dialog)
        self.idx_button = QPushButton("Export IDX…")
        self.idx_button.setObjectName("exportIdxButton")
        self.idx_button.setToolTip("Save the drawings and labels as IDX files, MNIST's own format: other tools "
                                   "and MNIST loaders read them as a dataset.")
        self.idx_button.clicked.connect(self._export_idx_dialog)
        self.message = QLabel("")
        self.message.setObjectName("myDigitsMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for b in (self.delete_button, self.png_button, self.idx_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        entries = sorted(self.store.entries(), key=lambda e: e.label)
        for entry in entries:
            item = QListWidgetItem(QIcon(gray_pixmap(entry.image, THUMB)), str(entry.label))
            item.setData(Qt.UserRole, entry.id)
            self.list.addItem(item)
        counts = self.store.counts()
        self.summary.setText(f"{len(entries)} drawings: " + ", ".join(f"{n}× {d}" for d, n in enumerate(counts) if n)
                             if entries else "No drawings yet: draw a digit in the Draw tab and press its number.")
        for b in (self.png_button, self.idx_button):
            b.setEnabled(bool(entries))

    def delete_selected(self) -> int:
        ids = [item.data(Qt.UserRole) for item in self.list.selectedItems()]
        deleted = 0
        try:
            for entry_id in ids:
                deleted += self.store.delete(entry_id)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
        else:
            self.message.setText(f"deleted {deleted} drawing{'s' if deleted != 1 else ''}" if ids else
                                 "Select drawings to delete first.")
        self.refresh()
        if deleted:
            self.changed.emit()
        return deleted

    def export_png(self, path: str | Path) -> bool:
        try:
            out = self.store.export_png_grid(path)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(f"saved {out}")
        return True

    def export_idx(self, folder: str | Path) -> bool:
        try:
            images, labels = self.store.export_idx(folder)
        except PlaygroundError as exc:
            self.message.setText(str(exc))
            return False
        self.message.setText(f"saved {images.name} and {labels.name} in {images.parent}")
        return True

    def _export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export my digits as a PNG grid", "my-digits.png",
                                              "PNG images (*.png)")
        if path:
            self.export_png(path)

    def _export_idx_dialog(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Export my digits as IDX files into")
        if folder:
            self.export_idx(folder)
