"""The one QThread job runner: runs an engine generator (or a single call) on a worker thread.

One job at a time. A generator job's records are sent to the GUI thread in batches, at most ~15 times a
second (each batch wakes the GUI thread), and at once for the records that change what the window shows
(the start and the end of a run). A call job's result goes to its callback on the GUI thread. Stopping a
busy job is the engine's business (RunControl); `shutdown` only joins the thread.

Thread lifetimes: every QThread is named after its runner and is a child of the one `ThreadKeeper` (itself a
child of the application), never of a window, so no window can destroy a running thread. A job that does not
end within a shutdown's timeout (a dataset being generated cannot be interrupted half-way) is let go: its
records no longer reach anyone, and the keeper deletes its thread when it ends. Before the process exits the
keeper joins whatever still runs.
"""
from __future__ import annotations

import atexit
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterator

import torch
from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

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


class ThreadKeeper(QObject):
    """Owns every job thread until it has ended, whatever happens to the runner or window that started it."""
    _instance: ThreadKeeper | None = None

    def __init__(self) -> None:
        super().__init__(QCoreApplication.instance())
        self.setObjectName("threadKeeper")
        self._kept: dict[QThread, _Worker] = {}
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.join_all)

    @classmethod
    def instance(cls) -> ThreadKeeper:
        if cls._instance is None:
            cls._instance = cls()
            atexit.register(cls._instance.join_all)   # pytest and scripts end without aboutToQuit
        return cls._instance

    def new_thread(self, name: str, worker: _Worker) -> QThread:
        thread = QThread(self)
        thread.setObjectName(name)
        self._kept[thread] = worker
        thread.finished.connect(self._release)     # queued: runs on the GUI thread, after the thread ended
        return thread

    def running(self) -> list[str]:
        """The names of the threads still running (for tests and the exit)."""
        return [t.objectName() for t in self._kept if t.isRunning()]

    @Slot()
    def _release(self) -> None:
        thread = self.sender()
        worker = self._kept.pop(thread, None)
        if worker is None:
            return
        thread.wait()
        worker.deleteLater()
        thread.deleteLater()

    def join_all(self) -> None:
        """Wait for every job thread to end (at exit: a QThread must never be destroyed while it runs)."""
        for thread in list(self._kept):
            try:
                thread.quit()
                thread.wait()
            except RuntimeError:      # its C++ object is already gone
                pass


class JobRunner(QObject):
    records = Signal(list)   # batches of a generator job's records, on the GUI thread
    failed = Signal(str)     # a job raised: the one-line message for the banner
    finished = Signal()      # the job's thread has ended and been joined

    def __init__(self, parent: QObject | None = None, one_thread: bool = False, name: str = "job") -> None:
        """one_thread: the jobs compute on one core (a view's pictures), leaving the others to training
        (see engine/train/threads.py); name: the threads' name, as a debugger or Qt's messages show it."""
        super().__init__(parent)
        self.name = name
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
        worker = _Worker(job, self._one_thread)
        thread = ThreadKeeper.instance().new_thread(self.name, worker)
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
        self.finished.emit()     # the keeper deletes the thread and the worker

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Join the job's thread (GUI thread only); None waits for as long as the job takes. A job still running
        after timeout_ms is let go (see `let_go`) and False returned: the runner is free at once either way."""
        thread = self._thread
        if thread is None:
            return True
        thread.quit()
        if thread.wait() if timeout_ms is None else thread.wait(timeout_ms):
            self._cleanup()
            return True
        self.let_go()
        return False

    def let_go(self) -> None:
        """Stop listening to the running job and forget it; the keeper deletes its thread when it ends."""
        worker = self._worker
        if worker is None:
            return
        for signal, slot in ((worker.records, self._forward), (worker.failed, self._fail)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass
        self._thread = self._worker = None
        self._on_result = self._on_error = None
        self.finished.emit()
