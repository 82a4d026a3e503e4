"""Paying the first Train's one-off costs at launch, in a background thread.

The first optimizer step imports torch.optim's lazy parts and torch._dynamo (about 1.7 s on a 2-core
machine), and the first augmented batch sets up its kernels; doing that while the user is still looking
at the window makes the first click fast.
"""
from __future__ import annotations

import threading
import time

_done = threading.Event()


def warm_up() -> float:
    """Import and run once what the first training step needs; returns the seconds it took."""
    start = time.perf_counter()
    import torch
    import torch._dynamo  # noqa: F401  (imported lazily by the first optimizer step otherwise)
    import torch.nn.functional as F
    from torch import nn

    from playground.engine.train.augment import augment_batch
    from playground.engine.datasets import builtin_digits  # noqa: F401  (the default dataset's module)
    from playground.engine.registry import OPTIMIZERS

    augment_batch(torch.zeros(4, 28, 28), torch.Generator().manual_seed(0))   # first-call kernel set-up
    try:   # the real pen digits that the built-in digits are made with the first time (read once, ~1 s)
        from playground.engine.datasets.pen_digits import load_pen_set
        load_pen_set()
    except Exception:   # a damaged install says so when the digits are made, not here
        pass

    model = nn.Linear(4, 2)
    x, y = torch.zeros(8, 4), torch.zeros(8, dtype=torch.long)
    for entry in OPTIMIZERS.values():
        optimizer = entry.make([{"params": list(model.parameters())}], 1e-3, 0.9)
        optimizer.zero_grad(set_to_none=True)
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    _done.set()
    return time.perf_counter() - start


def start_warm_up() -> threading.Thread:
    """Run `warm_up` in a daemon thread (it never holds up the window or the exit)."""
    thread = threading.Thread(target=warm_up, name="mlp-playground-warm-up", daemon=True)
    thread.start()
    return thread


def is_warm() -> bool:
    return _done.is_set()
