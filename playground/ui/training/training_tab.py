"""The Training tab: the overlaid curves of every run above the runs table, and exporting them."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QFileDialog, QHBoxLayout, QSplitter, QVBoxLayout, QWidget

from playground.engine.errors import PlaygroundError
from playground.engine.runs.history import Run, RunHistory, write_metrics_csv
from playground.engine.runs.stored_edits import StoredEdits
from playground.ui.buttons import button
from playground.ui.training.plots import TrainingPlots, run_colour
from playground.ui.training.runs_controls import NotesDialog, filter_box, open_button, store_label
from playground.ui.training.runs_table import RunsTable

SHOW_ALL_LIMIT = 50     # "Show all" draws at most this many runs: thousands may be kept


class TrainingTab(QWidget):
    message = Signal(str)   # a short note for the status bar
    failed = Signal(str)    # an error for the banner
    open_requested = Signal(int, str)   # a stored run's id, "last" or "best": the window opens its model

    def __init__(self, history: RunHistory | None = None, parent: QWidget | None = None,
                 edits: StoredEdits | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trainingTab")
        self.history = history if history is not None else RunHistory()   # the application model's
        self.edits = edits if edits is not None else StoredEdits(None, self.history)   # names, notes, deletions
        self.plots = TrainingPlots(self.history)
        self.table = RunsTable(lambda run: run_colour(self.history.index(run)))
        self.filter = filter_box()
        self.open_button = open_button()
        self.store_line = store_label()
        self.live = False     # True while the current run is training
        self._deleted: list[list[tuple[int, Run]]] = []   # (position, run) per Delete, for undo
        self.show_all = button("showAllRunsButton", "Show all", f"Overlay the curves of every run the table "
                               f"lists (the filter narrows them; at most the {SHOW_ALL_LIMIT} newest).")
        self.only_latest = button("showLatestRunButton", "Only latest",
                                   "Hide every run but the newest, to watch it alone.")
        self.rename = button("renameRunButton", "Rename…", "Rename the selected run (or press F2 on it); "
                              "the new name shows in the legend and the exported files.")
        self.delete = button("deleteRunButton", "Delete", "Remove the selected runs and their curves (Delete key; "
                              "Undo or Ctrl+Z brings them back). The run in progress cannot be deleted until "
                              "it stops.")
        self.undo = button("undoDeleteButton", "Undo delete", "Bring back the runs deleted last (Ctrl+Z).")
        self.undo.setEnabled(False)
        self.export_csv_button = button("exportCsvButton", "Export CSV…",
                                         "Save the epoch curves of the shown runs as CSV: one row per run and "
                                         "epoch, with the columns of `mlp-playground train --json`.")
        self.export_png_button = button("exportPngButton", "Export PNG…",
                                         "Save the loss and accuracy plots as they look now, legend included.")
        buttons = self.button_row = QHBoxLayout()
        for b in (self.show_all, self.only_latest, self.rename, self.delete, self.undo):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.export_csv_button)
        buttons.addWidget(self.export_png_button)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.addWidget(self.filter, 1)
        top.addWidget(self.open_button)
        lower_layout.addLayout(top)
        lower_layout.addWidget(self.table, 1)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.store_line)
        splitter = self.splitter = QSplitter(Qt.Vertical)   # the curves above, the table below
        splitter.addWidget(self.plots)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([500, 300])    # the table lists kept runs too: room for ten rows
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        events = self.history.events
        events.run_added.connect(self._on_run_added)
        events.runs_listed.connect(self.table.add_runs)
        # the line under the table follows the store, at most every second or so (it stats every model file)
        self._store_timer = QTimer(self)
        self._store_timer.setSingleShot(True)
        self._store_timer.setInterval(1000)
        self._store_timer.timeout.connect(self.refresh_store_line)
        for event in (events.run_added, events.run_removed, events.epoch_added, events.runs_listed):
            event.connect(lambda *args: self._store_timer.start())
        events.run_removed.connect(self._on_run_removed)
        events.curves_changed.connect(lambda run: self.plots.mark_dirty())
        events.epoch_added.connect(self._on_epoch_added)
        events.run_changed.connect(self._on_run_changed)
        events.current_changed.connect(self.plots.runs_changed)
        self.table.visibility_changed.connect(self.set_visible)
        self.table.rename_requested.connect(self.rename_run)
        self.table.delete_requested.connect(self.delete_runs)
        self.table.open_requested.connect(self.open_run)
        self.table.notes_requested.connect(self.edit_notes)
        self.filter.textChanged.connect(self.table.set_filter)
        self.open_button.clicked.connect(lambda: self.table.open_selected("last"))
        self.open_button.last_action.triggered.connect(lambda: self.table.open_selected("last"))
        self.open_button.best_action.triggered.connect(lambda: self.table.open_selected("best"))
        undo = QShortcut(QKeySequence.Undo, self)
        undo.setContext(Qt.WidgetWithChildrenShortcut)   # anywhere in this tab; a name being edited keeps its own
        undo.activated.connect(self.undo_delete)
        self.undo.clicked.connect(self.undo_delete)
        self.show_all.clicked.connect(self.show_listed)
        self.only_latest.clicked.connect(lambda: self._show_only(self.history.runs[-1] if self.history.runs else None,
                                                                 only=True))
        self.rename.clicked.connect(self.table.rename_selected)
        self.delete.clicked.connect(self.table.delete_selected)
        self.export_csv_button.clicked.connect(self._export_csv_dialog)
        self.export_png_button.clicked.connect(self._export_png_dialog)

    # --- following the run history's events -----------------------------------------------------
    def _on_run_added(self, run: Run, position: int) -> None:
        self.plots.add_run(run)
        self.table.add_run(run, run_colour(self.history.index(run)), row=position)

    def _on_run_removed(self, run_id: int) -> None:
        self.table.remove_run(run_id)
        self.plots.remove_run(run_id)

    def _on_epoch_added(self, run: Run) -> None:
        self.plots.mark_dirty()
        self.table.update_run(run)

    def _on_run_changed(self, run: Run) -> None:
        self.table.update_run(run)
        self.plots.runs_changed()

    # --- the user's actions ------------------------------------------------------------------
    def set_visible(self, run_id: int, visible: bool) -> None:
        self.history.set_visible(run_id, visible)

    def _show_only(self, keep: Run | None, only: bool = False) -> None:
        for run in list(self.history.runs):
            self.history.set_visible(run.run_id, (run is keep) if only else True)

    def show_listed(self) -> None:
        """Show the runs the table lists (after the filter), the newest SHOW_ALL_LIMIT at most."""
        listed = [self.table.run_at(row) for row in range(self.table.rowCount())]
        listed.sort(key=lambda run: run.run_id, reverse=True)
        for run in listed[:SHOW_ALL_LIMIT]:
            self.history.set_visible(run.run_id, True)
        if len(listed) > SHOW_ALL_LIMIT:
            self.message.emit(f"Showing the {SHOW_ALL_LIMIT} newest of {len(listed):,} listed runs: type in the "
                              f"filter box to choose others.")

    def rename_run(self, run_id: int, name: str) -> None:
        run = self.history.get(run_id)
        if run is None or name == run.name:
            return
        self.edits.rename(run_id, name)      # a blank name keeps the old one; a stored run's row follows
        self.table.update_run(run)           # put the kept name back in a cell edited blank

    def edit_notes(self, run_id: int) -> None:
        run = self.history.get(run_id)
        if run is None:
            return
        dialog = NotesDialog(run.name, run.notes, self)
        if dialog.exec() == QDialog.Accepted:
            self.edits.set_notes(run_id, dialog.notes())
            self.message.emit(f"Notes on “{run.name}” saved.")

    def open_run(self, run_id: int, which: str) -> None:
        """Ask the window to open a run's stored model; a run that is not stored says why it cannot."""
        run = self.history.get(run_id)
        if run is None:
            return
        if run.store_id is None:
            self.failed.emit(f"“{run.name}” is not in the run store ({self.edits.status_line().rstrip('.')}), so "
                             f"its model cannot be opened from here: save a checkpoint while it is current.")
            return
        self.open_requested.emit(run.store_id, which)

    def refresh_store_line(self) -> None:
        self.store_line.setText(self.edits.status_line())

    def delete_runs(self, run_ids: list[int]) -> None:
        kept, deleted = [], []
        for run_id in run_ids:
            run = self.history.get(run_id)
            if run is None:
                continue
            if self.live and run is self.history.current:
                kept.append(run.name)
                continue
            deleted.append((self.history.runs.index(run), run))
            self.history.remove(run_id)
        if deleted:
            self.edits.deleted(run for _, run in deleted)
            self._deleted.append(deleted)
            self.undo.setEnabled(True)
            what = f"“{deleted[0][1].name}”" if len(deleted) == 1 else f"{len(deleted)} runs"
            self.message.emit(f"Deleted {what}. Undo delete (Ctrl+Z) brings {'it' if len(deleted) == 1 else 'them'} "
                              f"back.")
        if kept:
            self.message.emit(f"{kept[0]} is still training: stop it before deleting it.")

    def undo_delete(self) -> None:
        if not self._deleted:
            return
        restored = self._deleted.pop()
        for position, run in reversed(restored):
            self.history.restore(run, position)
        self.edits.restored(run for _, run in restored)
        self.undo.setEnabled(bool(self._deleted))
        self.message.emit("Deleted runs restored.")

    # --- export ------------------------------------------------------------------------------
    def export_csv(self, path: str | Path) -> bool:
        runs = [(run.name, run.epochs) for run in self.history.visible()]
        if not any(history for _, history in runs):
            self.failed.emit("There are no finished epochs to export yet: train for at least one epoch.")
            return False
        try:
            write_metrics_csv(path, runs)
        except PlaygroundError as exc:
            self.failed.emit(str(exc))
            return False
        self.message.emit(f"Saved the curves of {len(runs)} run(s) to {path}")
        return True

    def export_png(self, path: str | Path) -> bool:
        self.plots.refresh()
        if not self.plots.grab().save(str(path), "PNG"):
            self.failed.emit(f"cannot write {path}: check the folder exists and is writable")
            return False
        self.message.emit(f"Saved the plots to {path}")
        return True

    def _export_csv_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export curves as CSV", "curves.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def _export_png_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export plots as PNG", "curves.png", "PNG image (*.png)")
        if path:
            self.export_png(path if path.lower().endswith(".png") else path + ".png")
