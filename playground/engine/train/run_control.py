"""Requests to a training loop from another thread (pause, stop, a new learning rate or epoch count),
read by the loop between steps: a signal sent to a busy worker would never arrive, an Event does."""
from __future__ import annotations

import threading


class RunControl:
    """Requests from another thread, read by the loop between steps."""

    def __init__(self) -> None:
        self.stop_requested = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._holding = threading.Event()    # the loop is waiting in wait_while_paused: no step runs now
        self._lr: float | None = None
        self._epochs: int | None = None
        self._lock = threading.Lock()

    def stop(self) -> None:
        self.stop_requested.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def set_lr(self, lr: float) -> None:
        with self._lock:
            self._lr = lr

    def take_lr(self) -> float | None:
        with self._lock:
            lr, self._lr = self._lr, None
            return lr

    def set_epochs(self, epochs: int) -> None:
        with self._lock:
            self._epochs = epochs

    def take_epochs(self) -> int | None:
        with self._lock:
            epochs, self._epochs = self._epochs, None
            return epochs

    @property
    def holding(self) -> bool:
        """The loop has seen the pause and is waiting: no step runs until resume or stop."""
        return self._holding.is_set()

    def wait_while_paused(self) -> None:
        if self._running.is_set():
            return
        self._holding.set()
        try:
            while not self._running.wait(0.1):
                pass
        finally:
            self._holding.clear()
