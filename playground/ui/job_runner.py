"""The one QThread job runner: runs an engine generator (or a single call) on a worker thread.

One job at a time. A generator job's records are sent to the GUI thread in batches, at most ~15 times a
second (each batch wakes the GUI thread), and at once for the records that change what the window shows
(the start and the end of a run). A call job's result goes to its callback on the GUI thread. Stopping a
busy job is the engine's business (RunControl); `shutdown` only joins the thread.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import torch
from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.engine.errors import PlaygroundError
from playground.engine.train.fine_tune import FineTuneEnd
from playground.engine.train.records import RunEnd, RunStarted, Status
from playground.engine.train.threads import compute_on_one_thread

EMIT_INTERVAL = 1 / 15
# sent at once: what changes the window, and what a job says it is doing now (a status held back in the
# buffer would leave the previous one on screen for as long as the next step takes)
URGENT = (RunEnd, RunStarted, Status, FineTuneEnd)


def failure_message(exc: BaseException) -> str:
    """What a worker thread tells the user about an exception: never a traceback."""
    if isinstance(exc, PlaygroundError):
        return str(exc)
    if isinstance(exc, torch.cuda.OutOfMemoryError):
        return "CUDA ran out of memory: choose a smaller network or batch size, or the CPU device"
    if isinstance(exc, MemoryError):
        return "out of memory: choose a smaller network or batch size"
    text = str(exc).strip()
    return f"stopped by an unexpected {type(exc).__name__}: {text.splitlines()[0][:200] if text else ''}"


@dataclass(frozen=True)
class _Result:
    value: Any


class _Worker(QObject):
    records = Signal(list)
    failed = Signal(str)
    done = Signal()

    def __init__(self, job: Callable[[], Iterator], one_thread: bool) -> None:
        super().__init__()
        self._job = job
        self._one_thread = one_thread

    @Slot()
    def run(self) -> None:
        buffer: list = []
        last = 0.0
        try:
            if self._one_thread:
                compute_on_one_thread()
            for record in self._job():
                buffer.append(record)
                now = time.monotonic()
                if now - last >= EMIT_INTERVAL or isinstance(record, URGENT):
                    self.records.emit(buffer)
                    buffer, last = [], now
            if buffer:
                self.records.emit(buffer)
        except Exception as exc:  # a CUDA error or a bug: report it, keep the window alive
            self.failed.emit(failure_message(exc))
        finally:
            self.done.emit()


class JobRunner(QObject):
    records = Signal(list)   # batches of a generator job's records, on the GUI thread
    failed = Signal(str)     # a job raised: the one-line message for the banner
    finished = Signal()      # the job's thread has ended and been joined

    def __init__(self, parent: QObject | None = None, one_thread: bool = False) -> None:
        """one_thread: the jobs compute on one core (a view's pictures), leaving the others to training
        (see engine/train/threads.py)."""
        super().__init__(parent)
        self._one_thread = one_thread
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._on_result: Callable[[Any], None] | None = None
        self._on_error: Callable[[str], None] | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def run(self, job: Callable[[], Iterator]) -> bool:
        """Start a generator job; False (and nothing started) when a job is running."""
        return self._start(job, None, None)

    def call(self, fn: Callable[[], Any], on_result: Callable[[Any], None],
             on_error: Callable[[str], None]) -> bool:
        """Run fn() on the worker thread and hand its result (or error message) to a callback."""
        def job() -> Iterator:
            yield _Result(fn())
        return self._start(job, on_result, on_error)

    def _start(self, job: Callable[[], Iterator], on_result, on_error) -> bool:
        if self._thread is not None:
            return False
        self._on_result, self._on_error = on_result, on_error
        thread, worker = QThread(), _Worker(job, self._one_thread)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.records.connect(self._forward)
        worker.failed.connect(self._fail)
        worker.done.connect(thread.quit)
        thread.finished.connect(self._cleanup)
        self._thread, self._worker = thread, worker
        thread.start()
        return True

    @Slot(list)
    def _forward(self, records: list) -> None:
        if self._on_result is not None:
            for record in records:
                if isinstance(record, _Result):
                    self._on_result(record.value)
            return
        self.records.emit(records)

    @Slot(str)
    def _fail(self, message: str) -> None:
        if self._on_error is not None:
            self._on_error(message)
        else:
            self.failed.emit(message)

    @Slot()
    def _cleanup(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None:
            return
        # a finished signal still queued from a thread that shutdown() already joined must not wait on the
        # job started after it (that job's quit is queued behind this very slot: the GUI thread would hang)
        sender = self.sender()
        if sender is not None and sender is not thread:
            return
        thread.wait()
        self._thread = self._worker = None
        self._on_result = self._on_error = None
        worker.deleteLater()
        thread.deleteLater()
        self.finished.emit()

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Join the job's thread (GUI thread only); False when it still runs after timeout_ms (None: wait)."""
        thread = self._thread
        if thread is None:
            return True
        thread.quit()
        if not (thread.wait() if timeout_ms is None else thread.wait(timeout_ms)):
            return False
        self._cleanup()
        return True
