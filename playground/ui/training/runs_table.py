"""The runs table: one row per run (this session's and the stored ones), newest first; filter, sort, show/hide,
open, rename, notes and delete. A model/view table (runs_model.py), so that thousands of runs list at once."""
from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QTableView

from playground.engine.runs.history import Run
from playground.ui.training.runs_model import COLUMNS, RUN_ID_ROLE, RunsFilter, RunsModel, dataset_label

__all__ = ["COLUMNS", "SETTINGS_WIDTH", "RunsTable", "dataset_label"]
SETTINGS_WIDTH = 300     # the settings column gets no wider when fitted; longer settings end in "…"
NOTES = COLUMNS.index("notes")
STARTED = COLUMNS.index("started")


class RunsTable(QTableView):
    visibility_changed = Signal(int, bool)    # run id, visible
    rename_requested = Signal(int, str)       # run id, new name
    delete_requested = Signal(list)           # run ids
    open_requested = Signal(int, str)         # run id, "last" or "best"
    notes_requested = Signal(int)             # run id

    def __init__(self, colour: Callable[[Run], QColor], parent=None) -> None:
        super().__init__(parent)
        self.setObjectName("runsTable")
        self.runs = RunsModel(colour, self)
        self.proxy = RunsFilter(self)
        self.proxy.setSourceModel(self.runs)
        self.setModel(self.proxy)
        self.setToolTip("Every Train from fresh weights is a run, kept on disk as it trains. Tick runs to overlay "
                        "their curves; double-click one (or Open model) to use its model in the Draw, Network and "
                        "Mistakes tabs and train it further; right-click for its notes. F2 renames, Delete "
                        "removes (Ctrl+Z brings it back).")
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditKeyPressed)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setStretchLastSection(True)
        header.setResizeContentsPrecision(60)    # widths from a sample of rows, not all of thousands
        header.setSortIndicator(STARTED, Qt.DescendingOrder)   # newest first until a header is clicked
        self.setSortingEnabled(True)
        self.runs.visibility_changed.connect(self.visibility_changed)
        self.runs.rename_requested.connect(self.rename_requested)
        self.doubleClicked.connect(self._on_double_click)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._context_menu)
        delete = QShortcut(QKeySequence.Delete, self)
        delete.setContext(Qt.WidgetShortcut)
        delete.activated.connect(self.delete_selected)
        self._sized = False

    # --- rows (the training tab calls these as the run history changes) -------------------------
    def add_runs(self, runs: list[Run]) -> None:
        self.runs.add_runs(runs)
        self.fit_columns()

    def add_run(self, run: Run, colour: QColor | None = None, row: int | None = None) -> None:
        self.runs.add_run(run, row)
        if self.runs.rowCount() <= 200 or not self._sized:   # a few dozen rows' sizes: cheap
            self.fit_columns()
        index = self._view_index(run.run_id)
        if index is not None:
            self.scrollTo(index)

    def update_run(self, run: Run) -> None:
        self.runs.update_run(run)

    def remove_run(self, run_id: int) -> None:
        self.runs.remove_run(run_id)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.fit_columns()     # the theme's style sheet (applied after the rows were listed) sizes the cells

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.StyleChange, QEvent.FontChange) and self.isVisible():
            self.fit_columns()

    def fit_columns(self) -> None:
        """Fit the columns to their contents (a sample of rows); a narrow window scrolls the table sideways rather
        than squeezing the settings to a few letters."""
        if self.runs.rowCount() == 0:
            return
        self._sized = True
        self.resizeColumnsToContents()
        settings = COLUMNS.index("settings")
        self.setColumnWidth(settings, min(self.columnWidth(settings), SETTINGS_WIDTH))
        # the style sheet's check box is drawn wider than the style measures it: room for the whole name
        self.setColumnWidth(0, min(self.columnWidth(0) + 24, 260))

    # --- what the view shows (tests read the table through these) --------------------------------
    def rowCount(self) -> int:
        return self.proxy.rowCount()

    def text(self, row: int, column: int) -> str:
        return self.proxy.index(row, column).data(Qt.DisplayRole)

    def run_at(self, row: int) -> Run:
        return self.runs.run_at(self.proxy.mapToSource(self.proxy.index(row, 0)).row())

    def is_checked(self, row: int) -> bool:
        return Qt.CheckState(self.proxy.index(row, 0).data(Qt.CheckStateRole)) == Qt.Checked

    def set_checked(self, row: int, checked: bool) -> None:
        self.proxy.setData(self.proxy.index(row, 0), Qt.Checked if checked else Qt.Unchecked, Qt.CheckStateRole)

    def set_filter(self, text: str) -> None:
        self.proxy.set_text(text)

    def _view_index(self, run_id: int) -> QModelIndex | None:
        row = self.runs.row_of(run_id)
        if row is None:
            return None
        index = self.proxy.mapFromSource(self.runs.index(row, 0))
        return index if index.isValid() else None

    def select_run(self, run_id: int) -> None:
        index = self._view_index(run_id)
        if index is not None:
            self.selectRow(index.row())
            self.scrollTo(index)

    # --- user actions ------------------------------------------------------------------------
    def selected_run_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.selectionModel().selectedRows()})
        return [self.proxy.index(row, 0).data(RUN_ID_ROLE) for row in rows]

    def delete_selected(self) -> None:
        ids = self.selected_run_ids()
        if ids:
            self.delete_requested.emit(ids)

    def rename_selected(self) -> None:
        ids = self.selected_run_ids()
        if ids:
            index = self._view_index(ids[0])
            self.setCurrentIndex(index)
            self.edit(index)

    def open_selected(self, which: str = "last") -> None:
        ids = self.selected_run_ids()
        if ids:
            self.open_requested.emit(ids[0], which)

    def notes_selected(self) -> None:
        ids = self.selected_run_ids()
        if ids:
            self.notes_requested.emit(ids[0])

    def _on_double_click(self, index: QModelIndex) -> None:
        run_id = index.data(RUN_ID_ROLE)
        if index.column() == NOTES:
            self.notes_requested.emit(run_id)
        else:
            self.open_requested.emit(run_id, "last")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.indexAt(pos)
        if not index.isValid():
            return
        if index.row() not in {i.row() for i in self.selectionModel().selectedRows()}:
            self.selectRow(index.row())
        menu = QMenu(self)
        menu.setObjectName("runsTableMenu")
        menu.setToolTipsVisible(True)
        entries = [("Open last model", "The model of the run's last completed epoch.",
                    lambda: self.open_selected("last")),
                   ("Open best model", "The model of its best epoch by test accuracy (R² for a regression).",
                    lambda: self.open_selected("best")),
                   ("Rename…", "Rename the run (F2).", self.rename_selected),
                   ("Notes…", "Write what you tried and what you saw; kept with the run.", self.notes_selected),
                   ("Delete", "Remove the selected runs and their files (Ctrl+Z brings them back).",
                    self.delete_selected)]
        for text, tip, slot in entries:
            action = menu.addAction(text)
            action.setToolTip(tip)
            action.triggered.connect(slot)
        menu.popup(self.viewport().mapToGlobal(pos))
