"""The training session: owns the worker QThread and the Trainer, and turns clicks into engine calls.

One job (train, step) runs at a time in its own QThread. The worker iterates the engine's generator and
emits the plain records in batches, at most ~30 times a second. Pause and stop go through the engine's
RunControl (thread-safe events), because a signal sent to a busy worker would never arrive.
"""
from __future__ import annotations

import time
from pathlib import Path
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch
from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..engine.checkpoint import LoadedModel, save_checkpoint
from ..engine.config import TrainConfig
from ..engine.datasets import POINT_DATASETS, Dataset, load_dataset
from ..engine.devices import device_label
from ..engine.records import RunEnd
from ..engine.boundary import plane_extent
from ..engine.errors import PlaygroundError
from ..engine.training import RunControl, Trainer, boundary_of, evaluate_test_split, predict_proba
from ..engine.weight_images import MAX_TILES, first_layer_units, first_layer_weights
from .background import failure_message

EMIT_INTERVAL = 1 / 15   # at most 15 batches of records a second: each wakes the GUI thread
# Settings that can change on a live model; any other change makes the model stale.
LIVE_FIELDS = {"lr", "epochs", "data_dir"}


@dataclass(frozen=True)
class Status:
    """A progress message from the worker (loading data, building the model)."""
    text: str


@dataclass(frozen=True)
class TrainerReady:
    fresh: bool          # True when this run starts from freshly initialised weights
    device_label: str
    steps_per_epoch: int
    same_model: bool = False   # True when training continues the model of the previous job


@dataclass(frozen=True)
class TestSplit:
    """The test split a loaded model is being measured on (the records after it describe it)."""
    dataset: Dataset


@dataclass(frozen=True)
class FirstLayer:
    weights: np.ndarray     # (units, inputs) now, the first MAX_TILES units
    initial: np.ndarray     # the same when this run began
    units: int              # all units of the layer
    kind: str               # the dataset kind: "image" or "points"
    hidden: bool            # False for softmax regression: the first layer is the output layer


class _Worker(QObject):
    records = Signal(list)
    failed = Signal(str)
    done = Signal()

    def __init__(self, job: Callable[[], Iterator]) -> None:
        super().__init__()
        self._job = job

    @Slot()
    def run(self) -> None:
        buffer: list = []
        last = 0.0
        try:
            for record in self._job():
                buffer.append(record)
                now = time.monotonic()
                if now - last >= EMIT_INTERVAL or isinstance(record, (RunEnd, TrainerReady)):
                    self.records.emit(buffer)
                    buffer, last = [], now
            if buffer:
                self.records.emit(buffer)
        except Exception as exc:  # a CUDA error or a bug: report it, keep the window alive
            self.failed.emit(failure_message(exc))
        finally:
            self.done.emit()


class TrainingSession(QObject):
    records = Signal(list)      # batches of StepRecord / EpochRecord / RunEnd / Status / TrainerReady
    failed = Signal(str)
    state_changed = Signal(str)  # idle, running, paused, stopping
    model_reset = Signal()

    def __init__(self, config: TrainConfig, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.config = config
        self.trainer: Trainer | None = None
        self._initial_weights = np.zeros((0, 0), dtype=np.float32)   # the trainer's first layer when it began
        self.loaded: LoadedModel | None = None
        self.stale = False
        self.state = "idle"
        self.control = RunControl()
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._after_job: Callable[[], None] | None = None
        self._datasets: dict[tuple, Dataset] = {}

    # --- configuration -------------------------------------------------------------------------
    def set_config(self, config: TrainConfig) -> None:
        old, self.config = self.config, config
        current = self.trainer.config if self.trainer else (self.loaded.config if self.loaded else old)
        structural = {k for k, v in config.to_dict().items() if current.to_dict()[k] != v} - LIVE_FIELDS
        if structural and (self.trainer or self.loaded):
            self.stale = True
        if config.lr != old.lr and self.trainer is not None:
            if self.is_busy:
                self.control.set_lr(config.lr)
            else:
                self.trainer.set_lr(config.lr)
        if self.trainer is not None and not self.stale and config.epochs != self.trainer.config.epochs:
            self.trainer.config = self.trainer.config.replace(epochs=config.epochs)
            self.trainer.total_steps = self.trainer.steps_per_epoch * config.epochs

    def save_checkpoint(self, path: str | Path) -> None:
        """Save the current (or loaded) model; safe mid-run. Raises PlaygroundError when there is none."""
        if self.trainer is not None:
            trainer = self.trainer
            with trainer.weights_lock:
                d = trainer.dataset
                save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names, d.kind,
                                trainer.history)
        elif self.loaded is not None:
            loaded = self.loaded
            save_checkpoint(path, loaded.config, loaded.model, loaded.n_inputs, loaded.class_names,
                            loaded.kind, loaded.metrics)
        else:
            raise PlaygroundError("There is no model to save yet: train first.")

    def set_loaded(self, loaded: LoadedModel) -> None:
        self.loaded, self.trainer, self.stale = loaded, None, False
        self.config = loaded.config

    @property
    def is_busy(self) -> bool:
        return self._thread is not None

    @property
    def can_continue(self) -> bool:
        """True when Train would continue the current model rather than start a new run."""
        if self.stale:
            return False
        if self.trainer is not None:
            return not self.trainer.diverged and self.trainer.epoch < self.config.epochs
        if self.loaded is not None:
            return len(self.loaded.metrics) < self.config.epochs
        return False

    # --- commands ----------------------------------------------------------------------------
    def train(self) -> None:
        """Train button: start, pause, or resume."""
        if self.state == "running":
            self.control.pause()
            self._set_state("paused")
        elif self.state == "paused":
            if self.stale:
                self._after_job = lambda: self._start(fresh=True)
                self.stop()
            else:
                self.control.resume()
                self._set_state("running")
        elif not self.is_busy:
            self._start(fresh=not self.can_continue)

    def stop(self) -> None:
        if self.is_busy:
            self.control.stop()
            self._set_state("stopping")

    def reset(self) -> None:
        """Re-initialise the weights: the next Train starts from fresh weights."""
        def do_reset() -> None:
            self.trainer, self.loaded, self.stale = None, None, False
            self.model_reset.emit()
        if self.is_busy:
            self._after_job = do_reset
            self.stop()
        else:
            do_reset()

    def step(self) -> None:
        if self.is_busy:
            return
        self._launch(self._job(fresh=not self.can_continue, steps=1))

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Stop any job and join its thread (GUI thread only, e.g. from closeEvent); None waits for as long as
        the job takes (a dataset being generated or downloaded cannot be interrupted half-way)."""
        self._after_job = None
        if self._thread is None:
            return True
        self.control.stop()
        thread = self._thread
        thread.quit()
        finished = thread.wait() if timeout_ms is None else thread.wait(timeout_ms)
        if finished:
            self._on_thread_finished()
        return finished

    # --- jobs --------------------------------------------------------------------------------
    def _start(self, fresh: bool) -> None:
        self._launch(self._job(fresh=fresh, steps=None))

    def _dataset(self, config: TrainConfig) -> Dataset:
        key = (config.dataset, config.data_dir, config.seed if config.dataset in POINT_DATASETS else None,
               config.classes)
        if key not in self._datasets:
            self._datasets.clear()  # keep one dataset in memory at a time
            self._datasets[key] = load_dataset(config)
        return self._datasets[key]

    def _job(self, fresh: bool, steps: int | None) -> Callable[[], Iterator]:
        config = self.config
        loaded = self.loaded if not self.stale else None

        def job() -> Iterator:
            trainer = self.trainer
            new_run = fresh or trainer is None
            if new_run:
                yield Status(f"loading {config.dataset}…" if config.dataset != "synthetic-digits" else
                             "preparing the built-in digits (about 10 s the first time, then cached)…")
                dataset = self._dataset(config)
                yield Status("building the network…")
                trainer = Trainer(config, dataset)
                if loaded is not None and not fresh:
                    trainer.model.load_state_dict(loaded.model.state_dict())
                    trainer.history = list(loaded.metrics)
                    trainer.epoch = len(loaded.metrics)
                    trainer.global_step = trainer.epoch * trainer.steps_per_epoch
                # kept to show what training changed, for the units the Weights tab can show
                self._initial_weights = first_layer_weights(trainer.model, MAX_TILES)
                self.trainer = trainer
                self.stale = False
            yield TrainerReady(fresh=new_run and (loaded is None or fresh),
                               device_label=device_label(trainer.device),
                               steps_per_epoch=trainer.steps_per_epoch, same_model=not new_run)
            if steps is None:
                yield from trainer.run(self.control)
            else:
                yield from trainer.step()
        return job

    def evaluate_loaded(self) -> None:
        """Measure a loaded checkpoint on its dataset's test split in the background, so the Mistakes and
        Decision boundary tabs can show it without training."""
        if self.is_busy or self.loaded is None:
            return
        loaded = self.loaded

        def job() -> Iterator:
            config = loaded.config
            yield Status(f"measuring the checkpoint on the {config.dataset} test split…")
            dataset = load_dataset(config, need_train=False, allow_download=False)
            if dataset.n_inputs != loaded.n_inputs or dataset.n_classes != len(loaded.class_names):
                raise PlaygroundError(f"the checkpoint does not fit {config.dataset}: it takes {loaded.n_inputs} "
                                      f"inputs and {len(loaded.class_names)} classes")
            yield TestSplit(dataset)
            record = evaluate_test_split(loaded.model, dataset, config.loss).test_record(len(loaded.metrics))
            yield record
            if dataset.kind == "points":
                yield boundary_of(loaded.model, plane_extent(dataset.test_x), record.epoch)
            wrong = int((record.predicted != dataset.test_y.numpy()).sum())
            yield Status(f"checkpoint on the {config.dataset} test split: {wrong:,} of {len(dataset.test_y):,} "
                         f"wrong")
        self._launch(job, state="busy")

    def download(self, name: str, done: Callable[[], None] | None = None) -> None:
        """Download an MNIST-family set with torchvision in the background."""
        if self.is_busy:
            return
        root = self.config.data_dir

        def job() -> Iterator:
            from ..engine.datasets import mnist_family
            yield Status(f"downloading {name}…")
            mnist_family.download(name, Path(root) if root else None)
            yield Status(f"{name} is downloaded")
        self._after_job = done
        self._launch(job, state="busy")

    def _launch(self, job: Callable[[], Iterator], state: str = "running") -> None:
        self.control = RunControl()
        thread = QThread()
        worker = _Worker(job)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.records.connect(self.records)
        worker.failed.connect(self.failed)
        worker.done.connect(thread.quit)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        self._set_state(state)
        thread.start()

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, worker = self._thread, self._worker
        if thread is None:
            return
        thread.wait()
        self._thread = self._worker = None
        worker.deleteLater()
        thread.deleteLater()
        self._set_state("idle")
        after, self._after_job = self._after_job, None
        if after is not None:
            after()

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.state_changed.emit(state)

    # --- predictions for other views ----------------------------------------------------------
    def first_layer_weights(self) -> FirstLayer | None:
        """The first Linear layer's weights now and when the run began, or None when there is no model."""
        if self.trainer is not None:
            trainer = self.trainer
            with trainer.weights_lock:
                weights = first_layer_weights(trainer.model, MAX_TILES)
            return FirstLayer(weights, self._initial_weights, first_layer_units(trainer.model), trainer.dataset.kind,
                              bool(trainer.config.hidden))
        if self.loaded is not None:
            weights = first_layer_weights(self.loaded.model, MAX_TILES)
            return FirstLayer(weights, weights, first_layer_units(self.loaded.model), self.loaded.kind,
                              bool(self.loaded.config.hidden))
        return None

    def predict_proba(self, x: torch.Tensor) -> torch.Tensor | None:
        """Probabilities from the newest weights (thread-safe), or None when there is no model yet."""
        if self.trainer is not None:
            return self.trainer.predict_proba(x)
        if self.loaded is not None:
            return predict_proba(self.loaded.model, x)
        return None
