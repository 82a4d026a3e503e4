"""The learning-rate range test (Leslie Smith's, as fastai's lr_find runs it).

A fresh copy of the configured network trains for about 100 batches while the learning rate grows
exponentially from tiny to huge. The loss first barely moves, then falls, then explodes. The suggestion is
where the smoothed loss falls fastest (the steepest descent on a log-lr axis); when the curve gives no
clear descent, the rate at the minimum divided by 10. It never touches a model being trained.
"""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

import numpy as np
import torch

from playground.engine.train.augment import augment_batch
from playground.engine.config import TrainConfig
from playground.engine.datasets import Dataset, load_dataset, to_features
from playground.engine.devices import resolve_device
from playground.engine.errors import PlaygroundError
from playground.engine.model import build_model, check_fits
from playground.engine.train.optim import loss_function, make_optimizer
from playground.engine.train.threads import StepThreads

START_LR = 1e-7
END_LR = 10.0
STEPS = 100
SMOOTHING = 0.98        # exponential moving average of the loss, bias-corrected (as fastai)
EXPLODE = 4.0           # stop once the smoothed loss is this many times its minimum
MIN_STEPS = 10          # never judge an explosion before this many steps
ADAPTIVE = ("adam", "rmsprop")   # optimizers that scale their own steps get the steepest descent
FLOOR = 0.25            # "still at its lowest": within this fraction of the drop above the minimum


@dataclass(frozen=True)
class LrFinding:
    lrs: list[float]                 # the learning rate of each step
    losses: list[float]              # the smoothed loss after each step
    raw_losses: list[float]          # each batch's own loss
    suggested_lr: float
    method: str                      # "steepest" or "minimum/10"
    explanation: str                 # one sentence for the learner
    stopped_early: bool = False      # the loss exploded before the last step
    extra: dict = field(default_factory=dict)

    def to_json_dict(self) -> dict:
        return {"suggested_lr": self.suggested_lr, "lrs": self.lrs, "losses": self.losses}


def lr_schedule(steps: int = STEPS, start: float = START_LR, end: float = END_LR) -> np.ndarray:
    """`steps` rates growing by the same factor each step, from start to end."""
    return start * (end / start) ** (np.arange(steps) / max(steps - 1, 1))


def smooth(losses: list[float], beta: float = SMOOTHING) -> list[float]:
    """Bias-corrected exponential moving average: a steadier curve than the noisy batch losses."""
    out, avg = [], 0.0
    for i, loss in enumerate(losses, 1):
        avg = beta * avg + (1 - beta) * loss
        out.append(avg / (1 - beta ** i))
    return out


def suggest(lrs: list[float], losses: list[float], optimizer: str = "adam") -> tuple[float, str, str]:
    """(rate, method, sentence) from a smoothed loss curve.

    Adam, RMSprop: the steepest descent, fastai's usual pick; they scale their own steps, so where the loss falls
    fastest is a rate that trains well. Plain SGD (and momentum) learn the easy part of a problem at small
    rates, so their steepest point undersells them: they get a tenth of the minimum, taken at the high end
    of the loss's floor (the largest rate still within FLOOR of the drop above the lowest loss).
    """
    if len(losses) < 3:
        raise PlaygroundError("the loss exploded within the first steps even at tiny learning rates; "
                              "check the network (init, output activation) before choosing a rate")
    loss = np.asarray(losses)
    log_lr = np.log10(np.asarray(lrs))
    best = int(np.argmin(loss))
    drop = float(loss[:best + 1].max() - loss[best])
    skip = len(loss) // 10            # the first smoothed points average only a few noisy batches
    if optimizer in ADAPTIVE and best > skip + 1 and drop > 0.05 * abs(float(loss[0])):
        slope = np.gradient(loss, log_lr)
        steepest = skip + int(np.argmin(slope[skip:best + 1]))
        lr = float(lrs[steepest])
        return lr, "steepest", (
            f"{lr:.2g} is where the smoothed loss fell fastest (the steepest descent), the usual pick for "
            f"{optimizer}, which scales its own steps; the loss was lowest near {lrs[best]:.2g} and climbed after.")
    floor = np.nonzero(loss[best:] <= loss[best] + FLOOR * drop)[0]
    top = best + int(floor.max()) if len(floor) else best
    lr = float(lrs[top]) / 10
    return lr, "minimum/10", (
        f"{lr:.2g} is a tenth of {lrs[top]:.2g}, the largest rate at which the loss was still at its lowest: "
        f"{'plain SGD' if optimizer not in ADAPTIVE else 'a network'} learns fastest near the largest stable rate, "
        f"and a tenth of it leaves a margin before steps overshoot.")


def find_lr(config: TrainConfig, dataset: Dataset | None = None, device: torch.device | None = None,
            steps: int = STEPS, start_lr: float = START_LR, end_lr: float = END_LR,
            stop: threading.Event | None = None) -> LrFinding:
    """Run the range test on a FRESH model built from `config` (seeded like a new run)."""
    if not (0 < start_lr < end_lr) or steps < 3:
        raise PlaygroundError("the range test needs 0 < start rate < end rate and at least 3 steps")
    device = device or resolve_device(config.device)
    dataset = dataset or load_dataset(config)
    if not dataset.has_train:
        raise PlaygroundError(f"{config.dataset} has no training split loaded")
    check_fits(config, dataset.n_inputs, dataset.n_classes, device)
    # dropout masks come from torch's global generator: seed it inside a fork, so the test is repeatable
    # and the global state other code relies on is restored afterwards
    forked = [device.index or 0] if device.type == "cuda" else []
    with torch.random.fork_rng(devices=forked):
        torch.manual_seed(config.seed)
        return _range_test(config, dataset, device, lr_schedule(steps, start_lr, end_lr), stop)


def _range_test(config: TrainConfig, dataset: Dataset, device: torch.device, schedule: np.ndarray,
                stop: threading.Event | None) -> LrFinding:
    generator = torch.Generator().manual_seed(config.seed)
    model = build_model(config, dataset.n_inputs, dataset.n_classes, generator).to(device)
    model.train()
    optimizer = make_optimizer(config.replace(lr=float(schedule[0])), model)
    loss_fn = loss_function(config.loss)
    x_all = to_features(dataset.train_x, device).flatten(1)
    y_all = dataset.train_y.to(device)
    image_shape = tuple(dataset.test_x.shape[1:])
    augment = config.augment and dataset.kind == "image"
    lrs: list[float] = []
    raw: list[float] = []
    smoothed: list[float] = []
    order, position = None, len(y_all)
    stopped_early = False
    threads = StepThreads(enabled=device.type == "cpu")   # one thread when a busy CPU makes threads wait
    try:
        for lr in schedule:
            if stop is not None and stop.is_set():
                raise PlaygroundError("the learning-rate range test was cancelled")
            if position + config.batch_size > len(y_all) and position > 0:
                order, position = torch.randperm(len(y_all), generator=generator).to(device), 0
            idx = order[position:position + config.batch_size]
            position += config.batch_size
            x, y = x_all[idx], y_all[idx]
            if augment:
                x = augment_batch(x.view(-1, *image_shape), generator).flatten(1)
            for group in optimizer.param_groups:
                group["lr"] = float(lr)
            threads.before_step()
            loss = loss_fn(model(x), y)
            value = float(loss.detach())
            if not math.isfinite(value):
                stopped_early = True
                break
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            threads.after_step()
            lrs.append(float(lr))
            raw.append(value)
            smoothed = smooth(raw)
            if len(raw) >= MIN_STEPS and smoothed[-1] > EXPLODE * min(smoothed):
                stopped_early = True
                break
    finally:
        threads.restore()
    rate, method, sentence = suggest(lrs, smoothed, config.optimizer)
    return LrFinding(lrs, smoothed, raw, rate, method, sentence, stopped_early)
