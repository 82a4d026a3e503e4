"""Run one short engine call in a worker thread and get its result back on the GUI thread."""
from __future__ import annotations

from typing import Any, Callable

import torch
from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..engine.errors import PlaygroundError


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


class _Call(QObject):
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self._fn = fn

    @Slot()
    def run(self) -> None:
        try:
            result = self._fn()
        except Exception as exc:  # report, never crash the window
            self.failed.emit(failure_message(exc))
        else:
            self.finished.emit(result)


class BackgroundCall(QObject):
    """One call at a time; the thread is joined when the call ends or on shutdown()."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._call: _Call | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, fn: Callable[[], Any], on_result: Callable[[Any], None],
              on_error: Callable[[str], None]) -> bool:
        if self._thread is not None:
            return False
        thread, call = QThread(), _Call(fn)
        call.moveToThread(thread)
        thread.started.connect(call.run)
        call.finished.connect(on_result)
        call.failed.connect(on_error)
        call.finished.connect(thread.quit)
        call.failed.connect(thread.quit)
        thread.finished.connect(self._cleanup)
        self._thread, self._call = thread, call
        thread.start()
        return True

    @Slot()
    def _cleanup(self) -> None:
        if self._thread is None:
            return
        self._thread.wait()
        self._call.deleteLater()
        self._thread.deleteLater()
        self._thread = self._call = None

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Join the call's thread; False when it is still running after timeout_ms (None: wait for it)."""
        if self._thread is None:
            return True
        self._thread.quit()
        if not (self._thread.wait() if timeout_ms is None else self._thread.wait(timeout_ms)):
            return False
        self._cleanup()
        return True
