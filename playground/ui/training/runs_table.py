"""The runs table: one row per run with its settings and results; show/hide, rename and delete."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from pathlib import Path

from playground.engine.data_options import is_data_source, source_path
from playground.engine.datasets import DATASETS
from playground.engine.runs.history import Run, settings_summary

SETTINGS_WIDTH = 300
COLUMNS = ["run", "network", "settings", "dataset", "epochs", "test acc", "best test acc", "test loss",
           "train time", "device", "status"]
TIPS = {
    "run": "Tick to show the run's curves; double-click (or F2) the name to rename it.",
    "network": "Layer widths from input to output.",
    "settings": "The settings runs are usually compared on: activation, init, optimizer and learning rate, "
                "batch size, dropout, weight decay.",
    "epochs": "Epochs trained.",
    "test acc": "Test accuracy after the last epoch (for a regression run: test R² and RMSE).",
    "best test acc": "The best test accuracy of any epoch (for a regression run: the best test R²).",
    "test loss": "Test loss after the last epoch.",
    "train time": "Time spent training (evaluation excluded), summed over the epochs.",
    "device": "Where the run trained.",
    "status": "running, finished, stopped, diverged, or loaded from a checkpoint.",
}


def _seconds(s: float) -> str:
    minutes, seconds = divmod(s, 60)
    return f"{int(minutes)}:{seconds:04.1f}" if minutes else f"{seconds:.1f} s"


def dataset_label(name: str) -> str:
    """The name the settings panel shows ("Built-in digits (offline)"); your own file by its file name."""
    if is_data_source(name):
        return Path(source_path(name)).name or name
    entry = DATASETS.get(name)
    return entry.label if entry is not None else name


def _cells(run: Run) -> list[str]:
    last = run.last
    if run.is_regression:   # a regression run has no accuracy: its R² (and RMSE) stand in those columns
        best_r2 = run.best_test_r2
        score = f"R² {last.test_r2:.4f}, RMSE {last.test_rmse:.4g}" if last else "—"
        best = f"R² {best_r2:.4f}" if best_r2 is not None else "—"
    else:
        best_acc = run.best_test_accuracy
        score = f"{last.test_accuracy:.4f}" if last else "—"
        best = f"{best_acc:.4f}" if best_acc is not None else "—"
    return [
        run.name, run.architecture, settings_summary(run.config), dataset_label(run.config.dataset),
        str(len(run.epochs)),
        score, best,
        f"{last.test_loss:.4f}" if last else "—", _seconds(run.seconds) if last else "—", run.device, run.status,
    ]


class RunsTable(QTableWidget):
    visibility_changed = Signal(int, bool)    # run id, visible
    rename_requested = Signal(int, str)       # run id, new name
    delete_requested = Signal(list)           # run ids

    def __init__(self, parent=None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("runsTable")
        self.setHorizontalHeaderLabels(COLUMNS)
        for i, name in enumerate(COLUMNS):
            self.horizontalHeaderItem(i).setToolTip(TIPS.get(name, ""))
        self.setToolTip("Every Train from fresh weights is a run. Tick runs to overlay their curves, double-click "
                        "a name to rename it, select rows and press Delete to remove them (Ctrl+Z brings them back).")
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        # every column as wide as its text (a narrow window scrolls the table sideways rather than squeezing
        # the settings to a few letters); the last one takes what is left
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setMaximumSectionSize(SETTINGS_WIDTH)   # only the settings get this wide; longer ones end in "…"
        header.setStretchLastSection(True)
        self._filling = False
        self.itemChanged.connect(self._on_item_changed)
        delete = QShortcut(QKeySequence.Delete, self)
        delete.setContext(Qt.WidgetShortcut)
        delete.activated.connect(self.delete_selected)

    # --- rows --------------------------------------------------------------------------------
    def _row_of(self, run_id: int) -> int | None:
        for row in range(self.rowCount()):
            if self.item(row, 0).data(Qt.UserRole) == run_id:
                return row
        return None

    def add_run(self, run: Run, colour: QColor, row: int | None = None) -> None:
        row = self.rowCount() if row is None else min(row, self.rowCount())
        self.insertRow(row)
        self._fill(row, run, colour)
        self.scrollToItem(self.item(row, 0))

    def update_run(self, run: Run) -> None:
        row = self._row_of(run.run_id)
        if row is not None:
            self._fill(row, run, None)

    def remove_run(self, run_id: int) -> None:
        row = self._row_of(run_id)
        if row is not None:
            self.removeRow(row)

    def _fill(self, row: int, run: Run, colour: QColor | None) -> None:
        self._filling = True
        try:
            for col, text in enumerate(_cells(run)):
                item = self.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
                    if col == 0:
                        flags |= Qt.ItemIsUserCheckable | Qt.ItemIsEditable
                        item.setData(Qt.UserRole, run.run_id)
                    elif col >= COLUMNS.index("epochs"):
                        item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
                    item.setFlags(flags)
                    self.setItem(row, col, item)
                if item.text() != text:
                    item.setText(text)
            name = self.item(row, 0)
            if colour is not None:
                name.setData(Qt.DecorationRole, colour)
            name.setCheckState(Qt.Checked if run.visible else Qt.Unchecked)
            name.setToolTip(f"{run.name}\n{settings_summary(run.config)}")
            self.item(row, COLUMNS.index("settings")).setToolTip(settings_summary(run.config))
        finally:
            self._filling = False

    # --- user actions ------------------------------------------------------------------------
    def _on_item_changed(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != 0:
            return
        run_id = item.data(Qt.UserRole)
        self.visibility_changed.emit(run_id, item.checkState() == Qt.Checked)
        self.rename_requested.emit(run_id, item.text())

    def selected_run_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectedIndexes()})
        return [self.item(row, 0).data(Qt.UserRole) for row in rows]

    def delete_selected(self) -> None:
        ids = self.selected_run_ids()
        if ids:
            self.delete_requested.emit(ids)

    def rename_selected(self) -> None:
        ids = self.selected_run_ids()
        if ids:
            row = self._row_of(ids[0])
            self.setCurrentCell(row, 0)
            self.editItem(self.item(row, 0))
