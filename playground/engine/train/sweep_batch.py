"""K networks of one architecture trained together: one stacked parameter set, one forward pass of batched
matmuls, one backward pass and one optimizer step per batch for all K.

The networks differ in what does not change shapes or code: learning rate, weight decay (and whether
biases decay), momentum, dropout rates, init and seed. Each one sees the batches, augmentation and dropout
masks its own `train` run would (see sweep_streams.py), and is measured after each epoch by the same
evaluation code as a plain run, so its records read like a Trainer's. A network whose loss stops being
finite is masked out (its updates zeroed) and reported diverged; the others go on.
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Iterator

import torch
from torch import nn
from torch.func import stack_module_state, vmap

from playground.engine.config import TrainConfig
from playground.engine.datasets import Dataset, to_features
from playground.engine.inspect.boundary import plane_extent
from playground.engine.model import build_model, layer_sizes
from playground.engine.train.evaluation import boundary_of, evaluate_model
from playground.engine.train.optim import loss_function
from playground.engine.inspect.probes import layer_report
from playground.engine.train.records import EpochRecord, LayerRecord, Record, RunEnd, RunStarted, StepRecord
from playground.engine.train.regression import regression_loss
from playground.engine.train.run_control import RunControl
from playground.engine.train.sweep_optim import BatchedOptimizer, Hyper
from playground.engine.train.sweep_streams import Stream, dropout_masks, generator_fingerprint, seeded_global_state
from playground.engine.train.threads import StepThreads
from playground.engine.train.training import LOG_EVERY, PROBE_SIZE, TRAIN_EVAL_SIZE
from playground.engine.devices import device_label

# the registry's optimizers as batched kinds, with the hyperparameters their torch.optim factories use
_KIND = {"sgd": "sgd", "momentum": "momentum", "adam": "adam", "rmsprop": "rmsprop"}


@dataclass(frozen=True)
class ConfigRecord:
    """A record of one configuration of a sweep, as its own `train` run would have yielded it."""
    index: int        # the configuration's place in the sweep (0-based)
    value: Any        # its swept value (a tuple of two for a grid)
    record: Record    # RunStarted, StepRecord, EpochRecord, TestRecord, LayerRecord, BoundaryRecord or RunEnd


def _features(dataset: Dataset, device: torch.device) -> tuple[torch.Tensor, ...]:
    return (to_features(dataset.train_x, device).flatten(1), dataset.train_y.to(device),
            to_features(dataset.test_x, device).flatten(1), dataset.test_y.to(device))


class BatchedTrainer:
    """Configurations that share one architecture (see sweep.py's grouping), trained as one stack."""

    def __init__(self, configs: list[TrainConfig], datasets: list[Dataset], device: torch.device,
                 indices: list[int] | None = None, values: list[Any] | None = None) -> None:
        self.configs, self.k, self.device = list(configs), len(configs), device
        self.indices = indices if indices is not None else list(range(self.k))
        self.values = values if values is not None else [None] * self.k
        base = self.configs[0]
        self.dataset = datasets[0]
        n_in, n_out = self.dataset.n_inputs, self.dataset.n_outputs
        self.loss_fn = regression_loss if self.dataset.is_regression else loss_function(base.loss)
        self.batch_size, self.epochs = base.batch_size, base.epochs
        # the same init as a plain run: the model is built from a generator seeded with the config's seed,
        # and that generator goes on to shuffle and augment
        models, generators = [], []
        for config in self.configs:
            g = torch.Generator().manual_seed(config.seed)
            models.append(build_model(config, n_in, n_out, g).to(device))
            generators.append(g)
        self.template = models[0]
        params, _buffers = stack_module_state(models)
        self.params: dict[str, torch.Tensor] = params
        self.names = [name for name, _ in self.template.named_children()]
        self.hidden = len(base.hidden)
        self._prefix = [m for n, m in self.template.named_children() if n in ("flatten", "features")]
        self.rates = torch.tensor([list(c.dropout) for c in self.configs], dtype=torch.float64).view(self.k, -1)
        self._data: dict[int, tuple[torch.Tensor, ...]] = {}
        self.data_of: list[tuple[torch.Tensor, ...]] = []
        for dataset in datasets:
            if id(dataset) not in self._data:
                self._data[id(dataset)] = _features(dataset, device)
            self.data_of.append(self._data[id(dataset)])
        self.streams = self._make_streams(generators, datasets)
        self.stream_of = torch.tensor([next(i for i, s in enumerate(self.streams) if k in s.members)
                                       for k in range(self.k)], device=device)
        self.optimizer = self._make_optimizer()
        n_train = len(self.data_of[0][1])
        self.steps_per_epoch = math.ceil(n_train / self.batch_size)
        self.total_steps = self.steps_per_epoch * self.epochs
        self.log_every = max(1, min(LOG_EVERY, self.steps_per_epoch // 25))
        self.alive = torch.ones(self.k, dtype=torch.bool, device=device)
        self._some_dead = False
        self.ended: dict[int, RunEnd] = {}
        self.histories: list[list[EpochRecord]] = [[] for _ in range(self.k)]
        self.epoch = self.global_step = 0
        self.threads = StepThreads(enabled=device.type == "cpu")

    # --- set-up -------------------------------------------------------------------------------
    def _make_streams(self, generators: list[torch.Generator], datasets: list[Dataset]) -> list[Stream]:
        streams: dict[tuple, Stream] = {}
        for k, (config, g) in enumerate(zip(self.configs, generators)):
            pattern = tuple(p > 0 for p in config.dropout)
            key = (id(datasets[k]), config.seed, generator_fingerprint(g), pattern, config.augment)
            if key in streams:
                streams[key].members.append(k)
                continue
            train_x, train_y = self.data_of[k][:2]
            shape = tuple(datasets[k].test_x.shape[1:]) if config.augment and datasets[k].kind == "image" else None
            streams[key] = Stream([k], g, seeded_global_state(self.device, config.seed), train_x, train_y, shape)
        return list(streams.values())

    def _make_optimizer(self) -> BatchedOptimizer:
        configs = self.configs
        kind = _KIND[configs[0].optimizer]
        momentum = [c.momentum if kind == "momentum" else 0.0 for c in configs]
        hyper = Hyper(lr=torch.tensor([c.lr for c in configs], dtype=torch.float64),
                      weight_decay=torch.tensor([c.weight_decay for c in configs], dtype=torch.float64),
                      momentum=torch.tensor(momentum, dtype=torch.float64))
        decay_biases = torch.tensor([c.decay_biases for c in configs])
        params = list(self.params.values())
        decay = [None if name.endswith("weight") else decay_biases for name in self.params]
        return BatchedOptimizer(kind, params, hyper, decay)

    # --- the batched network ------------------------------------------------------------------
    def _linear(self, h: torch.Tensor, name: str) -> torch.Tensor:
        w, b = self.params[f"{name}.weight"], self.params[f"{name}.bias"]
        if h.dim() == 2:   # one input for every network: a single GEMM against all K weight matrices
            k, out, inp = w.shape
            y = (h @ w.reshape(k * out, inp).T).view(h.shape[0], k, out).transpose(0, 1)
            return y + b.unsqueeze(1)
        return torch.baddbmm(b.unsqueeze(1), h, w.transpose(1, 2))

    def forward(self, x: torch.Tensor, train: bool = True) -> torch.Tensor:
        """x: (B, features) shared by all K, or (K, B, features); returns (K, B, outputs)."""
        h = x
        for i in range(1, self.hidden + 1):
            h = getattr(self.template, f"act{i}")(self._linear(h, f"fc{i}"))
            if train:
                mask = dropout_masks(self.streams, self.rates[:, i - 1], (h.shape[-2], h.shape[-1]), self.k,
                                     self.device)
                if mask is not None:
                    h = h * mask
        h = self._linear(h, "out")
        if "act_out" in self.names:
            h = self.template.act_out(h)
        return h

    def losses(self, outputs: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """The loss of each network on its batch, (K,), exactly as the loss function takes one network's."""
        return vmap(self.loss_fn, in_dims=(0, 0 if y.dim() == 2 else None))(outputs, y)

    # --- training -----------------------------------------------------------------------------
    def _batch(self, position: int) -> tuple[torch.Tensor, torch.Tensor]:
        start = position * self.batch_size
        parts = []
        for stream in self.streams:
            x, y = stream.batch(start, start + self.batch_size)
            for module in self._prefix:
                x = module(x)
            parts.append((x, y))
        if len(parts) == 1:
            return parts[0]
        xs = torch.stack([p[0] for p in parts])[self.stream_of]
        ys = torch.stack([p[1] for p in parts])[self.stream_of]
        return xs, ys

    def _train_step(self, position: int) -> tuple[torch.Tensor, int]:
        x, y = self._batch(position)
        losses = self.losses(self.forward(x), y)
        self.alive &= torch.isfinite(losses.detach())
        if self.device.type == "cpu":   # a sync every step, as the plain loop's divergence check on a CPU
            self._some_dead = not bool(self.alive.all())
        masked = torch.where(self.alive, losses, torch.zeros_like(losses))
        self.optimizer.zero_grad()
        masked.sum().backward()
        # while every network is alive, no masking pass (on a GPU, a network that diverged since the last
        # log point takes NaN steps until then, as a plain run on a GPU does; it cannot touch the others)
        self.optimizer.step(self.alive if self._some_dead else None)
        self.global_step += 1
        return masked.detach(), len(y) if y.dim() == 1 else y.shape[1]

    def _grad_norms(self) -> list[tuple[float, ...]]:
        names = [f"fc{i}" for i in range(1, self.hidden + 1)] + ["out"]
        grads = [self.params[f"{n}.weight"].grad for n in names]
        norms = torch.stack([g.flatten(1).norm(dim=1) if g is not None else torch.zeros(self.k, device=self.device)
                             for g in grads], 1)
        return [tuple(row) for row in norms.float().cpu().tolist()]

    def _newly_diverged(self) -> list[int]:
        alive = self.alive.tolist()
        self._some_dead = not all(alive)
        return [k for k in range(self.k) if not alive[k] and k not in self.ended]

    def _end(self, k: int, record: RunEnd) -> ConfigRecord:
        self.ended[k] = record
        self.alive[k] = False
        self._some_dead = True
        return self._tag(k, record)

    def _diverged(self, k: int, step: int) -> ConfigRecord:
        c = self.configs[k]
        return self._end(k, RunEnd("diverged", f"diverged at step {step} (epoch {self.epoch + 1}): the loss became "
                                   f"infinite or NaN. Try a lower learning rate (now {c.lr:g}), another init "
                                   f"(kaiming-normal or xavier-normal), or Adam.", self.epoch + 1, step))

    def _tag(self, k: int, record: Any) -> ConfigRecord:
        return ConfigRecord(self.indices[k], self.values[k], record)

    def run_started(self) -> list[ConfigRecord]:
        d = self.dataset
        sizes = tuple(layer_sizes(self.configs[0], d.n_inputs, d.n_outputs))
        return [self._tag(k, RunStarted(c, d.kind, tuple(d.test_x.shape[1:]), d.n_inputs, tuple(d.class_names),
                                        device_label(self.device), self.steps_per_epoch, sizes, True, False, d))
                for k, c in enumerate(self.configs)]

    def run(self, control: RunControl | None = None) -> Iterator[ConfigRecord]:
        """Train every network for its epochs, yielding each one's records tagged with its index and value."""
        try:
            yield from self._run(control)
        finally:
            self.threads.restore()

    def _run(self, control: RunControl | None) -> Iterator[ConfigRecord]:
        yield from self.run_started()
        tick, tick_samples = time.perf_counter(), 0
        while self.epoch < self.epochs and self.alive.any():
            for stream in self.streams:
                stream.new_epoch()
            loss_sum = torch.zeros(self.k, device=self.device)
            seen, seconds = 0, 0.0
            for position in range(self.steps_per_epoch):
                t0 = time.perf_counter()
                if control is not None:
                    if control.paused:
                        control.wait_while_paused()
                        t0 = tick = time.perf_counter()
                        tick_samples = 0
                    if control.stop_requested.is_set():
                        for k in range(self.k):
                            if k not in self.ended:
                                yield self._end(k, RunEnd("stopped", "stopped", self.epoch + 1, self.global_step))
                        return
                self.threads.before_step()
                losses, n = self._train_step(position)
                self.threads.after_step()
                loss_sum += losses * n
                seen += n
                tick_samples += n
                seconds += time.perf_counter() - t0
                log_now = self.global_step % self.log_every == 0
                if self.device.type == "cpu" or log_now:
                    for k in self._newly_diverged():
                        yield self._diverged(k, self.global_step)
                    if not self.alive.any():
                        return
                if log_now:
                    yield from self._step_records(losses, tick, tick_samples)
                    tick, tick_samples = time.perf_counter(), 0
            self.epoch += 1
            yield from self._finish_epoch(loss_sum / max(seen, 1), seconds)
        for k in range(self.k):
            if k not in self.ended:
                yield self._end(k, self._finished(k))

    def _step_records(self, losses: torch.Tensor, tick: float, samples: int) -> Iterator[ConfigRecord]:
        now = time.perf_counter()
        speed = samples / max(now - tick, 1e-9)
        eta = max(self.total_steps - self.global_step, 0) * self.batch_size / max(speed, 1e-9)
        values, norms = losses.tolist(), self._grad_norms()
        step = self.global_step
        for k in range(self.k):
            if k not in self.ended:
                yield self._tag(k, StepRecord(self.epoch + 1, step, step / self.total_steps, values[k], speed,
                                              norms[k], step / self.steps_per_epoch, eta))

    # --- measuring ----------------------------------------------------------------------------
    def model_of(self, k: int, into: nn.Sequential | None = None) -> nn.Sequential:
        """Network k as a plain model (a fresh copy, or `into` overwritten): for evaluation and checkpoints."""
        import copy
        model = into if into is not None else copy.deepcopy(self.template)
        with torch.no_grad():
            for name, p in model.named_parameters():
                p.copy_(self.params[name][k])
        return model

    def _fixed_rows(self, k: int, seed: int, count: int, sort: bool) -> tuple[torch.Tensor, torch.Tensor]:
        train_x, train_y = self.data_of[k][:2]
        rows = torch.randperm(len(train_y), generator=torch.Generator().manual_seed(seed))[:count]
        rows = (rows.sort().values if sort else rows).to(self.device)
        return train_x[rows], train_y[rows]

    def _finish_epoch(self, running: torch.Tensor, seconds: float) -> Iterator[ConfigRecord]:
        running_losses = running.tolist()
        model = self.template
        for k in range(self.k):
            if k in self.ended:
                continue
            c = self.configs[k]
            self.model_of(k, into=model)
            train = evaluate_model(model, self.loss_fn, *self._fixed_rows(k, c.seed + 1, TRAIN_EVAL_SIZE, True))
            result = evaluate_model(model, self.loss_fn, *self.data_of[k][2:])
            if not all(map(math.isfinite, (running_losses[k], train.loss, result.loss))):
                yield self._diverged(k, self.global_step)
                continue
            if self.dataset.is_regression:
                unit = self.dataset.target_scale[1]     # a table's standardised target: RMSE in its units
                record = EpochRecord(self.epoch, train.loss, None, result.loss, None, seconds, self.global_step,
                                     regression=True, train_rmse=train.rmse * unit, train_r2=train.r2,
                                     test_rmse=result.rmse * unit, test_r2=result.r2)
            else:
                record = EpochRecord(self.epoch, train.loss, train.accuracy, result.loss, result.accuracy,
                                     seconds, self.global_step)
            self.histories[k].append(record)
            yield self._tag(k, record)
            yield self._tag(k, result.test_record(self.epoch))
            probe = self._fixed_rows(k, c.seed, PROBE_SIZE, False)
            yield self._tag(k, LayerRecord(self.epoch, self.global_step, tuple(layer_report(model, *probe, self.loss_fn))))
            if self.dataset.kind == "points":
                train_x, _y, test_x, _ty = self.data_of[k]
                extent = plane_extent(torch.cat([train_x, test_x]))
                yield self._tag(k, boundary_of(model, extent, self.epoch, self.device, self.dataset.is_regression))

    def _finished(self, k: int) -> RunEnd:
        history = self.histories[k]
        if self.dataset.is_regression:
            best = max((r.test_r2 for r in history), default=float("nan"))
            summary = f"best test R² {best:.4f}"
        else:
            best = max((r.test_accuracy for r in history), default=float("nan"))
            summary = f"best test accuracy {best:.4f}"
        return RunEnd("finished", f"finished {self.epochs} epochs; {summary}", self.epoch, self.global_step)

    def memory_bytes(self) -> int:
        """Bytes the K networks hold: parameters, gradients and optimizer state (grows with K)."""
        params = sum(p.numel() * p.element_size() for p in self.params.values())
        return 2 * params + self.optimizer.state_bytes()
