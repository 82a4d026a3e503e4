"""Run one engine computation at a time on a worker thread and hand its result to the GUI thread.

The views that draw engine-computed pictures (the Network tab, the Draw tab's attribution map) ask for a new
picture a few times a second; while one is being computed a new request is refused, so they never queue up.
"""
from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable

from PySide6.QtCore import QObject, Signal

from .background import failure_message


class ProbeRunner(QObject):
    finished = Signal(object)   # the result, delivered on the GUI thread (queued: emitted from the worker)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="probe")
        self._future: Future | None = None

    @property
    def busy(self) -> bool:
        return self._future is not None and not self._future.done()

    def submit(self, fn: Callable[[], Any]) -> bool:
        """Start fn on the worker thread unless one is running; False when refused."""
        if self.busy:
            return False
        self._future = self._pool.submit(fn)
        self._future.add_done_callback(self._done)
        return True

    def _done(self, future: Future) -> None:
        try:
            if future.cancelled():
                return
            exc = future.exception()
            if exc is not None:
                self.failed.emit(failure_message(exc))
            else:
                self.finished.emit(future.result())
        except RuntimeError:   # the view was destroyed while its last picture was computed
            pass

    def wait(self) -> None:
        """Block until the running computation (if any) ends; for tests, benchmarks and closing."""
        if self._future is not None:
            try:
                self._future.result()
            except Exception:   # already reported through `failed`
                pass

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True)
