"""The progress bar while a run prepares its data: real progress, never "ready" while work goes on.

From the moment a job starts until its first training step, the bar says it is preparing; while the engine
counts a long preparation (engine/datasets/preparation.py: generating the built-in digits) it shows the count,
the percentage and the time left at the rate measured so far, in the bar and on the status line.
"""
from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QProgressBar, QStatusBar

from playground.engine.datasets.preparation import PREPARATION, PreparationTracker

POLL_MS = 200
PREPARING = "preparing the data…"
IDLE_TEXTS = ("ready", "finished")


class PreparationProgress(QObject):
    def __init__(self, bar: QProgressBar, status: QStatusBar, session,
                 tracker: PreparationTracker = PREPARATION) -> None:
        super().__init__(bar)
        self.bar, self.status, self.session, self.tracker = bar, status, session, tracker
        self._shown: str | None = None    # the text this put in the bar, while nobody has replaced it
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        session.state_changed.connect(self._on_state)

    def _show(self, text: str, value: int) -> None:
        self.bar.setValue(value)
        self.bar.setFormat(text)
        self._shown = text

    def _ours(self) -> bool:
        return self._shown is not None and self.bar.format() == self._shown

    def _on_state(self, state: str) -> None:
        if state in ("running", "busy"):
            if state == "running" and (self.bar.format() in IDLE_TEXTS or self.bar.format().startswith("stopped")):
                self._show(PREPARING, 0)
            self.timer.start()
            self.poll()
        elif state == "idle":
            self.timer.stop()
            if self._ours():
                self._show("ready", 0)
            self._shown = None

    def poll(self) -> None:
        """Show the preparation under way, if any (GUI thread, a few times a second)."""
        snap = self.tracker.snapshot()
        if snap is not None:
            self._show(snap.text(), int(round(1000 * snap.fraction)))
            self.status.showMessage(snap.text())
        elif self._ours() and self._shown != PREPARING:
            self._show(PREPARING, self.bar.value())     # generated: now being cached and read
