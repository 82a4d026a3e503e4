"""The application model's side of the store: which run a training job records into, fine-tunes as runs of
their own, the stored runs as RunHistory runs at launch. Kept here so AppModel only calls in."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.model import architecture
from playground.engine.runs.history import Run
from playground.engine.runs.recorder import Recorder, trainer_model_bytes
from playground.engine.runs.store import RunStore


@dataclass(frozen=True)
class StoredOrigin:
    """A stored run's model made current: training it goes on in that run (or a branch of it)."""
    run_id: int
    epochs: int          # epochs the opened model has
    which: str           # "last" or "best"


def recorder_for(store: RunStore | None, trainer, origin: StoredOrigin | None | bool) -> Recorder | None:
    """The recorder of a new training job: a new run, the stored run it continues, or a branch of it when
    training goes on from an earlier epoch's (best) model."""
    if store is None or not store.recording:
        return None
    model_bytes = trainer_model_bytes(trainer)
    if not origin:
        return Recorder(store, model_bytes, prior=list(trainer.history))
    stored = store.find(origin.run_id)
    if stored is not None and stored.epochs == origin.epochs:
        return Recorder(store, model_bytes, run_id=origin.run_id)
    if stored is not None:
        branch = store.branch_run(origin.run_id, origin.epochs, f"{stored.name} (from epoch {origin.epochs})")
        if branch is not None:
            return Recorder(store, model_bytes, run_id=branch)
    return Recorder(store, model_bytes, prior=list(trainer.history))


def noted(recorder: Recorder | None, started):
    """`started` (a RunStarted), after the recorder has created or resumed its run."""
    if recorder is not None:
        recorder.record(started)
    return started


def watch(recorder: Recorder | None, records: Iterable) -> Iterable:
    return records if recorder is None else recorder.watch(records)


def link(recorder: Recorder | None, run: Run | None, fresh: bool) -> None:
    """The history run and its stored row are one run: its id, and a new run's name from the history."""
    if recorder is None or run is None or recorder.run_id is None:
        return
    if fresh and run.store_id is None:
        recorder.store.rename(recorder.run_id, run.name)
    run.store_id = recorder.run_id


def open_stored(store: RunStore | None, history, store_id: int, which: str):
    """(the stored run's model, its run in `history` or None, its StoredOrigin); PlaygroundError: why not."""
    if store is None:
        raise PlaygroundError("runs are not recorded in this session")
    loaded = store.open_model(store_id, which)
    listed = next((r for r in history.runs if r.store_id == int(store_id)), None)
    return loaded, listed, StoredOrigin(int(store_id), len(loaded.metrics), which)


def watch_fine_tune(store: RunStore | None, records: Iterable, model, lock, source, parent: int | None) -> Iterable:
    """The fine-tune's records, recorded as a run of its own when `store` records (source: the Trainer or
    LoadedModel being tuned)."""
    if store is None or not store.recording:
        return records
    from playground.engine.runs.checkpoint import checkpoint_bytes
    d = getattr(source, "dataset", None)
    n_inputs = d.n_inputs if d is not None else source.n_inputs
    class_names = list(d.class_names if d is not None else source.class_names)
    metrics = list(getattr(source, "history", None) or getattr(source, "metrics", []))

    def model_bytes() -> bytes:
        with lock:
            return checkpoint_bytes(source.config, model, n_inputs, class_names, "image", metrics)
    facts = dict(dataset_kind="image", n_inputs=n_inputs, class_names=class_names,
                 architecture=architecture(source.config, n_inputs, len(class_names)))
    return FineTuneRecorder(store, source.config, model_bytes, parent, facts).watch(records)


class FineTuneRecorder:
    """A fine-tune on my digits, recorded as a run of its own (kind 'fine-tune', parent: the tuned run)."""

    def __init__(self, store: RunStore, config, model_bytes: Callable[[], bytes], parent: int | None,
                 facts: dict) -> None:
        self.store, self.config, self.model_bytes, self.parent, self.facts = store, config, model_bytes, parent, facts
        self.run_id: int | None = None
        self.points: list[tuple[float, float]] = []

    def watch(self, records: Iterable) -> Iterator:
        from playground.engine.train.fine_tune import FineTuneEnd, FineTuneProgress, FineTuneStart
        ended = False
        try:
            for record in records:
                if isinstance(record, FineTuneStart):
                    self.run_id = self.store.create_run(
                        self.config, f"fine-tune on my digits ({record.drawings} drawings)", kind="fine-tune",
                        parent=self.parent, **self.facts)
                elif isinstance(record, FineTuneProgress):
                    self.points.append((record.fraction, record.loss))
                elif isinstance(record, FineTuneEnd) and self.run_id is not None:
                    ended = True
                    if self.points:
                        self.store.append_steps(self.run_id, 1, np.asarray(self.points, dtype=np.float32))
                    if record.status == "finished":
                        self.store.save_model(self.run_id, self.model_bytes())
                    self.store.set_notes(self.run_id, record.message)
                    self.store.finish_run(self.run_id, record.status)
                yield record
        finally:
            if not ended and self.run_id is not None:
                self.store.finish_run(self.run_id, "stopped")


def history_runs(store: RunStore | None) -> list[Run]:
    """Every stored run as a hidden RunHistory run, oldest first; its epochs are read when first shown."""
    from playground.engine.runs.stored_listing import listed_runs
    return listed_runs(store)
