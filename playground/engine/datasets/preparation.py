"""How far a long dataset preparation has got (generating the built-in digits, ...), for a progress bar.

The preparation runs inside a job's worker thread as one blocking call, so it cannot yield records while it
works; it counts into the one `PREPARATION` tracker instead, and the window reads a snapshot a few times a
second. The estimate is measured as it goes (items done per second so far), never a fixed promise.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator


@dataclass(frozen=True)
class Preparation:
    what: str          # "generating the built-in digits"
    done: int
    total: int
    elapsed: float     # seconds since it began

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total > 0 else 0.0

    @property
    def eta_seconds(self) -> float | None:
        """Seconds left at the rate measured so far; None until there is a rate to measure."""
        if self.done <= 0 or self.elapsed < 0.5:
            return None
        return max(0.0, (self.total - self.done) * self.elapsed / self.done)

    def text(self) -> str:
        eta = self.eta_seconds
        left = "estimating the time left" if eta is None else f"about {_clock(eta)} left"
        return f"{self.what}: {self.done:,} of {self.total:,} ({self.fraction:.0%}) · {left}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes}:{secs:02d}"


class PreparationTracker:
    """Thread-safe: the worker counts, the GUI thread reads snapshots."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._what: str | None = None
        self._done = self._total = 0
        self._started = 0.0

    @contextmanager
    def task(self, what: str, total: int) -> Iterator[None]:
        """Track one preparation of `total` items (nested or concurrent ones add up into the first)."""
        with self._lock:
            outer = self._what is not None
            if outer:
                self._total += total
            else:
                self._what, self._done, self._total, self._started = what, 0, total, time.monotonic()
        try:
            yield
        finally:
            if not outer:
                with self._lock:
                    self._what = None

    def advance(self, n: int) -> None:
        with self._lock:
            if self._what is not None:
                self._done += n

    def snapshot(self) -> Preparation | None:
        """The preparation under way, or None."""
        with self._lock:
            if self._what is None:
                return None
            return Preparation(self._what, self._done, self._total, time.monotonic() - self._started)


PREPARATION = PreparationTracker()
