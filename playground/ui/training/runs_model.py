"""The runs table's model: one row per run of the run history, newest first, and a proxy that filters.

A model/view table, so that thousands of stored runs list at once: rows are inserted in one go, and only the
rows on screen compute their cells (cached per run until it changes). A stored run whose epochs are not read
yet shows the figures of its `summary` (engine/runs/stored_listing.py).
The model sorts its own rows (one sort key per run, a Python list sort): a QSortFilterProxyModel sort calls
data() twice per comparison, half a second for 2,000 rows. The proxy only filters.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor

from playground.engine.data_options import is_data_source, source_path
from playground.engine.datasets import DATASETS
from playground.engine.runs.history import Run, settings_summary

COLUMNS = ["run", "network", "settings", "dataset", "epochs", "test acc", "best test acc", "test loss",
           "train time", "device", "status", "started", "notes"]
NUMERIC = {"epochs", "test acc", "best test acc", "test loss", "train time", "started"}
TIPS = {
    "run": "Tick to show the run's curves. F2 (or Rename…) renames it; double-click opens its model.",
    "network": "Layer widths from input to output.",
    "settings": "The settings runs are usually compared on: activation, init, optimizer and learning rate, "
                "batch size, dropout, weight decay.",
    "dataset": "The data the run trained on.",
    "epochs": "Epochs trained.",
    "test acc": "Test accuracy after the last epoch (for a regression run: test R² and RMSE).",
    "best test acc": "The best test accuracy of any epoch (for a regression run: the best test R²).",
    "test loss": "Test loss after the last epoch.",
    "train time": "Time spent training (evaluation excluded), summed over the epochs.",
    "device": "Where the run trained.",
    "status": "running, finished, stopped, diverged, interrupted (the app was closed or crashed while it "
              "trained: its completed epochs are kept), or loaded from a checkpoint.",
    "started": "When the run started. Runs are listed newest first; click any header to sort by it.",
    "notes": "Your notes on the run: double-click the cell, or right-click → Notes…, to write them.",
}
SORT_ROLE = Qt.UserRole + 1
STARTED = COLUMNS.index("started")
RUN_ID_ROLE = Qt.UserRole
MISSING = float("-inf")    # sorts a run without a figure below every run with one


def dataset_label(name: str) -> str:
    """The name the settings panel shows ("Built-in digits (offline)"); your own file by its file name."""
    if is_data_source(name):
        return Path(source_path(name)).name or name
    entry = DATASETS.get(name)
    return entry.label if entry is not None else name


def _seconds(s: float) -> str:
    minutes, seconds = divmod(s, 60)
    return f"{int(minutes)}:{seconds:04.1f}" if minutes else f"{seconds:.1f} s"


def _started(t: float) -> str:
    today = time.strftime("%Y-%m-%d") == time.strftime("%Y-%m-%d", time.localtime(t))
    return time.strftime("%H:%M" if today else "%Y-%m-%d %H:%M", time.localtime(t))


def _figures(run: Run) -> dict:
    """epochs, last test figures, best score and train time: from its epochs, or its stored summary."""
    s = run.summary if run.loader is not None else None
    if s is not None:
        return dict(epochs=s.epochs, regression=s.regression, acc=s.test_accuracy, loss=s.test_loss,
                    r2=s.test_r2, rmse=s.test_rmse, best_acc=s.best_test_accuracy, best_r2=s.best_test_r2,
                    seconds=s.seconds, dataset=s.dataset)
    last = run.last
    return dict(epochs=len(run.epochs), regression=run.is_regression, acc=last and last.test_accuracy,
                loss=last and last.test_loss, r2=last and last.test_r2, rmse=last and last.test_rmse,
                best_acc=run.best_test_accuracy, best_r2=run.best_test_r2, seconds=run.seconds,
                dataset=run.config.dataset)


def _cells(run: Run) -> tuple[list[str], list[object]]:
    """(the cells' text, their sort keys)."""
    f = _figures(run)
    has = f["epochs"] > 0
    if f["regression"]:    # a regression run has no accuracy: its R² (and RMSE) stand in those columns
        score = f"R² {f['r2']:.4f}, RMSE {f['rmse']:.4g}" if has and f["r2"] is not None else "—"
        best = f"R² {f['best_r2']:.4f}" if f["best_r2"] is not None else "—"
        keys = (f["r2"], f["best_r2"])
    else:
        score = f"{f['acc']:.4f}" if has and f["acc"] is not None else "—"
        best = f"{f['best_acc']:.4f}" if f["best_acc"] is not None else "—"
        keys = (f["acc"], f["best_acc"])
    settings = settings_summary(run.config)
    notes = run.notes.splitlines()[0] if run.notes else ""
    text = [run.name, run.architecture, settings, dataset_label(f["dataset"]), str(f["epochs"]), score, best,
            f"{f['loss']:.4f}" if has and f["loss"] is not None else "—", _seconds(f["seconds"]) if has else "—",
            run.device, run.status, _started(run.created), notes]
    numbers = [f["epochs"], *keys, f["loss"] if has else None, f["seconds"] if has else None, run.created]
    sort: list[object] = [t.lower() for t in text]
    for name, value in zip(("epochs", "test acc", "best test acc", "test loss", "train time", "started"), numbers):
        sort[COLUMNS.index(name)] = MISSING if value is None else float(value)
    return text, sort


def _dataset(run: Run) -> str:
    return run.summary.dataset if run.summary is not None else run.config.dataset


def filter_text(run: Run) -> str:
    """What the filter box searches: the run's name, dataset (its name and label) and status (a stored run's
    config stays unread)."""
    dataset = _dataset(run)
    return f"{run.name} {dataset} {dataset_label(dataset)} {run.status}".lower()


class RunsModel(QAbstractTableModel):
    """The run history's runs, newest first. It only displays: ticks and edits become requests (signals), and
    the run changes when the run history says so."""
    visibility_changed = Signal(int, bool)    # run id, visible
    rename_requested = Signal(int, str)       # run id, new name

    def __init__(self, colour: Callable[[Run], QColor], parent=None) -> None:
        super().__init__(parent)
        self._colour = colour
        self._rows: list[Run] = []
        self._cache: dict[int, tuple[list[str], list[object]]] = {}
        self._sort = (STARTED, Qt.DescendingOrder)     # newest first until a header is clicked

    # --- following the run history -------------------------------------------------------------
    def add_runs(self, runs: list[Run]) -> None:
        """Runs listed at once: one reset for them all."""
        if runs:
            self.beginResetModel()
            self._rows.extend(runs)
            self._rows.sort(key=self._key, reverse=self._sort[1] == Qt.DescendingOrder)
            self.endResetModel()

    def add_run(self, run: Run, position: int | None = None) -> None:
        """A run goes in where the current sort puts it (a new run: on top)."""
        key, descending = self._key(run), self._sort[1] == Qt.DescendingOrder
        after = (lambda k: k < key) if descending else (lambda k: k > key)
        row = next((i for i, r in enumerate(self._rows) if after(self._key(r))), len(self._rows))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, run)
        self.endInsertRows()

    def update_run(self, run: Run) -> None:
        row = self.row_of(run.run_id)
        if row is not None:
            self._cache.pop(run.run_id, None)
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            if self._sort[0] not in (STARTED, 0):    # its figures moved: so may its place
                self.sort(*self._sort)

    def _key(self, run: Run) -> tuple:
        return self.sort_key(run, self._sort[0]), run.run_id

    def sort_key(self, run: Run, column: int):
        """The value a column sorts on; the launch's sort (newest first) computes no cells."""
        cheap = {STARTED: run.created, 0: run.name.lower(), COLUMNS.index("status"): run.status}
        return cheap[column] if column in cheap else self._cell(run)[1][column]

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        if not 0 <= column < len(COLUMNS):
            return
        self._sort = (column, order)
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        before = [(self._rows[i.row()].run_id, i.column()) for i in persistent]
        self._rows.sort(key=self._key, reverse=order == Qt.DescendingOrder)
        rows = {r.run_id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(persistent, [self.index(rows[run_id], col) for run_id, col in before])
        self.layoutChanged.emit()

    def remove_run(self, run_id: int) -> None:
        row = self.row_of(run_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self._cache.pop(run_id, None)
            self.endRemoveRows()

    def row_of(self, run_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.run_id == run_id), None)

    def run_at(self, row: int) -> Run:
        return self._rows[row]

    # --- Qt's model interface ------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation, role: int = Qt.DisplayRole):
        if orientation == Qt.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.DisplayRole:
                return COLUMNS[section]
            if role == Qt.ToolTipRole:
                return TIPS[COLUMNS[section]]
        return None

    def flags(self, index: QModelIndex):
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if index.column() == 0:
            flags |= Qt.ItemIsUserCheckable | Qt.ItemIsEditable
        return flags

    def _cell(self, run: Run) -> tuple[list[str], list[object]]:
        cached = self._cache.get(run.run_id)
        if cached is None:
            cached = self._cache[run.run_id] = _cells(run)
        return cached

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        run, col = self._rows[index.row()], index.column()
        if role in (Qt.DisplayRole, Qt.EditRole):
            return run.name if col == 0 and role == Qt.EditRole else self._cell(run)[0][col]
        if role == SORT_ROLE:
            return self.sort_key(run, col)
        if role == RUN_ID_ROLE:
            return run.run_id
        if col == 0 and role == Qt.CheckStateRole:
            return Qt.Checked if run.visible else Qt.Unchecked
        if col == 0 and role == Qt.DecorationRole:
            return self._colour(run)
        if role == Qt.TextAlignmentRole and COLUMNS[col] in NUMERIC:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            if col == 0:
                return f"{run.name}\n{self._cell(run)[0][2]}" + (f"\n\n{run.notes}" if run.notes else "")
            if COLUMNS[col] in ("settings", "notes"):
                return run.notes if COLUMNS[col] == "notes" else self._cell(run)[0][col]
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:
        """Ticks and names go to the table's signals; the run changes when the history says so."""
        if not index.isValid() or index.column() != 0:
            return False
        run = self._rows[index.row()]
        if role == Qt.CheckStateRole:
            self.visibility_changed.emit(run.run_id, Qt.CheckState(value) == Qt.Checked)
            return True
        if role == Qt.EditRole:
            self.rename_requested.emit(run.run_id, str(value))
            self.update_run(run)        # a name refused (blank) shows the kept one again
            return True
        return False


class RunsFilter(QSortFilterProxyModel):
    """Keeps the rows whose name, dataset or status hold every word typed (any case), in the model's order:
    a click on a header sorts the model itself (see the module's note)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._words: list[str] = []

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.sourceModel().sort(column, order)

    def set_text(self, text: str) -> None:
        words = text.lower().split()
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):    # Qt 6.9 and later; invalidateFilter() is deprecated there
            self.beginFilterChange()
            self._words = words
            self.endFilterChange()
        else:
            self._words = words
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: QModelIndex) -> bool:
        if not self._words:
            return True
        hay = filter_text(self.sourceModel().run_at(source_row))
        return all(word in hay for word in self._words)
