"""The training loop: whole dataset as tensors on the device, randperm shuffling, sliced batches.

`Trainer.run()` is a generator of plain records; it honours stop and pause requests between steps and
ends at the first non-finite loss. The CLI iterates it directly; the window runs it in a worker thread.
"""
from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import torch

from playground.engine.train.augment import augment_batch
from playground.engine.inspect.boundary import BoundaryRecord, plane_extent
from playground.engine.config import TrainConfig
from playground.engine.datasets import Dataset, load_dataset, to_features
from playground.engine.devices import resolve_device
from playground.engine.errors import PlaygroundError
from playground.engine.train.evaluation import (EVAL_CHUNK, Evaluation, boundary_of, evaluate_model, evaluate_test_split,  # noqa: F401
                         inference_forward, predict_proba)
from playground.engine.model import build_model, check_fits
from playground.engine.train.optim import loss_function, make_optimizer
from playground.engine.inspect.probes import layer_report, weight_grad_norms
from playground.engine.train.regression import regression_loss
from playground.engine.train.records import EpochRecord, LayerRecord, Record, RunEnd, Status, StepRecord, TestRecord
from playground.engine.train.run_control import RunControl
from playground.engine.train.threads import StepThreads

__all__ = ["Trainer", "RunControl", "Evaluation", "evaluate_model", "evaluate_test_split", "predict_proba",
           "boundary_of", "inference_forward", "loss_function", "make_optimizer"]

LOG_EVERY = 10          # at most this many steps between StepRecords (and .item() syncs)
PROBE_SIZE = 256
TRAIN_EVAL_SIZE = 10_000   # training samples the epoch's train figures are measured on (fixed, clean)


class Trainer:
    """One model, its optimizer and data on one device; `run()` trains it for `config.epochs`."""

    def __init__(self, config: TrainConfig, dataset: Dataset | None = None,
                 device: torch.device | None = None) -> None:
        self.config = config
        self.device = device or resolve_device(config.device)
        self.dataset = dataset or load_dataset(config)
        if not self.dataset.has_train:
            raise PlaygroundError(f"{config.dataset} has no training split loaded")
        check_fits(config, self.dataset.n_inputs, self.dataset.n_outputs, self.device)
        self.generator = torch.Generator().manual_seed(config.seed)
        self.model = build_model(config, self.dataset.n_inputs, self.dataset.n_outputs, self.generator)
        # dropout masks come from torch's global generator: seed it too, so a run (and an exported
        # script, see script_export.py) is reproducible from config.seed
        torch.manual_seed(config.seed)
        self.model.to(self.device)
        self.optimizer = make_optimizer(config, self.model)
        # regression: MSE on the one output, whatever the classification loss setting says
        self.loss_fn = regression_loss if self.dataset.is_regression else loss_function(config.loss)
        self.is_image = self.dataset.kind == "image"
        # stored flat (N, features): gathering rows of a 2-D tensor is the cheapest batch slicing
        self.train_x = to_features(self.dataset.train_x, self.device).flatten(1)
        self.train_y = self.dataset.train_y.to(self.device)
        self.test_x = to_features(self.dataset.test_x, self.device).flatten(1)
        self.test_y = self.dataset.test_y.to(self.device)
        self.steps_per_epoch = math.ceil(len(self.train_y) / config.batch_size)
        self.total_steps = self.steps_per_epoch * config.epochs
        # small datasets have few steps per epoch: log more often so a curve still has ~25 points/epoch
        self.log_every = max(1, min(LOG_EVERY, self.steps_per_epoch // 25))
        # held while the weights change, so another thread can copy them consistently mid-run
        self.weights_lock = threading.Lock()
        self.weights_version = 0        # +1 with every optimizer step (see engine/snapshot.py)
        self.epoch = 0                  # completed epochs
        self.global_step = 0
        self._position = 0              # next batch index inside the current epoch
        self._perm: tuple[torch.Tensor, torch.Tensor] | None = None   # this epoch's shuffled data
        self._epoch_seconds = 0.0
        self._reset_epoch_sums()
        self.history: list[EpochRecord] = []
        self._extent = plane_extent(torch.cat([self.train_x, self.test_x])) if self.dataset.kind == "points" else None
        # a fixed batch of training samples on which layer statistics are measured every epoch
        probe = torch.randperm(len(self.train_y), generator=torch.Generator().manual_seed(config.seed))[:PROBE_SIZE]
        # The epoch's train figures are measured like the test figures (evaluation mode, no augmentation)
        # on a fixed subset of the training split, so train and test compare and overfitting shows as a gap.
        subset = torch.randperm(len(self.train_y), generator=torch.Generator().manual_seed(config.seed + 1))
        subset = subset[:TRAIN_EVAL_SIZE].sort().values
        self._samples = {"probe": probe.to(self.device), "train_eval": subset.to(self.device)}   # taken when used
        self._fill = None               # what still makes the training split (stream_from)
        self._made: list[Record] = []   # its progress records, yielded by the loop
        self.finished = False
        self.diverged = False
        self.threads = StepThreads(enabled=self.device.type == "cpu")

    # --- state -------------------------------------------------------------------------------
    def _reset_epoch_sums(self) -> None:
        self._loss_sum = torch.zeros((), device=self.device)
        self._seen = 0
        self._nonfinite = torch.zeros((), device=self.device, dtype=torch.bool)

    def set_lr(self, lr: float) -> None:
        if not (lr > 0 and math.isfinite(lr)):
            raise PlaygroundError(f"learning rate must be a positive number, got {lr}")
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        self.config = self.config.replace(lr=lr)

    def set_epochs(self, epochs: int) -> None:
        """Train for `epochs` in all (call between runs, or through RunControl.set_epochs during one)."""
        self.config = self.config.replace(epochs=epochs)
        self.total_steps = self.steps_per_epoch * epochs

    def continue_from(self, state_dict: dict, history: list[EpochRecord]) -> None:
        """Start from a checkpoint's weights and go on counting its epochs (before the first step only)."""
        with self.weights_lock:
            self.model.load_state_dict(state_dict)
            self.weights_version += 1
        self.history = list(history)
        self.epoch = len(self.history)
        self.global_step = self.epoch * self.steps_per_epoch
        self._position, self._perm = 0, None

    # --- a first epoch while the training split is still being made -------------------------------
    def stream_from(self, fill) -> None:
        """Train while `fill` makes the rest of the training split (before the first step only).

        The dataset's training tensors are already full size, made up to `fill.ready`; `fill.next()` makes
        the next chunk: (start, images, labels, progress record), or None when complete. Every chunk is a
        shuffled random sample of the whole split, so the first epoch walks through the digits in the order
        they are made: a random pass over all of them, as any other epoch. The loop makes a chunk after
        every loss point (so the whole split is ready about as soon as without training) and whenever the
        next batch is not made yet, and yields each chunk's progress record."""
        self._fill = fill

    def feed(self) -> bool:
        """Make the next chunk and take it in; False once the training split is complete."""
        made = self._fill.next() if self._fill is not None else None
        if made is None:
            self._fill = None
            return False
        start, x, y, record = made
        self.train_x[start:start + len(y)] = to_features(x, self.device).flatten(1)
        self.train_y[start:start + len(y)] = y.to(self.device)
        self._made.append(record)
        if self._fill.complete:
            self._fill = None
        return True

    @property
    def making(self) -> bool:
        """True while the training split is still being made (stream_from)."""
        return self._fill is not None

    def finish_making(self) -> Iterator[Record]:
        """Make the rest of the training split now, yielding its progress records."""
        while self.feed():
            yield from self._made
            self._made.clear()

    def _made_ready(self) -> None:
        """Make chunks until the next batch's digits exist."""
        end = (self._position + 1) * self.config.batch_size
        while self._fill is not None and self._fill.ready < min(end, len(self.train_y)):
            self.feed()

    # --- one step ----------------------------------------------------------------------------
    def _next_batch(self) -> tuple[torch.Tensor, torch.Tensor]:
        if self._perm is None and self._fill is not None:
            self._perm = (self.train_x, self.train_y)   # the order the digits are made in (stream_from)
        self._made_ready()
        if self._perm is None:
            # one gather per epoch, then every batch is a contiguous slice (no per-step indexing)
            perm = torch.randperm(len(self.train_y), generator=self.generator).to(self.device)
            self._perm = (self.train_x[perm], self.train_y[perm])
        start = self._position * self.config.batch_size
        end = start + self.config.batch_size
        x, y = self._perm[0][start:end], self._perm[1][start:end]
        if self.config.augment and self.is_image:
            x = augment_batch(x.view(-1, *self.dataset.test_x.shape[1:]), self.generator).flatten(1)
        return x, y

    def _train_step(self) -> torch.Tensor:
        x, y = self._next_batch()
        logits = self.model(x)
        loss = self.loss_fn(logits, y)
        # remembered on the device; the loop looks at it every step on CPU, at log points on a GPU
        self._nonfinite |= ~torch.isfinite(loss.detach())
        if self.device.type == "cpu" and bool(self._nonfinite):
            return loss.detach()
        with self.weights_lock:
            self.optimizer.zero_grad(set_to_none=True)
            loss.backward()
            self.optimizer.step()
            self.weights_version += 1
        with torch.no_grad():
            n = len(y)
            self._loss_sum += loss.detach() * n
            self._seen += n
        self._position += 1
        self.global_step += 1
        return loss.detach()

    # --- evaluation --------------------------------------------------------------------------
    def predict_proba(self, x: torch.Tensor) -> torch.Tensor:
        """Class probabilities for raw samples, safe to call from another thread mid-run.

        Dropout layers are skipped rather than switching the model to eval mode, so a prediction from
        another thread never changes the mode the training thread relies on.
        """
        with self.weights_lock:
            return predict_proba(self.model, x, self.device)

    # --- the loop ----------------------------------------------------------------------------
    def step(self) -> list[Record]:
        """Train exactly one batch (the window's Step button); an epoch that it completes is reported."""
        return list(self._steps(max_steps=1, control=None))

    def run(self, control: RunControl | None = None) -> Iterator[Record]:
        """Train until `config.epochs` are done, yielding StepRecords, EpochRecords and one RunEnd."""
        yield from self._steps(max_steps=None, control=control)

    def _steps(self, max_steps: int | None, control: RunControl | None) -> Iterator[Record]:
        try:
            yield from self._take_steps(max_steps, control)
        finally:
            self.threads.restore()

    def _take_steps(self, max_steps: int | None, control: RunControl | None) -> Iterator[Record]:
        done_steps = 0
        threads_used, threads_note = self.threads.chosen, ""
        last_finite: tuple[int, torch.Tensor] | None = None   # (step, loss) of the newest finite step
        logged_step = self.global_step
        self.model.train()
        tick = time.perf_counter()
        tick_samples = 0
        while self.epoch < self.config.epochs:
            if self._position == 0:
                self._reset_epoch_sums()
                self._epoch_seconds = 0.0
            t0 = time.perf_counter()
            while self._position < self.steps_per_epoch:
                if control is not None:
                    if control.paused:
                        self._epoch_seconds += time.perf_counter() - t0
                        control.wait_while_paused()
                        t0 = time.perf_counter()
                        tick, tick_samples = t0, 0
                    if control.stop_requested.is_set():
                        self._epoch_seconds += time.perf_counter() - t0
                        yield RunEnd("stopped", "stopped", self.epoch + 1, self.global_step)
                        return
                    lr = control.take_lr()
                    if lr is not None:
                        self.set_lr(lr)
                    epochs = control.take_epochs()
                    if epochs is not None:
                        self.set_epochs(epochs)
                if max_steps is not None and done_steps >= max_steps:
                    self._epoch_seconds += time.perf_counter() - t0
                    return
                self._made_ready()      # outside the step's timing (StepThreads measures steps)
                self.threads.before_step()
                loss = self._train_step()
                self.threads.after_step()
                if self.threads.chosen != threads_used:
                    threads_note = self.threads.change_note(threads_used)   # told after this step's record
                    threads_used = self.threads.chosen
                done_steps += 1
                tick_samples += self.config.batch_size
                log_now = self.global_step % self.log_every == 0 or max_steps is not None
                if (self.device.type == "cpu" or log_now) and bool(self._nonfinite):
                    self._epoch_seconds += time.perf_counter() - t0
                    if last_finite is not None and last_finite[0] > logged_step:
                        # show the climb to divergence: the last finite loss, even between log points
                        step, value = last_finite
                        yield StepRecord(self.epoch + 1, step, step / self.total_steps, float(value), 0.0, (),
                                         step / self.steps_per_epoch)
                    yield self._diverged()
                    return
                last_finite = (self.global_step, loss)
                if log_now:
                    now = time.perf_counter()
                    speed = tick_samples / max(now - tick, 1e-9)
                    tick, tick_samples = now, 0
                    yield StepRecord(self.epoch + 1, self.global_step, self.global_step / self.total_steps,
                                     float(loss), speed, weight_grad_norms(self.model),
                                     self.global_step / self.steps_per_epoch, self._eta(speed))
                    logged_step = self.global_step
                    if self._fill is not None:
                        self.feed()
                if self._made:
                    yield from self._made
                    self._made.clear()
                if threads_note:
                    yield Status(threads_note)
                    threads_note = ""
            self._epoch_seconds += time.perf_counter() - t0
            finished = self._finish_epoch()
            if finished is None:
                yield self._diverged()
                return
            yield from finished
            yield self.layer_record()
            if self.dataset.kind == "points":
                yield self.boundary_record()
            tick, tick_samples = time.perf_counter(), 0
            if max_steps is not None:
                return
        self.finished = True
        if self.dataset.is_regression:
            best = max(r.test_r2 for r in self.history) if self.history else float("nan")
            summary = f"best test R² {best:.4f}"
        else:
            best = max(r.test_accuracy for r in self.history) if self.history else float("nan")
            summary = f"best test accuracy {best:.4f}"
        yield RunEnd("finished", f"finished {self.config.epochs} epochs; {summary}", self.epoch, self.global_step)

    def _eta(self, samples_per_second: float) -> float:
        """Seconds of training left at this speed (evaluation excluded)."""
        if samples_per_second <= 0:
            return 0.0
        return max(self.total_steps - self.global_step, 0) * self.config.batch_size / samples_per_second

    def _sample(self, name: str) -> tuple[torch.Tensor, torch.Tensor]:
        """The fixed probe or train-evaluation sample, gathered once the training split is complete."""
        taken = self._samples[name]
        if not isinstance(taken, tuple):
            while self._fill is not None:
                self.feed()
            self._samples[name] = taken = (self.train_x[taken], self.train_y[taken])
        return taken

    @property
    def _probe(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self._sample("probe")

    @property
    def _train_eval(self) -> tuple[torch.Tensor, torch.Tensor]:
        return self._sample("train_eval")

    def layer_record(self) -> LayerRecord:
        """Gradient norms and activation statistics per layer on the probe batch (between steps only)."""
        with self.weights_lock:
            layers = layer_report(self.model, *self._probe, self.loss_fn)
        return LayerRecord(self.epoch, self.global_step, tuple(layers))

    def boundary_record(self) -> BoundaryRecord:
        with self.weights_lock:
            return boundary_of(self.model, self._extent, self.epoch, self.device, self.dataset.is_regression)

    def _finish_epoch(self) -> tuple[EpochRecord, TestRecord] | None:
        """The epoch's figures and its test-split predictions, or None when the loss is no longer finite."""
        running_loss = float(self._loss_sum) / max(self._seen, 1)
        train = evaluate_model(self.model, self.loss_fn, *self._train_eval)
        result = evaluate_model(self.model, self.loss_fn, self.test_x, self.test_y)
        train_loss, train_acc = train.loss, train.accuracy
        test_loss, test_acc = result.loss, result.accuracy
        if not all(map(math.isfinite, (running_loss, train_loss, test_loss))):
            return None
        self.epoch += 1
        self._position = 0
        self._perm = None
        if self.dataset.is_regression:
            # a table's targets are standardised for training: its RMSE is reported in the target's units
            unit = self.dataset.target_scale[1]
            record = EpochRecord(self.epoch, train_loss, None, test_loss, None, self._epoch_seconds,
                                 self.global_step, regression=True, train_rmse=train.rmse * unit, train_r2=train.r2,
                                 test_rmse=result.rmse * unit, test_r2=result.r2)
        else:
            record = EpochRecord(self.epoch, train_loss, train_acc, test_loss, test_acc,
                                 self._epoch_seconds, self.global_step)
        self.history.append(record)
        return record, result.test_record(self.epoch)

    def _diverged(self) -> RunEnd:
        self.finished = self.diverged = True
        return RunEnd("diverged",
                      f"diverged at step {self.global_step + 1} (epoch {self.epoch + 1}): the loss became "
                      f"infinite or NaN. Try a lower learning rate (now {self.config.lr:g}), another "
                      f"init (kaiming-normal or xavier-normal), or Adam.",
                      self.epoch + 1, self.global_step)
