"""What the user does to listed runs, kept in the run store: names, notes and deletions.

A deleted run leaves the run history at once but stays in the store until the window closes (`flush`), so
Undo brings it back with its epochs, curves and model files untouched. A run killed with the app before that
is listed again at the next launch: nothing is lost by a crash, at worst a deletion is.
"""
from __future__ import annotations

from typing import Iterable

from playground.engine.runs.history import Run, RunHistory
from playground.engine.runs.store import RunStore


def human_size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1000
    return f"{n:.1f} GB"


class StoredEdits:
    def __init__(self, store: RunStore | None, history: RunHistory) -> None:
        self.store = store
        self.history = history
        self._doomed: set[int] = set()     # store ids deleted in the window, removed from the store at close

    @property
    def recording(self) -> bool:
        return self.store is not None and self.store.recording

    def rename(self, run_id: int, name: str) -> str:
        """Rename the run (a blank name keeps the old one) and its stored row; the name it now has."""
        name = self.history.rename(run_id, name)
        run = self.history.get(run_id)
        if run is not None and run.store_id is not None and self.store is not None:
            self.store.rename(run.store_id, name)
        return name

    def set_notes(self, run_id: int, notes: str) -> None:
        run = self.history.get(run_id)
        if run is None:
            return
        notes = notes.strip()
        self.history.set_notes(run_id, notes)
        if run.store_id is not None and self.store is not None:
            self.store.set_notes(run.store_id, notes)

    def deleted(self, runs: Iterable[Run]) -> None:
        self._doomed.update(r.store_id for r in runs if r.store_id is not None)

    def restored(self, runs: Iterable[Run]) -> None:
        self._doomed.difference_update(r.store_id for r in runs)

    def flush(self) -> list[int]:
        """Delete from the store (rows and model files) the runs deleted in the window; the ids deleted.
        A store id listed again meanwhile (training went on in it) is kept."""
        listed = {r.store_id for r in self.history.runs}
        doomed, self._doomed = self._doomed - listed, set()
        if not doomed or self.store is None:
            return []
        return self.store.delete(sorted(doomed))

    def status_line(self) -> str:
        """One line under the runs table: how many runs are kept and the store's size on disk."""
        store = self.store
        if store is None:
            return "Runs are not recorded in this session."
        if not store.recording:
            return f"Not recording: {store.notice or 'the run store cannot be written'}"
        try:
            size = store.size_on_disk()
        except OSError:
            size = 0
        kept = sum(1 for r in self.history.runs if r.store_id is not None)
        return (f"{kept:,} run{'s' if kept != 1 else ''} kept · {human_size(size)} on disk "
                f"({store.path.name} and model files)")
