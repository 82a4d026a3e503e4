"""The built-in digits data set: generated and real pen digits (`digit_mix`), made once and cached.

`load` reads the cache or makes the set; `preparing` does the same as a generator of `digit_mix.Preparing`
records (the status line and progress bar), and for a fresh install's first Train can return as soon as the
test split and a first training chunk exist (the rest is made while training: Trainer.stream_from). The
cache is keyed by a fingerprint of the generator's code, templates and pen data, the seed, the sizes and
the pen sites left out (MLP_PLAYGROUND_PEN_LEAVE_OUT, for the benchmarks).
"""
from __future__ import annotations

import hashlib
import io
from pathlib import Path

import torch

from playground.engine.datasets import digit_mix
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.synthetic_digits import DATASET_SEED, GENERATOR_VERSION, N_TEST, N_TRAIN
from playground.engine.files import atomic_write_bytes, user_data_dir


def generator_fingerprint() -> str:
    """Changes whenever the generator's code or templates change, so a stale cache is never reused."""
    from playground.engine.drawing import preprocess, stroke_render
    from playground.engine import assets
    from playground.engine.datasets import digit_strokes, pen_digits, synthetic_digits
    h = hashlib.sha256(str(GENERATOR_VERSION).encode())
    for module in (digit_strokes, preprocess, stroke_render, digit_mix, pen_digits, synthetic_digits,
                   __import__(__name__, fromlist=["_"])):
        h.update(Path(module.__file__).read_bytes())
    h.update(hashlib.sha256(assets.read_bytes(pen_digits.RESOURCE)).digest())
    return h.hexdigest()[:12]


def cache_path(seed: int = DATASET_SEED, n_train: int = N_TRAIN, n_test: int = N_TEST) -> Path:
    return (user_data_dir() / "synthetic-digits" /
            f"{generator_fingerprint()}-seed{seed}-{n_train}-{n_test}{_left_out_suffix()}.pt")


def _left_out_suffix() -> str:
    from playground.engine.datasets.pen_digits import leave_out_sites
    return "".join(f"-without-{site}" for site in sorted(leave_out_sites()))


def _digest(tensors: list[torch.Tensor]) -> str:
    h = hashlib.sha256()
    for t in tensors:
        h.update(t.contiguous().numpy().tobytes())
    return h.hexdigest()


def _read_cache(path: Path, n_train: int, n_test: int) -> list[torch.Tensor] | None:
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
        tensors = [payload[k] for k in ("train_x", "train_y", "test_x", "test_y")]
        shapes_ok = (tuple(tensors[0].shape) == (n_train, 28, 28) and tuple(tensors[1].shape) == (n_train,)
                     and tuple(tensors[2].shape) == (n_test, 28, 28) and tuple(tensors[3].shape) == (n_test,))
        if (payload.get("version") != GENERATOR_VERSION or not shapes_ok
                or tensors[0].dtype != torch.uint8 or payload.get("digest") != _digest(tensors)):
            return None
        return tensors
    except Exception:  # any unreadable cache is simply rebuilt
        return None


def load(seed: int = DATASET_SEED, n_train: int = N_TRAIN, n_test: int = N_TEST,
         use_cache: bool = True, need_train: bool = True) -> Dataset:
    """The built-in digits (generated and real pen digits, see digit_mix), from the cache or made now."""
    steps = preparing(seed, n_train, n_test, use_cache, need_train)
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value


def preparing(seed: int = DATASET_SEED, n_train: int = N_TRAIN, n_test: int = N_TEST, use_cache: bool = True,
              need_train: bool = True, stream: bool = False):
    """Like load, but a generator: it yields digit_mix.Preparing records while the digits are made (none
    when they are cached) and returns the Dataset: `dataset = yield from preparing(...)`. With `stream`, an
    uncached set returns (dataset, fill) as soon as the test split and the first training chunk are made:
    the dataset's training tensors fill in place with every fill.next(), and the last one writes the cache."""
    path = cache_path(seed, n_train, n_test)
    tensors = _read_cache(path, n_train, n_test) if use_cache and path.exists() else None
    if tensors is None and not need_train:
        # the test split alone (the same digits as in the full set: each split has its own seed), uncached
        _, _, test_x, test_y = yield from digit_mix.preparing(n_train, n_test, seed, need_train=False)
        return _dataset(None, None, test_x, test_y)
    if tensors is not None:
        return _dataset(*tensors)
    made = yield from digit_mix.preparing(n_train, n_test, seed, stream=stream)
    if not stream:
        if use_cache:
            save_cache(path, list(made), seed)
        return _dataset(*made)
    fill, test_x, test_y = made
    dataset = _dataset(fill.x, fill.y, test_x, test_y)
    return dataset, CachedWhenComplete(fill, path if use_cache else None, [test_x, test_y], seed)


def streamed(seed: int = DATASET_SEED):
    """For a new run: `dataset, fill = yield from streamed(seed)`, yielding Preparing records while a set that
    is not cached yet gets its test split and first training chunk; fill (None when cached) makes the rest
    (Trainer.stream_from)."""
    made = yield from preparing(seed=seed, stream=True)
    return made if isinstance(made, tuple) else (made, None)


def _dataset(train_x, train_y, test_x, test_y) -> Dataset:
    return Dataset("synthetic-digits", "image", train_x, None if train_y is None else train_y.long(), test_x,
                   test_y.long(), [str(i) for i in range(10)])


class CachedWhenComplete:
    """A TrainingFill that writes the cache once its last chunk is made."""

    def __init__(self, fill, path: Path | None, test: list[torch.Tensor], seed: int) -> None:
        self.fill, self.path, self._test, self._seed = fill, path, test, seed

    @property
    def complete(self) -> bool:
        return self.fill.complete

    @property
    def ready(self) -> int:
        return self.fill.ready

    def next(self):
        made = self.fill.next()
        if made is not None and self.fill.complete and self.path is not None:
            save_cache(self.path, [self.fill.x, self.fill.y, *self._test], self._seed)
        return made


def save_cache(path: Path, tensors: list[torch.Tensor], seed: int) -> None:
    """Write (train_x, train_y, test_x, test_y) atomically and remove this seed's caches of older generators
    or other sizes (those with the same sites left out: the bench's set and the app's do not evict each other)."""
    buffer = io.BytesIO()
    torch.save({"version": GENERATOR_VERSION, "digest": _digest(tensors),
                **dict(zip(("train_x", "train_y", "test_x", "test_y"), tensors))}, buffer)
    try:
        atomic_write_bytes(path, buffer.getvalue())
        left_out = _left_out_suffix()
        for old in path.parent.glob(f"*-seed{seed}-*.pt"):
            if old != path and ("-without-" in old.name) == bool(left_out) and old.name.endswith(f"{left_out}.pt"):
                old.unlink(missing_ok=True)   # never read again
    except OSError:
        pass  # a read-only data folder only costs the next launch a regeneration
