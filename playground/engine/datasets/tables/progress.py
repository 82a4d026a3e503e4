"""Progress and cancelling for reading a large table, without Qt.

A job that reads a table runs inside `watching(watch)` on its own thread; the table code calls `step()` at
each column it types, fits or encodes. `step()` records the phase and how far it is in the `Watch` (which
the window polls) and raises `Cancelled` once the watch was cancelled, so a cancelled load stops at the
next column and changes nothing. Outside `watching`, `step()` does nothing.

The read itself (one polars call) cannot be interrupted: a cancel during it takes effect when it returns.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from playground.engine.errors import PlaygroundError

_local = threading.local()


class Cancelled(PlaygroundError):
    """The user cancelled reading a table; nothing was changed."""


class Watch:
    """What a table job is doing now (written by the job's thread, read by the window) and a cancel flag."""

    def __init__(self) -> None:
        self.phase = "starting"
        self.done = 0
        self.total = 0           # 0: a phase without steps (the read): the window shows a busy bar
        self.started = time.monotonic()
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def text(self) -> str:
        part = f" {self.done:,}/{self.total:,}" if self.total else "…"
        return f"{self.phase}{part} ({self.seconds:.0f} s)"


@contextmanager
def watching(watch: Watch | None) -> Iterator[Watch | None]:
    """Report this thread's table steps to `watch` (None: report nothing)."""
    before = getattr(_local, "watch", None)
    _local.watch = watch
    try:
        yield watch
    finally:
        _local.watch = before


def step(phase: str, done: int = 0, total: int = 0) -> None:
    """One column (or a phase) reached; raises Cancelled when the watching job was cancelled."""
    watch = getattr(_local, "watch", None)
    if watch is None:
        return
    if watch.cancelled:
        raise Cancelled("cancelled: nothing was changed")
    watch.phase, watch.done, watch.total = phase, done, total


def watched(job: Callable[[], Iterator], watch: Watch) -> Callable[[], Iterator]:
    """A generator job run inside `watching(watch)` (the body runs on the job's thread); a cancel ends it
    with a Status line, not a failure."""
    from playground.engine.train.records import Status

    def run() -> Iterator:
        with watching(watch):
            try:
                yield from job()
            except Cancelled:
                yield Status("Loading cancelled: nothing was changed.")
    return run
