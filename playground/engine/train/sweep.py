"""A sweep: one setting (or a grid of two) tried at several values, as one job.

Configurations that differ only in what `sweep_batch.BatchedTrainer` can stack (learning rate, weight
decay, momentum, dropout, init, seed, ...) train together; those that differ in shapes or code (hidden
widths, activation, batch size, optimizer, loss, epochs) run one group after another, through the same
interface. `Sweep.run()` is a generator like `Trainer.run()`: a `SweepStarted`, then every configuration's
records tagged with its index and value (`ConfigRecord`), then a `SweepEnd` with one row per configuration.
"""
from __future__ import annotations

import dataclasses
import itertools
import time
from dataclasses import dataclass
from typing import Any, Iterator

import torch
from torch import nn

from playground.engine.config import TrainConfig
from playground.engine.datasets import DATASETS, Dataset, dataset_key, load_dataset
from playground.engine.devices import resolve_device
from playground.engine.errors import PlaygroundError
from playground.engine.model import _memory_budget as memory_budget, check_fits, estimate_cost
from playground.engine.train.records import EpochRecord, RunEnd, Status
from playground.engine.train.run_control import RunControl
from playground.engine.train.sweep_batch import BatchedTrainer, ConfigRecord
from playground.engine.train.sweep_params import BATCHED_FIELDS, PARAMS, SweepParam, json_value, parse_values, value_text

__all__ = ["PARAMS", "SweepParam", "Sweep", "SweepStarted", "SweepEnd", "SweepResult", "ConfigRecord",
           "parse_values", "json_value", "value_text"]

DATA_BUDGET = 1 << 30   # bytes of training features a batch of networks with different data may hold


@dataclass(frozen=True)
class SweepStarted:
    params: tuple[str, ...]                 # one name, or two for a grid
    values: tuple[Any, ...]                 # per configuration: its value (a pair for a grid)
    configs: tuple[TrainConfig, ...]
    groups: tuple[tuple[int, ...], ...]     # configurations trained together, in the order they run

    @property
    def log_scale(self) -> bool:
        return PARAMS[self.params[0]].log_scale


@dataclass(frozen=True)
class SweepResult:
    index: int
    value: Any
    status: str            # finished, diverged or stopped
    final: float | None    # the last epoch's test accuracy (R² for a regression); None when none finished
    best: float | None
    seconds: float         # training time; networks trained together share it
    regression: bool = False


@dataclass(frozen=True)
class SweepEnd:
    results: tuple[SweepResult, ...]
    seconds: float         # the whole sweep's wall time


def _data_key(config: TrainConfig) -> tuple:
    """What the loaded data depends on. The built-in digits are generated from the run's seed."""
    return dataset_key(config) + ((config.seed,) if config.dataset == "synthetic-digits" else ())


def _shape_key(config: TrainConfig) -> tuple:
    """Configurations with equal keys can be stacked: only batched fields tell them apart."""
    neutral = {f: getattr(TrainConfig(), f) for f in BATCHED_FIELDS}
    neutral["dropout"] = (0.0,) * len(config.hidden)
    return (dataclasses.replace(config, **neutral), config.dataset)


class Sweep:
    def __init__(self, base: TrainConfig, param: str, values: list[Any], param2: str | None = None,
                 values2: list[Any] | None = None, max_batch: int | None = None,
                 dataset: Dataset | None = None) -> None:
        """`dataset`: the data every configuration trains on (loaded from each one's config when None);
        `max_batch`: at most this many networks in one stack."""
        names = (param,) if param2 is None else (param, param2)
        for name in names:
            if name not in PARAMS:
                raise PlaygroundError(f"cannot sweep '{name}'; choose one of: {', '.join(PARAMS)}")
        if param2 == param:
            raise PlaygroundError("--param2 must name another setting than --param")
        if not values or (param2 is not None and not values2):
            raise PlaygroundError("a sweep needs at least one value")
        self.params = names
        points = [(v,) for v in values] if param2 is None else list(itertools.product(values, values2))
        self.values = [p[0] if param2 is None else p for p in points]
        configs = []
        for point in points:
            changes = {PARAMS[n].field: v for n, v in zip(names, point)}
            if "hidden" in changes and "dropout" not in changes and len(set(base.dropout)) <= 1:
                changes["dropout"] = (base.dropout[0] if base.dropout else 0.0,)
            try:
                configs.append(base.replace(**changes))
            except PlaygroundError as exc:
                raise PlaygroundError(f"{', '.join(f'{n}={value_text(v)}' for n, v in zip(names, point))}: "
                                      f"{exc}") from None
        self.configs = configs
        self.max_batch = max_batch
        self._given = dataset
        self._running: BatchedTrainer | None = None
        self._datasets: dict[tuple, Dataset] = {}
        self.groups = self._plan()

    def _plan(self) -> list[list[int]]:
        by_shape: dict[tuple, list[int]] = {}
        for i, config in enumerate(self.configs):
            by_shape.setdefault(_shape_key(config), []).append(i)
        groups = []
        for members in by_shape.values():
            # networks with different data each hold their data: keep that within DATA_BUDGET
            first = self.configs[members[0]]
            n_keys = 1 if self._given is not None else len({_data_key(self.configs[i]) for i in members})
            per_data = self._data_bytes(first) if n_keys > 1 else 0
            limit = max(1, DATA_BUDGET // per_data) if per_data else len(members)
            most = self.max_batch or len(members)
            chunk, keys = [], set()
            for i in sorted(members, key=lambda i: str(_data_key(self.configs[i]))):
                key = _data_key(self.configs[i])
                if chunk and ((key not in keys and len(keys) >= limit) or len(chunk) >= most):
                    groups.append(chunk)
                    chunk, keys = [], set()
                chunk.append(i)
                keys.add(key)
            groups.append(chunk)
        return [sorted(g) for g in sorted(groups, key=min)]

    @staticmethod
    def _stacks(group: list[int], config: TrainConfig, dataset: Dataset, device: torch.device) -> list[list[int]]:
        """The group in stacks that fit in memory together (check_fits' budget shared by the stack)."""
        check_fits(config, dataset.n_inputs, dataset.n_outputs, device)
        cost = estimate_cost(config, dataset.n_inputs, dataset.n_outputs)
        budget, _what = memory_budget(device)
        most = max(1, budget // max(cost.bytes_training, 1))
        return [group[i:i + most] for i in range(0, len(group), most)]

    @staticmethod
    def _data_bytes(config: TrainConfig) -> int:
        entry = DATASETS.get(config.dataset)
        if entry is None or entry.kind != "image":
            return 0              # points and tables are small
        return 4 * 784 * 130_000  # 28x28 float features of a digit set's training split

    def dataset_of(self, config: TrainConfig) -> Dataset:
        if self._given is not None:
            return self._given
        key = _data_key(config)
        if key not in self._datasets:
            dataset = load_dataset(config)
            if not dataset.has_train:
                raise PlaygroundError(f"{config.dataset} has no training split loaded")
            self._datasets[key] = dataset
        return self._datasets[key]

    def model_of(self, index: int) -> nn.Sequential:
        """Configuration `index`'s network now, as a plain model (a copy), while its records are coming:
        for a checkpoint, or the store's model file at an EpochRecord (records come between steps)."""
        trainer = self._running
        if trainer is None or index not in trainer.indices:
            raise PlaygroundError(f"configuration {index} is not training now")
        return trainer.model_of(trainer.indices.index(index))

    def started(self) -> SweepStarted:
        return SweepStarted(self.params, tuple(self.values), tuple(self.configs), tuple(map(tuple, self.groups)))

    def run(self, control: RunControl | None = None) -> Iterator[object]:
        """Every group of configurations in turn; yields SweepStarted, Status, ConfigRecords, SweepEnd."""
        t0 = time.perf_counter()
        yield self.started()
        histories: dict[int, list[EpochRecord]] = {i: [] for i in range(len(self.configs))}
        ends: dict[int, RunEnd] = {}
        for number, group in enumerate(self.groups, 1):
            if control is not None and control.stop_requested.is_set():
                break
            if len(self.groups) > 1:
                yield Status(f"group {number}/{len(self.groups)}: {len(group)} configuration(s) together")
            first = self.configs[group[0]]
            device = resolve_device(first.device)
            for stack in self._stacks(group, first, self.dataset_of(first), device):
                if control is not None and control.stop_requested.is_set():
                    break
                configs = [self.configs[i] for i in stack]
                datasets = [self.dataset_of(c) for c in configs]
                trainer = BatchedTrainer(configs, datasets, device, stack, [self.values[i] for i in stack])
                self._running = trainer
                try:
                    for record in trainer.run(control):
                        if isinstance(record.record, EpochRecord):
                            histories[record.index].append(record.record)
                        elif isinstance(record.record, RunEnd):
                            ends[record.index] = record.record
                        yield record
                except torch.cuda.OutOfMemoryError:
                    raise PlaygroundError(f"out of GPU memory training {len(stack)} networks together; "
                                          f"sweep fewer values at a time") from None
                self._running = None
                del trainer
        yield SweepEnd(tuple(self._result(i, histories[i], ends.get(i)) for i in range(len(self.configs))),
                       time.perf_counter() - t0)

    def _result(self, index: int, history: list[EpochRecord], end: RunEnd | None) -> SweepResult:
        status = end.status if end is not None else "stopped"
        regression = bool(history) and history[-1].regression
        metric = [(r.test_r2 if r.regression else r.test_accuracy) for r in history]
        return SweepResult(index, self.values[index], status, metric[-1] if metric else None,
                           max(metric) if metric else None, sum(r.seconds for r in history), regression)
