"""Which threads run multi-threaded torch compute: only the ones that train, and they only while that pays.

On Linux torch computes with GNU OpenMP, which gives every thread that runs a parallel op a pool of helper
threads of its own, kept for that thread's life. Once the process holds more OpenMP threads than there
are cores, libgomp makes every pool sleep at once after each parallel region instead of spinning a moment,
and each of the training thread's many small ops then pays for waking its helpers. One copy of a first
layer's weights or one 16-row forward pass on the GUI thread was enough to make the window's epochs about
40 % slower than headless on a 2-core machine (bench/window_speed.py, issue 13).

So the GUI thread and the threads that draw the views' pictures compute on one thread each, and the
training thread keeps the machine's cores. The OpenMP thread count is a per-thread setting; torch's own
`set_num_threads` would change it (and MKL's) for every thread, so this sets only the calling thread's.
`StepThreads` makes the same per-thread choice for a training thread, by measuring its steps.
"""
from __future__ import annotations

import ctypes
import statistics
import sys
import threading
import time
from typing import Callable

import torch

_SETTER: Callable[[int], None] | None | bool = False   # False: not looked up yet


def _omp_set_num_threads() -> Callable[[int], None] | None:
    """The OpenMP runtime's own setter, from the library torch loaded (None where there is none to find,
    e.g. a torch built without OpenMP, or Windows, where ctypes cannot search the loaded libraries)."""
    global _SETTER
    if _SETTER is False:
        setter = None
        if sys.platform != "win32" and "OpenMP" in torch.__config__.parallel_info():
            try:
                setter = ctypes.CDLL(None).omp_set_num_threads
                setter.argtypes, setter.restype = [ctypes.c_int], None
            except (AttributeError, OSError):
                setter = None
        _SETTER = setter
    return _SETTER


_TRAINING_THREADS = 0   # the count a thread had before compute_on_one_thread made it one


def compute_on_one_thread() -> bool:
    """Make the calling thread's torch ops single-threaded, leaving every other thread's setting alone.

    Returns whether it took effect (torch then reports one thread on this thread). Call it on a thread
    before its first heavy op: a thread that already ran a parallel op keeps its helper pool."""
    global _TRAINING_THREADS
    # torch's per-thread lazy set-up, which would otherwise undo this later; also what training threads get
    _TRAINING_THREADS = max(_TRAINING_THREADS, torch.get_num_threads())
    setter = _omp_set_num_threads()
    if setter is None:
        return False
    setter(1)
    return torch.get_num_threads() == 1


def training_threads() -> int:
    """How many threads a training thread computes with (at most: see StepThreads), asked from any thread,
    including one that compute_on_one_thread made single-threaded."""
    return max(_TRAINING_THREADS, torch.get_num_threads())


_BUSY_SINCE: list[float] = []   # when a training thread last found one thread clearly faster (any Trainer)


class StepThreads:
    """How many threads a training thread's steps use: all of torch's, or one when measuring shows that
    they wait on each other, which happens when other programs keep the cores busy.

    With libgomp, a parallel region ends at a barrier where each thread waits (spinning, then asleep) for
    the others; when another process holds a core, one of ours is descheduled and every op waits for it.
    Measured on 2 cores beside another torch process: 390 ms per step of the default network with two
    threads, 10 ms with one. On a quiet machine two threads are about 1.6 times faster. So the first steps
    try one thread and then all, and again every `reprobe_s` seconds; one thread is chosen only when it is
    clearly faster (`switch_ratio`). A quiet machine so runs every same-seed run through the same thread
    counts (and the same numbers); a run started soon after another found the machine busy skips the
    slow half of the probe.
    """

    def __init__(self, enabled: bool = True, probe_steps: int = 6, reprobe_s: float = 20.0,
                 switch_ratio: float = 1.5, clock: Callable[[], float] = time.perf_counter,
                 setter: Callable[[int], None] | None = None, busy_since: list[float] | None = None) -> None:
        self._setter = setter if setter is not None else (_omp_set_num_threads() if enabled else None)
        self.enabled = enabled and self._setter is not None
        self.probe_steps, self.reprobe_s, self.switch_ratio = probe_steps, reprobe_s, switch_ratio
        self._clock = clock
        self._busy_since = _BUSY_SINCE if busy_since is None else busy_since
        self.many = 0                    # the training thread's own count, read on its first step
        self.chosen = 0                  # 0 until the first probe ends
        self._thread: int | None = None  # the thread whose setting `_current` describes
        self._current = 0
        self._plan: list[tuple[int, bool]] = []   # (threads, timed) of the probe's steps still to take
        self._times: dict[int, list[float]] = {}
        self._next_probe = 0.0
        self._started = 0.0

    def before_step(self) -> None:
        if not self.enabled:
            return
        if threading.get_ident() != self._thread:   # a new job's thread starts from torch's default
            self._thread, self._current = threading.get_ident(), torch.get_num_threads()
            if not self.many:
                self.many = self._current
                if self.many <= 1:
                    self.enabled = False
                    return
        now = self._clock()
        if not self._plan and now >= self._next_probe:
            if self._busy_since and now - self._busy_since[-1] < self.reprobe_s and not self.chosen:
                self._decide(1, now)        # another run just found the machine busy
            else:
                # the first step of each setting pays one-off costs (kernels, a new thread pool): not timed
                self._plan = [(k, t) for k in (1, self.many) for t in [False] + [True] * self.probe_steps]
                self._times = {self.many: [], 1: []}
        wanted = self._plan[0][0] if self._plan else self.chosen
        if wanted != self._current:
            self._setter(wanted)
            self._current = wanted
        self._started = self._clock()

    def after_step(self) -> None:
        if not self.enabled or not self._plan:
            return
        setting, timed = self._plan.pop(0)
        if timed:
            self._times[setting].append(self._clock() - self._started)
        one, many = self._times[1], self._times[self.many]
        if len(many) >= 3 and min(many) > self.switch_ratio * statistics.median(one):
            self._decide(1, self._clock())   # clearly slower already: no need for the rest of the slow steps
        elif not self._plan:
            self._decide(1 if statistics.median(many) > self.switch_ratio * statistics.median(one) else self.many,
                         self._clock())

    def _decide(self, threads: int, now: float) -> None:
        self._plan = []
        self.chosen = threads
        self._next_probe = now + self.reprobe_s
        if threads == 1:
            self._busy_since.append(now)
            del self._busy_since[:-1]

    def change_note(self, before: int) -> str:
        """What to tell the user about a change of the thread count from `before` ('' when it is news to
        no one: the first verdict on a quiet machine)."""
        if self.chosen == 1 < self.many:
            return (f"The CPU is busy with another program: training on 1 thread, which is faster now than "
                    f"{self.many} waiting on each other (checked again every {self.reprobe_s:.0f} s).")
        if before == 1 and self.chosen > 1:
            return f"Training on all {self.chosen} CPU threads again."
        return ""

    def restore(self) -> None:
        """Give the training thread back its own count (a run ended, perhaps mid-probe); from its thread only."""
        if self.enabled and self._thread == threading.get_ident() and self._current != self.many:
            self._setter(self.many)
            self._current = self.many
