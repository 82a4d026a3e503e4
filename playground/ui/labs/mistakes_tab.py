"""The Mistakes tab: the test split's confusion matrix and a gallery of the examples behind it."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QListView, QListWidget,
                               QListWidgetItem, QPushButton, QSplitter, QTableWidget, QTableWidgetItem,
                               QVBoxLayout, QWidget)

from playground.engine.datasets import Dataset
from playground.engine.inspect.mistakes import confusion_matrix, pick_examples, row_fractions
from playground.engine.train.records import TestRecord
from playground.engine.train.regression import largest_errors
from playground.engine.data_options import is_data_source
from playground.ui.training.runs_table import dataset_label
from playground.ui.images import gray_pixmap

TILE = 56   # gallery images: 28x28 shown at twice the size
MAX_ERRORS = 100   # regression: the largest errors listed


def cell_colour(fraction: float, diagonal: bool) -> QColor:
    """Green for correct answers, red for confusions, deeper for a larger share of the true class."""
    base = (46, 160, 67) if diagonal else (214, 39, 40)
    strength = fraction if diagonal else min(1.0, (fraction * 10) ** 0.5)   # a 1 % confusion still shows
    return QColor(*[int(255 - (255 - c) * strength * 0.8) for c in base])


CELL_TEXT = QColor(20, 20, 20)


def tile_pixmap(image: np.ndarray) -> QPixmap:
    """A 28x28 uint8 digit (white ink on black) as dark ink on paper, scaled up."""
    return gray_pixmap(255 - image.astype(np.uint8), TILE)


class MistakesTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mistakesTab")
        self.note = QLabel()
        self.note.setObjectName("mistakesNote")
        self.note.setWordWrap(True)
        self.matrix = QTableWidget()
        self.matrix.setObjectName("confusionMatrix")
        self.matrix.setToolTip("Confusion matrix on the test split: row = true class, column = predicted class. "
                               "The diagonal counts correct answers; every other cell is a confusion. Click a "
                               "cell to see its examples.")
        self.matrix.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.matrix.setSelectionMode(QAbstractItemView.SingleSelection)
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.matrix.cellClicked.connect(self.select_cell)
        self.filter_label = QLabel()
        self.filter_label.setObjectName("galleryFilterLabel")
        self.filter_label.setWordWrap(True)
        self.all_button = QPushButton("All mistakes")
        self.all_button.setObjectName("allMistakesButton")
        self.all_button.setToolTip("Show every misclassified test example again, most confident first.")
        self.all_button.clicked.connect(lambda: self.select_cell(None, None))
        self.gallery = QListWidget()
        self.gallery.setObjectName("misclassifiedGallery")
        self.gallery.setToolTip("Test examples the model gets wrong, with true → predicted class and the "
                                "model's confidence. The most confident mistakes come first: they show what "
                                "the network has learned wrongly, or labels that are themselves doubtful.")
        self.gallery.setSelectionMode(QAbstractItemView.NoSelection)
        self.gallery.setUniformItemSizes(True)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        self._matrix_title = QLabel("<b>Confusion matrix</b> (rows: true class, columns: predicted)")
        left_layout.addWidget(self._matrix_title)
        left_layout.addWidget(self.matrix, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        row.addWidget(self.filter_label, 1)
        row.addWidget(self.all_button)
        right_layout.addLayout(row)
        right_layout.addWidget(self.gallery, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([480, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(splitter, 1)

        self.dataset: Dataset | None = None
        self.record: TestRecord | None = None
        self.cell: tuple[int, int] | None = None
        self._gallery_stale = False
        self.set_dataset(None)

    # --- push API ----------------------------------------------------------------------------
    def follow_panel(self, dataset_name: str) -> None:
        """The settings panel now names `dataset_name`: the last model's mistakes on another dataset (the digits
        matrix after switching to moons) make way for a word on what to do, and come back on switching back."""
        kept = self._kept or (self.dataset, self.record)
        if kept[0] is None:
            return
        if dataset_name == kept[0].name or is_data_source(dataset_name):
            if self._kept is not None:
                self._kept = None
                self.set_dataset(kept[0])
                if kept[1] is not None:
                    self.show_test(kept[1])
        elif self._kept is None:
            self.set_dataset(None)
            self._kept = kept
            self.note.setText(f"The panel now names {dataset_label(dataset_name)}: press Train to see where a model "
                              f"of it goes wrong (switch back to see the last model's mistakes again).")

    def set_dataset(self, dataset: Dataset | None) -> None:
        """The test split the next records describe (None: no model yet)."""
        self.dataset, self.record, self.cell = dataset, None, None
        self._kept: tuple | None = None
        self.matrix.clear()
        self.matrix.setRowCount(0)
        self.matrix.setColumnCount(0)
        self.gallery.clear()
        self.filter_label.setText("")
        self.note.setText("Train a model: after each epoch this tab shows which classes it confuses on the test "
                          "split, and the test examples it gets wrong.")
        regression = dataset is not None and dataset.is_regression
        self.matrix.setVisible(not regression)
        self._matrix_title.setVisible(not regression)
        self.all_button.setVisible(not regression)
        if regression:
            self.note.setText("A regression has no confusion matrix: after each epoch this tab lists the test "
                              "samples with the largest errors.")
            self.gallery.setViewMode(QListView.ListMode)
        elif dataset is not None:
            names = list(dataset.class_names)
            self.matrix.setRowCount(len(names))
            self.matrix.setColumnCount(len(names))
            self.matrix.setHorizontalHeaderLabels(names)
            self.matrix.setVerticalHeaderLabels(names)
            image = dataset.kind == "image"
            self.gallery.setViewMode(QListView.IconMode if image else QListView.ListMode)
            self.gallery.setIconSize(QSize(TILE, TILE))
            self.gallery.setGridSize(QSize(TILE + 34, TILE + 34) if image else QSize())
            self.gallery.setResizeMode(QListView.Adjust)
            self.gallery.setMovement(QListView.Static)

    def show_test(self, record: TestRecord) -> None:
        if self.dataset is None or len(record.predicted) != len(self.dataset.test_y):
            return
        self.record = record
        if self.dataset.is_regression:
            self._show_errors(record)
            return
        true = self.dataset.test_y.numpy()
        counts = confusion_matrix(true, record.predicted, self.dataset.n_classes)
        fractions = row_fractions(counts)
        names = self.dataset.class_names
        for i in range(counts.shape[0]):
            for j in range(counts.shape[1]):
                item = self.matrix.item(i, j)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignCenter)
                    self.matrix.setItem(i, j, item)
                item.setText(str(counts[i, j]))
                item.setBackground(cell_colour(fractions[i, j], i == j))
                item.setForeground(CELL_TEXT)      # the cells are light in both themes
                item.setToolTip(f"true {names[i]}, predicted {names[j]}: {counts[i, j]:,} of "
                                f"{counts[i].sum():,} ({fractions[i, j]:.1%}). Click to see them.")
        wrong = int(counts.sum() - np.trace(counts))
        self.note.setText(f"{_when(record)}: {wrong:,} of {len(true):,} test examples are misclassified "
                          f"({wrong / max(len(true), 1):.2%}).")
        self._gallery_stale = True
        if self.isVisible():
            self._fill_gallery()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._gallery_stale:
            self._fill_gallery()

    # --- the gallery -------------------------------------------------------------------------
    def select_cell(self, row: int | None, column: int | None) -> None:
        """Show the examples of one confusion-matrix cell (None, None: every mistake)."""
        self.cell = None if row is None else (row, column)
        if row is None:
            self.matrix.clearSelection()
        else:
            self.matrix.setCurrentCell(row, column)
        self._fill_gallery()

    def _fill_gallery(self) -> None:
        self._gallery_stale = False
        self.gallery.clear()
        if self.record is None or self.dataset is None:
            return
        true = self.dataset.test_y.numpy()
        predicted, confidence = self.record.predicted, self.record.confidence
        names = self.dataset.class_names
        true_class, predicted_class = self.cell if self.cell else (None, None)
        chosen = pick_examples(true, predicted, confidence, true_class, predicted_class)
        total = (int((true != predicted).sum()) if self.cell is None
                 else int(((true == true_class) & (predicted == predicted_class)).sum()))
        what = ("every misclassified test example" if self.cell is None else
                f"true {names[true_class]} predicted as {names[predicted_class]}")
        self.filter_label.setText(f"Showing {len(chosen):,} of {total:,}: {what}, most confident first.")
        images = self.dataset.kind == "image"
        for index in chosen.tolist():
            t, p, c = int(true[index]), int(predicted[index]), float(confidence[index])
            if images:
                item = QListWidgetItem(QIcon(tile_pixmap(self.dataset.test_x[index].numpy())),
                                       f"{names[t]} → {names[p]}\n{c:.0%}")
            else:
                item = QListWidgetItem(f"{describe_sample(self.dataset, index)}: true {names[t]} → predicted "
                                       f"{names[p]} ({c:.0%})")
            item.setToolTip(f"test example #{index}: true {names[t]}, predicted {names[p]} with {c:.1%} confidence")
            item.setData(Qt.UserRole, index)
            self.gallery.addItem(item)

    def _show_errors(self, record: TestRecord) -> None:
        """Regression: the test samples the network is furthest off on, worst first."""
        true = self.dataset.test_y.numpy()
        worst = largest_errors(record.predicted, true, MAX_ERRORS)
        rmse = float(np.sqrt(np.mean((record.predicted - true) ** 2))) if len(true) else float("nan")
        self.note.setText(f"{_when(record)}: test RMSE {rmse:.4g}. The {len(worst)} test samples with the "
                          f"largest errors, worst first.")
        self.filter_label.setText(f"Largest errors of {len(true):,} test samples")
        self.gallery.clear()
        name = self.dataset.target_name
        for index, target, predicted, error in worst:
            item = QListWidgetItem(f"{describe_sample(self.dataset, index)}: {name} {target:.4g}, predicted "
                                   f"{predicted:.4g} (off by {error:.3g})")
            item.setData(Qt.UserRole, index)
            self.gallery.addItem(item)


def _when(record: TestRecord) -> str:
    return record.when or f"Epoch {record.epoch}"


def describe_sample(dataset: Dataset, index: int, most: int = 6) -> str:
    """'point (0.12, -1.30)' for 2-D data, 'row 17: a=0.1, b=2.0, …' for a table (standardised values)."""
    values = dataset.test_x[index].tolist()
    if len(values) == 2 and not dataset.feature_names:
        return f"point ({values[0]:.2f}, {values[1]:.2f})"
    names = dataset.feature_names or [f"x{i + 1}" for i in range(len(values))]
    shown = ", ".join(f"{n}={v:.2f}" for n, v in zip(names[:most], values[:most]))
    return f"test row {index}: {shown}{', …' if len(values) > most else ''}"
