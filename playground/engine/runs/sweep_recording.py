"""Recording a sweep into the store: every configuration a run of its own, grouped by the sweep's name.

The CLI and the window alike feed `SweepRecorder.record` every ConfigRecord of `Sweep.run()`, on the thread
that trains, so the model saved at an epoch is exactly that epoch's (`Sweep.model_of` copies it).
"""
from __future__ import annotations

import re
from typing import Any

from playground.engine.runs.recorder import Recorder
from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord, RunStarted
from playground.engine.train.sweep_params import value_text

_NUMBER = re.compile(r"^sweep (\d+)$")


def next_sweep_name(store: RunStore | None, taken: set[str] = frozenset()) -> str:
    """'sweep N', one more than the highest sweep number the store (or `taken`) holds."""
    names = set(taken)
    if store is not None and not store.error and store.path.exists():
        names |= {r.sweep for r in store.list_runs("sweep IS NOT NULL")}
    numbers = [int(m.group(1)) for m in map(_NUMBER.match, names) if m]
    return f"sweep {max(numbers, default=0) + 1}"


def config_label(params: tuple[str, ...], value: Any) -> str:
    """'lr 0.01', or 'lr 0.01, hidden 16,8' for a grid."""
    values = value if len(params) == 2 else (value,)
    return ", ".join(f"{n} {value_text(v)}" for n, v in zip(params, values))


def run_name(sweep: str, params: tuple[str, ...], value: Any) -> str:
    """A sweep configuration's run name: 'sweep 1: lr 0.01'."""
    return f"{sweep}: {config_label(params, value)}"


class SweepRecorder:
    """One Recorder per configuration of `job` (a Sweep), all in the sweep named `sweep`."""

    def __init__(self, store: RunStore, job, sweep: str) -> None:
        self.store, self.job, self.sweep = store, job, sweep
        self.recorders: dict[int, Recorder] = {}
        self._histories: dict[int, list[EpochRecord]] = {}

    def run_id(self, index: int) -> int | None:
        recorder = self.recorders.get(index)
        return None if recorder is None else recorder.run_id

    def record(self, record) -> None:
        """A ConfigRecord of the sweep (other records are not a configuration's and are ignored)."""
        index = getattr(record, "index", None)
        inner = getattr(record, "record", None)
        if index is None or inner is None:
            return
        if isinstance(inner, RunStarted):
            self.recorders[index] = Recorder(self.store, self._model_bytes(index, inner),
                                             name=run_name(self.sweep, self.job.params, record.value),
                                             sweep=self.sweep)
            self._histories[index] = []
        elif isinstance(inner, EpochRecord) and index in self._histories:
            self._histories[index].append(inner)
        recorder = self.recorders.get(index)
        if recorder is not None:
            recorder.record(inner)

    def stop_unfinished(self) -> None:
        """The sweep ended early (an error, or Stop before a group began): its runs that never ended stop."""
        for recorder in self.recorders.values():
            stored = self.store.find(recorder.run_id) if recorder.run_id is not None else None
            if stored is not None and stored.status == "running":
                recorder.finish("stopped")

    def _model_bytes(self, index: int, started: RunStarted):
        from playground.engine.runs.checkpoint import checkpoint_bytes
        d = started.dataset
        names = list(started.class_names) or [getattr(d, "target_name", "value")]
        recipe = getattr(d, "recipe", None)

        def model_bytes() -> bytes:
            return checkpoint_bytes(started.config, self.job.model_of(index), started.n_inputs, names,
                                    started.kind, list(self._histories[index]), recipe)
        return model_bytes
