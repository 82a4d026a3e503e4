"""The built-in digits: generated pen-stroke digits mixed with real people's pen digits, made chunk by chunk.

A split is PEN_SHARE real pen digits (UNIPEN, `pen_digits`: each drawn several times with stroke-level
augmentation) and the rest generated digits (`synthetic_digits.generate`), shuffled together. Real pen
digits bring the styles the templates lack (curled 9s, crossed and hooked 7s, narrow 3s, open 4s, flagged
and based 1s, from hundreds of writers); the generated ones bring the variety of pens and sizes. The
training split draws only the training writers' digits, the test split only the others
(`pen_digits.split`), so the test figure is on writers the model never saw.

`preparing` makes both splits and yields a `Preparing` record after every chunk: how many digits are done,
of how many, and a measured estimate of the time left, for the status line and a progress bar.
"""
from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import Iterator

import torch

from playground.engine.datasets.preparation import PREPARATION
from playground.engine.drawing.preprocess import to_uint8
from playground.engine.train.threads import StepThreads

# Measured with bench/pen_accuracy.py --unipen (the model never trained on the 3 measured sites; 1,494 of
# their digits; CLI defaults, seed 0, one run each, on a loaded machine): a share of 0.4 read them at 0.950
# (sparse 100 ms replays: 0.715; real MNIST 0.958), 0.6 at 0.965 (0.758; 0.967), 0.8 at 0.968 (0.774;
# 0.964). Generation with 120,000 generated digits only (before): 0.941 and real MNIST 0.947.
PEN_SHARE = 0.8
CHUNK = 512            # pen digits rendered at a time: 512 renders ~2.5x faster per digit than 2048 (the
                       # temporaries stay in the CPU caches; measured 0.049 against 0.125-0.159 ms on 2 threads)
FIRST_CHUNK = 4096     # the training split's first chunk: training may start on it
LATER_CHUNK = 16384


@dataclass(frozen=True)
class Preparing:
    """Progress of making the built-in digits (a record: the window's status line and progress bar)."""
    done: int
    total: int
    seconds_left: float | None    # measured from the chunks so far; None before the first one

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    @property
    def status_line(self) -> str:
        """The status bar's text (records.with_status adds it as a Status record)."""
        return self.text()

    def text(self) -> str:
        left = "" if self.seconds_left is None else f", about {self.seconds_left:.0f} s left"
        return (f"preparing the built-in digits (once, then cached): {self.done:,} of {self.total:,} "
                f"({100 * self.fraction:.0f} %){left}")


def pen_order(pen, n: int, g: torch.Generator) -> torch.Tensor:
    """Which pen digit each of n renderings draws: every digit about equally often, in random order."""
    repeats = -(-n // len(pen))
    return torch.cat([torch.randperm(len(pen), generator=g) for _ in range(repeats)])[:n]


def render_pen(pen, pick: torch.Tensor, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    from playground.engine.datasets import pen_digits

    pick = pick[torch.argsort(pen.valid[pick].sum(1), stable=True)]   # similar lengths render together
    images, labels = [], []
    threads = StepThreads()   # chosen by measuring, as synthetic_digits.generate does
    try:
        for s in range(0, len(pick), CHUNK):
            part = pen_digits.trimmed(pen.subset(pick[s:s + CHUNK]))
            threads.before_step()
            images.append(to_uint8(pen_digits.render(part, g)))
            threads.after_step()
            labels.append(part.labels)
    finally:
        threads.restore()
    return torch.cat(images), torch.cat(labels)


def chunk_sizes(n: int) -> list[int]:
    """A small first chunk (training can start on it) and then larger ones (cheaper per digit)."""
    sizes, done = [], 0
    while done < n:
        sizes.append(min(FIRST_CHUNK if not sizes else LATER_CHUNK, n - done))
        done += sizes[-1]
    return sizes


def _chunks(n: int, seed: int, pen) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
    """The digits of a split in chunks that are each a random sample of the whole: PEN_SHARE of every chunk
    rendered from `pen` (training may walk through the chunks in order as its first, shuffled epoch)."""
    from playground.engine.datasets import synthetic_digits

    g = torch.Generator().manual_seed(seed + 7919)
    use_pen = pen is not None and len(pen) > 0
    picks = pen_order(pen, round(n * PEN_SHARE), g) if use_pen else torch.zeros(0, dtype=torch.long)
    used = 0
    for k, size in enumerate(chunk_sizes(n)):
        n_pen = min(round(size * PEN_SHARE), len(picks) - used) if use_pen else 0
        x, y = synthetic_digits.generate(size - n_pen, seed * 1000 + k)
        if n_pen:
            px, py = render_pen(pen, picks[used:used + n_pen], g)
            PREPARATION.advance(n_pen)          # generate() counts its own digits
            used += n_pen
            x, y = torch.cat([x, px]), torch.cat([y, py])
        order = torch.randperm(size, generator=g)
        yield x[order], y[order].long()


def make_split(n: int, seed: int, pen) -> tuple[torch.Tensor, torch.Tensor]:
    """n digits (uint8 n x 28 x 28) and labels (int64), without progress."""
    chunks = list(_chunks(n, seed, pen))
    return torch.cat([c[0] for c in chunks]), torch.cat([c[1] for c in chunks])


class _Clock:
    """Counts the digits made and measures the time left from the rate so far. It also holds the window's
    preparation tracker (preparation.PREPARATION) open until the last digit is made, however many jobs
    and training steps that spans (generated digits count into it as they are made)."""

    def __init__(self, total: int) -> None:
        from playground.engine.datasets.synthetic_digits import PREPARING

        self.total, self.done, self.start = total, 0, time.perf_counter()
        self._tracked = contextlib.ExitStack()
        self._tracked.enter_context(PREPARATION.task(PREPARING, total))

    def add(self, count: int) -> Preparing:
        self.done += count
        if self.done >= self.total:
            self._tracked.close()
        rate = self.done / max(time.perf_counter() - self.start, 1e-9)
        return Preparing(self.done, self.total, (self.total - self.done) / rate)

    def __del__(self) -> None:   # a preparation abandoned half-way (an error) never stays "preparing"
        self._tracked.close()


class TrainingFill:
    """The training split, made chunk by chunk into tensors allocated up front, so that training can start
    on the first chunk (see Trainer.stream_from). `next()` makes one more chunk: (start, images, labels)
    and its Preparing record, or None when the split is complete."""

    def __init__(self, n: int, seed: int, pen, clock: _Clock) -> None:
        self.x = torch.zeros(n, 28, 28, dtype=torch.uint8)
        self.y = torch.zeros(n, dtype=torch.int64)
        self.ready = 0
        self._chunks = _chunks(n, seed, pen)
        self._clock = clock

    @property
    def complete(self) -> bool:
        return self.ready == len(self.y)

    def next(self) -> tuple[int, torch.Tensor, torch.Tensor, Preparing] | None:
        if self.complete:
            return None
        x, y = next(self._chunks)
        start = self.ready
        self.x[start:start + len(y)], self.y[start:start + len(y)] = x, y
        self.ready += len(y)
        return start, x, y, self._clock.add(len(y))


def preparing(n_train: int, n_test: int, seed: int, need_train: bool = True, stream: bool = False
              ) -> Iterator[Preparing]:
    """Make the test split, then the training split, yielding progress after every chunk. The generator's
    value is (train_x, train_y, test_x, test_y) (train None without need_train): `tensors = yield from
    preparing(...)`; with `stream`, it is (fill, test_x, test_y) once the test split and the training
    split's first chunk are made, and fill.next() makes the rest."""
    from playground.engine.datasets import pen_digits

    pen_train, pen_test = pen_digits.split(pen_digits.load_pen_set())
    clock = _Clock(n_test + (n_train if need_train else 0))
    yield Preparing(0, clock.total, None)
    test_x, test_y = [], []
    for x, y in _chunks(n_test, seed * 2 + 1, pen_test):    # the test split first: it is small
        test_x.append(x)
        test_y.append(y)
        yield clock.add(len(y))
    test_x, test_y = torch.cat(test_x), torch.cat(test_y)
    if not need_train:
        return None, None, test_x, test_y
    fill = TrainingFill(n_train, seed * 2, pen_train, clock)
    while (made := fill.next()) is not None:
        yield made[3]
        if stream:
            return fill, test_x, test_y
    return fill.x, fill.y, test_x, test_y
