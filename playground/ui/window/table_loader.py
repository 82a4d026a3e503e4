"""File > Open data… for a table: the preview computed off the GUI thread, Load with progress and Cancel,
and what is remembered per file (QSettings keyed by the file's path): the label, task and level cap
chosen in the preview, and the batch size and epochs the user set over the table's defaults.

A file that cannot be read (empty, header only, one row, garbage, ragged, Excel without its extra) closes
the preview with one line in the window's banner and changes nothing; a choice that cannot be trained on
(a label with one class) is said in the preview, which waits for another choice.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer

from playground.engine.datasets.tables import describe_table, read_cached
from playground.engine.datasets.tables.progress import Cancelled, Watch, watching
from playground.engine.errors import PlaygroundError
from playground.ui.job_runner import JobRunner
from playground.ui.window.table_memory import TableChoice, remember, remembered_choice
from playground.ui.window.data_preview import DataPreview

POLL_MS = 100


def preview_table(path: str | Path, choice: TableChoice) -> dict:
    """{'names', 'info' (describe_table's) or None, 'error' for a choice that cannot be trained on}; a file
    that cannot be read at all raises PlaygroundError."""
    frame, _ = read_cached(path)
    names = list(frame.columns)
    try:
        info = describe_table(path, choice.label, choice.task, choice.max_levels)
    except Cancelled:
        raise
    except PlaygroundError as exc:
        if frame.height < 2 or frame.width < 2:
            raise           # the file itself is unusable: the banner says so
        return {"names": names, "info": None, "error": str(exc)}
    return {"names": names, "info": info, "error": None}


class TableLoader(QObject):
    """One preview at a time; its jobs run on a runner of their own (the session stays free to train)."""

    def __init__(self, actions) -> None:
        """actions: the window's DataActions (session, feedback, open_data, and the window as parent)."""
        super().__init__(actions)
        self.actions, self.window = actions, actions.window
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._next)
        self.dialog: DataPreview | None = None
        self.watch: Watch | None = None          # the running preview's, or the load's
        self.load_watch: Watch | None = None
        self._pending: TableChoice | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._tick)
        actions.session.failed.connect(lambda _message: self.finished_loading(False))

    # --- preview -----------------------------------------------------------------------------
    def preview(self, path: str | Path) -> DataPreview | None:
        """Open the preview of a table file (the first preview starts at once)."""
        if self.actions.session.is_busy:
            self.actions.feedback.show_error("Stop the current run (or let the current job finish) before opening data.")
            return None
        self.close()
        dialog = DataPreview(path, remembered_choice(path), self.window)
        dialog.choice_changed.connect(self._request)
        dialog.load_requested.connect(self._load)
        dialog.cancelled.connect(self._cancel)
        self.dialog = dialog
        self._timer.start()
        self._request(dialog.choice)
        dialog.show()
        return dialog

    def _request(self, choice: TableChoice) -> None:
        if self.runner.busy:
            self._pending = choice
            if self.watch is not None:
                self.watch.cancel()       # the next column stops it; then _next starts this one
            return
        dialog, watch = self.dialog, Watch()
        self.watch = watch

        def compute() -> dict:
            with watching(watch):
                return preview_table(dialog.path, choice)
        self.runner.call(compute, lambda result: self._show(dialog, watch, result),
                         lambda message: self._failed(dialog, watch, message))

    def _next(self) -> None:
        if self.watch is not None and self.load_watch is None:
            self.watch = None
        if self._pending is not None and self.dialog is not None:
            choice, self._pending = self._pending, None
            self._request(choice)

    def _show(self, dialog: DataPreview, watch: Watch, result: dict) -> None:
        if dialog is not self.dialog or watch.cancelled:
            return
        dialog.set_columns(result["names"])
        if result["info"] is not None:
            dialog.show_info(result["info"])
        else:
            dialog.show_choice_error(result["error"])

    def _failed(self, dialog: DataPreview, watch: Watch, message: str) -> None:
        if dialog is not self.dialog or watch.cancelled:
            return
        if dialog.info is None and dialog.label_combo.count() == 0:
            self.close()
            self.actions.feedback.show_error(message)      # the file itself: one line in the banner, nothing changed
        else:
            dialog.show_choice_error(message)

    # --- load --------------------------------------------------------------------------------
    def _load(self, choice: TableChoice) -> None:
        dialog = self.dialog
        if dialog is None or self.actions.session.is_busy:
            if dialog is not None:
                dialog.show_choice_error("Wait for the current run to end before loading.")
            return
        remember(dialog.path, label=choice.label, task=choice.task, max_levels=choice.max_levels)
        self.load_watch = self.watch = Watch()
        dialog.set_loading(True)
        self.actions.open_data(dialog.path, choice.label, choice.task, choice.max_levels, watch=self.load_watch)

    def finished_loading(self, ok: bool) -> None:
        """The window read the table (ok) or failed (the banner says why): the preview goes."""
        if self.load_watch is not None:
            self.load_watch = self.watch = None
            self.close()

    def _cancel(self) -> None:
        for watch in (self.watch, self.load_watch):
            if watch is not None:
                watch.cancel()
        self._pending = None
        if self.load_watch is not None:
            self.actions.feedback.note("Loading cancelled: nothing was changed.", 5000)
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
        self._timer.stop()

    def close(self) -> None:
        dialog, self.dialog = self.dialog, None
        self._timer.stop()
        if dialog is not None:
            dialog.blockSignals(True)
            dialog.done(0)
            dialog.deleteLater()

    def _tick(self) -> None:
        if self.dialog is not None:
            self.dialog.show_progress(self.watch)

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Cancel and join the preview's job (the window's closeEvent)."""
        self._cancel()
        return self.runner.shutdown(timeout_ms)
