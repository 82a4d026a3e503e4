"""The table preview (File > Open data…): what each column is and what training would make of it, shown
before anything is loaded. It only shows what `describe_table` found (computed off the GUI thread by
table_loader.py) and says which choice the user made; Load and Cancel are the loader's business.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QHBoxLayout, QLabel,
                               QProgressBar, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout,
                               QWidget)

from playground.engine.data_options import TASKS
from playground.engine.datasets.tables.progress import Watch
from playground.ui.buttons import button
from playground.ui.window.table_memory import TableChoice

HEADERS = ("column", "type", "missing", "levels", "becomes", "why")
TIPS = {
    "table": "Every column of the file: the type read from its cells, how many cells are empty, how many "
             "distinct values a word column has, and what training makes of it (numbers are standardised, "
             "words one-hot encoded, gaps filled and flagged). Pick another label column to see it change.",
    "label": "The column the network learns to predict; every other column is a possible input. The last "
             "column is the usual place for it; a label with words gives the class names.",
    "task": "auto: words or a few whole numbers in the label make a classification, other numbers a "
            "regression (one output, trained on the standardised target, reported in its own units). "
            "Force one when auto guesses wrong, e.g. ratings 1-5 you want to predict as numbers.",
    "levels": "A word column with more distinct values than this is taken for an identifier (names, ids, "
              "tickets) and left out: one-hot encoding it would give every row its own feature to memorise. "
              "Raise it to keep such a column and see whether the test accuracy agrees.",
    "load": "Read the table with these choices and make it the dataset (the batch size and epochs become "
            "this table's defaults). Nothing changes until it has been read.",
    "cancel": "Close without loading: the current dataset and runs stay as they are. A large file stops at "
              "the next column (the read itself finishes in the background).",
    "progress": "What is being read now. A large table is read once; changing the label or task afterwards "
                "reuses what was read.",
}


def _becomes(column: dict) -> str:
    kind = column["kind"]
    if kind == "label":
        return "label"
    if kind == "dropped":
        return "left out"
    gap = " + was missing" if column["missing"] else ""
    if kind == "categorical":
        return f"{column['levels']} one-hot features{' + a (missing) level' if column['missing'] else ''}"
    return f"1 feature{gap}"


class DataPreview(QDialog):
    choice_changed = Signal(object)    # TableChoice: the loader computes a new preview
    load_requested = Signal(object)    # TableChoice
    cancelled = Signal()

    def __init__(self, path: str | Path, choice: TableChoice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dataPreview")
        self.path = Path(path)
        self.choice = choice
        self.info: dict | None = None
        self._updating = False
        self.setWindowTitle(f"Open data: {self.path.name}")
        self.setWindowModality(Qt.WindowModal)
        self.resize(900, 620)
        self.summary = QLabel(f"{self.path}")
        self.summary.setObjectName("dataPreviewSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.label_combo = QComboBox()
        self.label_combo.setObjectName("labelColumnCombo")
        self.label_combo.setToolTip(TIPS["label"])
        self.label_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.label_combo.setMinimumContentsLength(16)
        self.task_combo = QComboBox()
        self.task_combo.setObjectName("previewTaskCombo")
        for task in TASKS:
            self.task_combo.addItem(task, task)
        self.task_combo.setToolTip(TIPS["task"])
        self.levels = QSpinBox()
        self.levels.setObjectName("maxLevelsSpin")
        self.levels.setRange(2, 100_000)
        self.levels.setToolTip(TIPS["levels"])
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setObjectName("dataColumnsTable")
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setToolTip(TIPS["table"])
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.verticalHeader().setVisible(False)
        # sized once after filling: a ResizeToContents header re-measures every row at each setItem
        self.table.horizontalHeader().setStretchLastSection(True)
        self.result = QLabel()
        self.result.setObjectName("dataPreviewResult")
        self.result.setWordWrap(True)
        self.error = QLabel()
        self.error.setObjectName("dataPreviewError")
        self.error.setWordWrap(True)
        self.error.setProperty("warning", True)
        self.error.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("dataPreviewProgress")
        self.progress.setToolTip(TIPS["progress"])
        self.progress.setTextVisible(True)
        self.load_button = button("loadDataButton", "Load", TIPS["load"])
        self.load_button.setDefault(True)
        self.load_button.setEnabled(False)
        self.cancel_button = button("cancelDataButton", "Cancel", TIPS["cancel"])
        self._layout()
        self.set_choice(choice)
        self.label_combo.currentIndexChanged.connect(self._changed)
        self.task_combo.currentIndexChanged.connect(self._changed)
        self.levels.editingFinished.connect(self._changed)
        self.load_button.clicked.connect(lambda: self.load_requested.emit(self.choice))
        self.cancel_button.clicked.connect(self.reject)

    def _layout(self) -> None:
        choices = QHBoxLayout()
        for text, widget in (("label column", self.label_combo), ("task", self.task_combo),
                             ("level cap", self.levels)):
            caption = QLabel(text)
            caption.setBuddy(widget)
            choices.addWidget(caption)
            choices.addWidget(widget, 1 if widget is self.label_combo else 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(choices)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.result)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # --- the user's choice -------------------------------------------------------------------
    def set_choice(self, choice: TableChoice) -> None:
        self._updating = True
        try:
            self.choice = choice
            index = self.label_combo.findData(choice.label) if choice.label is not None else -1
            self.label_combo.setCurrentIndex(index if index >= 0 else self.label_combo.count() - 1)
            self.task_combo.setCurrentIndex(max(self.task_combo.findData(choice.task), 0))
            self.levels.setValue(choice.max_levels)
        finally:
            self._updating = False

    def _changed(self, *_args) -> None:
        if self._updating:
            return
        label = self.label_combo.currentData()
        choice = TableChoice(label, self.task_combo.currentData(), self.levels.value())
        if choice != self.choice:
            self.choice = choice
            self.choice_changed.emit(choice)

    # --- what the loader found -----------------------------------------------------------------
    def set_columns(self, names: list[str]) -> None:
        """The file's column names, for the label picker (kept when a preview for a choice fails)."""
        if [self.label_combo.itemData(i) for i in range(self.label_combo.count())] == names:
            return
        self._updating = True
        try:
            self.label_combo.clear()
            for name in names:
                self.label_combo.addItem(name, name)
        finally:
            self._updating = False
        self.set_choice(self.choice)

    def show_info(self, info: dict) -> None:
        """A preview of the file with the current choice."""
        self.info = info
        self.error.hide()
        self.choice = TableChoice(info["label"], self.choice.task, self.choice.max_levels)
        self.set_choice(self.choice)
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(info["columns"]))
        for row, column in enumerate(info["columns"]):
            levels = "" if column["levels"] is None else f"{column['levels']:,}"
            cells = (column["name"], column["type"] if column["kind"] != "label" else f"label ({info['task']})",
                     f"{column['missing']:,}", levels, _becomes(column), column["reason"])
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 5 and text:
                    item.setToolTip(text)        # the reason in full where the column is too narrow
                if col in (2, 3):
                    item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                if column["kind"] == "dropped":
                    item.setForeground(self.palette().placeholderText())
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self._fit_reasons()
        self.table.setUpdatesEnabled(True)
        read = info["read"]
        how = read["format"] if read["format"] != "csv" else (
            f"delimiter {read['delimiter']!r}{', decimal comma' if read['decimal_comma'] else ''}, "
            f"{read['encoding']}{'' if read['header'] else ', no header row'}")
        self.summary.setText(f"{self.path}\n{info['rows']:,} rows, {len(info['columns'])} columns ({how})")
        self.result.setText(_result_text(info))
        self.load_button.setEnabled(True)

    def _fit_reasons(self) -> None:
        """The 'why' column takes the width left (its long reasons are elided, in full in their tooltips)."""
        header = self.table.horizontalHeader()
        used = sum(header.sectionSize(i) for i in range(len(HEADERS) - 1))
        header.resizeSection(len(HEADERS) - 1, max(120, self.table.viewport().width() - used))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.info is not None:
            self._fit_reasons()

    def show_choice_error(self, message: str) -> None:
        """This choice cannot be trained on (e.g. a label with one class): say why; Load waits for another."""
        self.info = None
        self.table.setRowCount(0)
        self.result.clear()
        self.error.setText(message)
        self.error.show()
        self.load_button.setEnabled(False)

    def show_progress(self, watch: Watch | None) -> None:
        """The job's phase and how far it is (a busy bar for the read); None: nothing is running."""
        if watch is None:
            self.progress.setRange(0, 1)
            self.progress.setValue(0)
            self.progress.setFormat("ready: Load uses these choices" if self.info is not None else "")
            return
        if watch.total:
            self.progress.setRange(0, watch.total)
            self.progress.setValue(watch.done)
        else:
            self.progress.setRange(0, 0)
        self.progress.setFormat(watch.text())

    def set_loading(self, loading: bool) -> None:
        """While the table is being loaded, the choices wait (Cancel stays)."""
        for w in (self.label_combo, self.task_combo, self.levels, self.load_button):
            w.setEnabled(not loading)
        self.load_button.setText("Loading…" if loading else "Load")

    def reject(self) -> None:   # Cancel, Esc and the close button
        self.cancelled.emit()
        super().reject()


def _result_text(info: dict) -> str:
    lines = [f"{info['features']} features after encoding"]
    if info["task"] == "classification":
        counts = ", ".join(f"{k} {v:,}" for k, v in list(info["class_counts"].items())[:10])
        more = ", …" if len(info["classes"]) > 10 else ""
        lines.append(f"label '{info['label']}': classification, {len(info['classes'])} classes ({counts}{more})")
    else:
        t = info["target"]
        lines.append(f"label '{info['label']}': regression (mean {t['mean']:.4g}, std {t['std']:.4g}, "
                     f"{t['min']:.4g} to {t['max']:.4g})")
    if info["rows_dropped"]:
        lines.append(f"{info['rows_dropped']:,} rows without a label are dropped")
    d = info["defaults"]
    lines.append(f"defaults for this table: batch size {d['batch_size']}, {d['epochs']} epochs "
                 f"(shown in the panel; change them there)")
    lines += [n for n in info["notes"] if "left out" not in n]   # left-out columns are in the table
    return "\n".join(lines)
