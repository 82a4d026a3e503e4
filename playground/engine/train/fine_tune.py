"""Fine-tuning a digit model on my digits: a short run that mixes them with the model's own dataset.

The run trains a copy of the model, so predictions made meanwhile (the Draw tab) use the old weights; at
the end the tuned weights are copied into the model under its weights lock. Each batch is half my digits
(randomly shifted, rotated and rescaled, so a few drawings teach a style rather than exact pixels) and
half the model's own training images, so that it learns the new handwriting without forgetting the old.
"""
from __future__ import annotations

import copy
import math
import threading
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from playground.engine.datasets.base import Dataset, to_features
from playground.engine.datasets.my_digits import CLASS_NAMES, check_teachable
from playground.engine.errors import PlaygroundError
from playground.engine.train.threads import StepThreads
from playground.engine.train.training import evaluate_model, loss_function

REPLAY_TEST_SIZE = 2000     # test images of the model's own dataset on which forgetting is measured
PROGRESS_EVERY = 10


@dataclass(frozen=True)
class FineTuneSettings:
    steps: int = 300
    mine_per_batch: int = 32
    replay_per_batch: int = 32
    lr: float = 5e-4
    rotate_degrees: float = 12.0
    scale: float = 0.12          # +- fraction
    shift_pixels: float = 2.0
    seed: int = 0


@dataclass(frozen=True)
class FineTuneStart:
    steps: int
    drawings: int
    replay_name: str | None        # the dataset mixed in, None when there is none
    mine_accuracy: float           # on the taught drawings, before tuning
    replay_accuracy: float | None  # on the mixed-in dataset's test sample, before tuning


@dataclass(frozen=True)
class FineTuneProgress:
    step: int
    steps: int
    loss: float

    @property
    def fraction(self) -> float:
        return self.step / max(self.steps, 1)


@dataclass(frozen=True)
class FineTuneEnd:
    status: str                    # "finished" or "stopped"
    steps: int
    mine_before: float
    mine_after: float
    replay_name: str | None
    replay_before: float | None
    replay_after: float | None

    @property
    def message(self) -> str:
        if self.status != "finished":
            return f"fine-tuning stopped after {self.steps} steps; the model keeps its earlier weights"
        text = f"fine-tuned in {self.steps} steps: your taught drawings read right {self.mine_before:.0%} → " \
               f"{self.mine_after:.0%}"
        if self.replay_name is not None:
            text += f"; {self.replay_name} test sample {self.replay_before:.1%} → {self.replay_after:.1%}"
        return text


def check_digit_model(n_inputs: int, class_names: list[str], kind: str) -> None:
    if kind != "image" or n_inputs != 28 * 28 or list(class_names) != CLASS_NAMES:
        raise PlaygroundError("fine-tuning on my digits needs a digit model (28x28 images, classes 0-9): train "
                              "on the built-in digits or MNIST first")


def jitter(images: torch.Tensor, settings: FineTuneSettings, generator: torch.Generator) -> torch.Tensor:
    """(N, 28, 28) floats in [0, 1] -> the same, each randomly rotated, rescaled and shifted."""
    n, h, w = images.shape
    angle = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(settings.rotate_degrees)
    scale = 1 + (torch.rand(n, generator=generator) * 2 - 1) * settings.scale
    shift = (torch.rand(n, 2, generator=generator) * 2 - 1) * settings.shift_pixels * 2 / w
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, (n, 1, h, w), align_corners=False)
    return F.grid_sample(images[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)[:, 0]


def _features(images01: torch.Tensor, device: torch.device) -> torch.Tensor:
    return to_features((images01.clamp(0, 1) * 255).round().to(torch.uint8), device).flatten(1)


def _accuracy(model: nn.Sequential, loss_fn, x: torch.Tensor, y: torch.Tensor) -> float:
    return evaluate_model(model, loss_fn, x, y).accuracy


def fine_tune(model: nn.Sequential, images: np.ndarray, labels: np.ndarray, base: Dataset | None = None,
              lock: threading.Lock | None = None, settings: FineTuneSettings = FineTuneSettings(),
              loss: str = "cross-entropy", stop: threading.Event | None = None,
              on_swap: Callable[[], None] | None = None) -> Iterator:
    """Fine-tune `model` on my digits (uint8 (N, 28, 28) and labels), mixed with `base`'s training split.

    Yields one FineTuneStart, FineTuneProgress records and one FineTuneEnd; `model` gets the tuned weights
    (under `lock`, followed by `on_swap()` under the same lock, e.g. to bump a weights version) only when
    the run finishes.
    """
    check_teachable(np.asarray(labels))
    device = next(model.parameters()).device
    loss_fn = loss_function(loss)
    generator = torch.Generator().manual_seed(settings.seed)
    mine_x = torch.as_tensor(images).float() / 255.0
    mine_y = torch.as_tensor(labels, dtype=torch.long)
    mine_features, mine_labels = _features(mine_x, device), mine_y.to(device)
    replay = base if base is not None and base.has_train and len(base.train_y) > 0 else None
    if replay is not None:
        pick = torch.randperm(len(replay.test_y), generator=generator)[:REPLAY_TEST_SIZE]
        replay_test = (to_features(replay.test_x[pick], device).flatten(1), replay.test_y[pick].to(device))
    with lock or nullcontext():
        tuned = copy.deepcopy(model)
    mine_before = _accuracy(tuned, loss_fn, mine_features, mine_labels)
    replay_before = _accuracy(tuned, loss_fn, *replay_test) if replay is not None else None
    yield FineTuneStart(settings.steps, len(mine_y), replay.name if replay else None, mine_before, replay_before)

    optimizer = torch.optim.Adam(tuned.parameters(), lr=settings.lr)
    tuned.train()
    done = 0
    threads = StepThreads(enabled=device.type == "cpu")   # one thread when a busy CPU makes threads wait
    try:
        for step in range(1, settings.steps + 1):
            if stop is not None and stop.is_set():
                break
            pick = torch.randint(len(mine_y), (settings.mine_per_batch,), generator=generator)
            x = _features(jitter(mine_x[pick], settings, generator), device)
            y = mine_y[pick].to(device)
            if replay is not None:
                other = torch.randint(len(replay.train_y), (settings.replay_per_batch,), generator=generator)
                x = torch.cat([x, to_features(replay.train_x[other], device).flatten(1)])
                y = torch.cat([y, replay.train_y[other].to(device)])
            threads.before_step()
            batch_loss = loss_fn(tuned(x), y)
            optimizer.zero_grad(set_to_none=True)
            batch_loss.backward()
            optimizer.step()
            threads.after_step()
            done = step
            if step % PROGRESS_EVERY == 0 or step == settings.steps:
                yield FineTuneProgress(step, settings.steps, float(batch_loss.detach()))
    finally:
        threads.restore()
    tuned.eval()
    mine_after = _accuracy(tuned, loss_fn, mine_features, mine_labels)
    replay_after = _accuracy(tuned, loss_fn, *replay_test) if replay is not None else None
    finished = done == settings.steps
    if finished:
        with lock or nullcontext():
            model.load_state_dict(tuned.state_dict())
            if on_swap is not None:
                on_swap()
    yield FineTuneEnd("finished" if finished else "stopped", done, mine_before, mine_after,
                      replay.name if replay else None, replay_before, replay_after)
