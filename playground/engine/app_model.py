"""The application model: the runs, the current trainer or loaded model, and the facts about them.

No Qt here (see docs/ARCHITECTURE.md, "The record path"). The window's job runner runs the generators this
model hands out (`train_job`, `evaluate_loaded_job`, `download_job`, ...) on its worker thread, and the
session passes every record back to `apply()` on the GUI thread: the one consumer of records. It updates
the runs and emits the declared events in `self.events` (and the run history's, `self.runs.events`); the
views subscribe. Views change things only through the methods here, and see the weights only through
`snapshot()` (or `weights_copy()`).
With a RunStore, every run is recorded as it goes (runs/app_recording.py).
"""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Iterator

import torch

from playground.engine.runs.checkpoint import LoadedModel, load_checkpoint, save_checkpoint
from playground.engine.config import TrainConfig
from playground.engine.datasets.downloads import DownloadProgress
from playground.engine.datasets import Dataset, dataset_key, is_on_disk, load_dataset, loading_status
from playground.engine.devices import device_label
from playground.engine.errors import PlaygroundError
from playground.engine.train.evaluation import evaluate_model
from playground.engine.events import EmitterGroup
from playground.engine.model import layer_sizes
from playground.engine.inspect.network_probe import set_parameter
from playground.engine.inspect.boundary import BoundaryRecord
from playground.engine.train.records import (DataOpened, EpochRecord, LayerRecord, Record, RunEnd, RunStarted, Status,
                                            StepRecord, TestRecord, TestSplit, with_status)
from playground.engine.train.fine_tune import FineTuneEnd, FineTuneProgress, FineTuneStart
from playground.engine.datasets.digit_mix import Preparing
from playground.engine.train.run_control import RunControl
from playground.engine.runs import app_recording
from playground.engine.runs.history import RunHistory
from playground.engine.sweep_runs import SWEEP_RECORDS, SweepRuns
from playground.engine.inspect.snapshot import ModelFacts, SnapshotPredictor, WeightSnapshot, WeightSource
from playground.engine.train.training import Trainer
from playground.engine.inspect.weight_images import MAX_TILES, first_layer_weights

# Settings that can change on a live model; any other change makes the model stale.
LIVE_FIELDS = {"lr", "epochs", "data_dir"}
EDIT_REFUSED = ("Weights can be edited only while no run is going: press Stop first (the next training step "
                "would overwrite your edit).")
Job = Callable[[], Iterator]


class AppModel:
    def __init__(self, config: TrainConfig, store: app_recording.RunStore | None = None) -> None:
        self.config = config
        self.store = store                        # where every run is recorded (None: nowhere)
        self._recorder, self._origin = None, None  # the current run's Recorder; the stored run a model came from
        self.trainer: Trainer | None = None       # set by the train job (worker thread), read anywhere
        self.loaded: LoadedModel | None = None
        self.facts: ModelFacts | None = None      # about the current model, set on the GUI thread
        self.stale = False                        # settings changed: the next Train starts a new run
        self.runs = RunHistory()
        self.sweeps = SweepRuns(self.runs)        # a sweep's records go there (engine/sweep_runs.py)
        self.control = RunControl()
        self.events = EmitterGroup(
            model_changed="facts or None: the model is new, continued, loaded or reset",
            checkpoint_loaded="LoadedModel: a checkpoint became the current model",
            dataset_changed="Dataset or None: the data the current model is measured on",
            run_started="RunStarted", step="StepRecord", epoch="EpochRecord", run_ended="RunEnd",
            layers="LayerRecord", boundary="BoundaryRecord", test="TestRecord", status="Status",
            data_opened="DataOpened", download_progress="DownloadProgress",
            fine_tune="FineTuneStart, FineTuneProgress or FineTuneEnd",
            preparing="digit_mix.Preparing: how far the built-in digits are made (done, total, seconds left)")
        # what each record type tells the views, after apply() brought the model up to date
        self._record_events = {
            RunStarted: self.events.run_started, StepRecord: self.events.step, EpochRecord: self.events.epoch,
            RunEnd: self.events.run_ended, LayerRecord: self.events.layers, BoundaryRecord: self.events.boundary,
            TestRecord: self.events.test, Status: self.events.status, DataOpened: self.events.data_opened,
            Preparing: self.events.preparing}
        self._datasets: dict[tuple, Dataset] = {}
        self._source: WeightSource | None = None
        self._predictor = SnapshotPredictor()
        self._lock = threading.Lock()             # guards _active and the hand-over of pending requests
        self._active = False                      # a train job is inside Trainer.run/step
        self._loaded_lock = threading.Lock()      # a loaded model's weights (fine-tuning changes them)
        self._loaded_version = 0                  # +1 when fine-tuning changed a loaded model's weights

    # --- settings ------------------------------------------------------------------------------
    def set_config(self, config: TrainConfig) -> None:
        """New settings from the panel: live ones reach the model (safely mid-run), others make it stale."""
        old, self.config = self.config, config
        trainer = self.trainer
        current = trainer.config if trainer else (self.loaded.config if self.loaded else old)
        structural = {k for k, v in config.to_dict().items() if current.to_dict()[k] != v} - LIVE_FIELDS
        if structural and (trainer or self.loaded):
            self.stale = True
        if trainer is None:
            return
        new_lr = config.lr if config.lr != old.lr else None
        new_epochs = config.epochs if not self.stale and config.epochs != trainer.config.epochs else None
        with self._lock:
            if self._active:
                if new_lr is not None:
                    self.control.set_lr(new_lr)
                if new_epochs is not None:
                    self.control.set_epochs(new_epochs)
                return
        if new_lr is not None:
            trainer.set_lr(new_lr)
        if new_epochs is not None:
            trainer.set_epochs(new_epochs)

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

    def new_control(self) -> RunControl:
        self.control = RunControl()
        return self.control

    # --- jobs (their generators run on the worker thread) -------------------------------------------
    def _dataset(self, config: TrainConfig) -> Dataset:
        if config.dataset == "my-digits":       # small, and changes whenever a drawing is taught: never cached
            return load_dataset(config)
        key = dataset_key(config)
        if key not in self._datasets:
            self._datasets.clear()  # keep one dataset in memory at a time
            self._datasets[key] = load_dataset(config.replace(mix_my_digits=False))
        if config.mix_my_digits:
            from playground.engine.datasets.my_digits import mix_into
            return mix_into(self._datasets[key])
        return self._datasets[key]

    def provide_dataset(self, dataset: Dataset, config: TrainConfig | None = None) -> None:
        """Train on `dataset` whenever the settings name `config`'s data (default: the current settings), instead
        of loading it: how tests and benches hand the window a small or prepared dataset."""
        key = dataset_key(config or self.config)
        self._datasets.clear()
        self._datasets[key] = dataset

    def train_job(self, fresh: bool, steps: int | None = None) -> Job:
        """Train (steps=None: until config.epochs) or take `steps` steps; fresh starts from new weights."""
        config, control = self.config, self.control
        loaded = self.loaded if not self.stale else None

        def job() -> Iterator[Record]:
            trainer = self.trainer
            new_run = fresh or trainer is None
            if new_run:
                yield Status(loading_status(config))
                key, fill = dataset_key(config), None
                if config.dataset == "synthetic-digits" and key not in self._datasets and not config.mix_my_digits:
                    from playground.engine.datasets import builtin_digits   # made now: training starts on a part
                    dataset, fill = yield from with_status(builtin_digits.streamed(config.seed))
                    self.provide_dataset(dataset, config)   # complete once the fill is (see finish_making)
                else:
                    dataset = self._dataset(config)
                yield Status("building the network…")
                trainer = Trainer(config, dataset)
                if fill is not None:
                    trainer.stream_from(fill)
                if loaded is not None and not fresh:
                    trainer.continue_from(loaded.model.state_dict(), loaded.metrics)
                self._watch(trainer)
                self.trainer, self.stale = trainer, False
                self._recorder = app_recording.recorder_for(self.store, trainer, loaded and not fresh and self._origin)
            recorder = self._recorder
            yield app_recording.noted(recorder, self._run_started(trainer, fresh=new_run and (loaded is None or fresh),
                                                                  continued=not new_run))
            with self._lock:
                self._active = True
            try:
                yield from app_recording.watch(recorder, with_status(iter(trainer.run(control) if steps is None
                                                                         else trainer.step())))
                yield from with_status(trainer.finish_making())   # a run stopped before its digits were all made
            finally:
                if trainer.making:
                    self._datasets.clear()   # never keep a half-made set
                with self._lock:
                    self._active = False
                    lr, epochs = control.take_lr(), control.take_epochs()
                if lr is not None:
                    trainer.set_lr(lr)
                if epochs is not None:
                    trainer.set_epochs(epochs)
        return job

    def _watch(self, trainer: Trainer) -> None:
        d = trainer.dataset
        facts = ModelFacts(trainer.config, d.kind, tuple(d.class_names), tuple(d.test_x.shape[1:]), d.n_inputs)
        # kept to show what training changed, for the units the Weights tab can show
        initial = first_layer_weights(trainer.model, MAX_TILES)
        self._source = WeightSource(trainer.model, facts, trainer.weights_lock, lambda: trainer.weights_version,
                                    initial)

    @staticmethod
    def _run_started(trainer: Trainer, fresh: bool, continued: bool) -> RunStarted:
        d = trainer.dataset
        return RunStarted(trainer.config, d.kind, tuple(d.test_x.shape[1:]), d.n_inputs, tuple(d.class_names),
                          device_label(trainer.device), trainer.steps_per_epoch,
                          tuple(layer_sizes(trainer.config, d.n_inputs, d.n_outputs)), fresh, continued, d)

    def evaluate_loaded_job(self) -> Job | None:
        """Measure a loaded checkpoint on its dataset's test split, for the Mistakes and boundary views."""
        from playground.engine.app_jobs import evaluate_loaded_job
        return None if self.loaded is None else evaluate_loaded_job(self.loaded)

    def fine_tune_job(self, images, labels) -> Job:
        """Fine-tune the current digit model on my digits (uint8 (N, 28, 28) and labels), mixed with its own
        dataset; the model gets the tuned weights under its lock when the run ends (see fine_tune.py)."""
        from playground.engine.app_jobs import fine_tune_job
        return fine_tune_job(self, images, labels)

    def loaded_weights_changed(self) -> None:
        """Fine-tuning swapped a loaded model's weights (under its lock): snapshots copy them anew."""
        self._loaded_version += 1

    def download_job(self, name: str) -> Job:
        """Download an MNIST-family set: DownloadProgress records; the run control's stop cancels it and
        leaves no partial file."""
        from playground.engine.app_jobs import download_job
        return download_job(name, Path(self.config.data_dir) if self.config.data_dir else None,
                            self.control.stop_requested)

    def open_data_job(self, config: TrainConfig) -> Job:
        """Read and check the data `config` names (your CSV or image folder): a DataOpened record, or a
        PlaygroundError that changes nothing."""
        def job() -> Iterator:
            yield Status(f"reading {config.dataset}…")
            yield DataOpened(config, self._dataset(config))
        return job

    # --- records, on the GUI thread -------------------------------------------------------------
    def apply(self, record: object) -> None:
        """The one place a job's records arrive (GUI thread only): bring the runs up to date, then emit the
        record's event for the views."""
        kind = type(record)
        if kind is StepRecord:
            self.runs.add_step(record.epoch_position, record.loss)
        elif kind is EpochRecord:
            self.runs.add_epoch(record)
        elif kind is RunEnd:
            self.runs.set_status(record.status)
        elif kind is RunStarted:
            self.facts = self._source.facts if self._source is not None else None
            if record.fresh or self.runs.current is None:
                # the output width: the number of classes, or 1 for a regression
                self.runs.start(record.config, record.n_inputs, record.layer_sizes[-1], record.device_label)
            else:
                self.runs.set_status("running")
            app_recording.link(self._recorder, self.runs.current, record.fresh)
            self.events.model_changed(self.facts)
            if not record.continued:
                self.events.dataset_changed(record.dataset)
        elif kind is TestSplit:
            self.events.dataset_changed(record.dataset)
        elif kind in SWEEP_RECORDS:
            self.sweeps.apply(record)
        event = self._record_events.get(kind)
        if event is not None:
            event(record)
        elif kind is DownloadProgress:
            self.events.download_progress(record)
        elif kind in (FineTuneStart, FineTuneProgress, FineTuneEnd):
            self.events.fine_tune(record)

    def job_ended(self) -> None:
        """A job's thread ended: a Step, or a job that failed, ends without a RunEnd, so its run stops here."""
        if self.runs.current is not None and self.runs.current.status == "running":
            self.runs.set_status("stopped")

    def reset(self) -> None:
        """Forget the model: the next Train starts from fresh weights (not while a job runs)."""
        self.trainer, self.loaded, self.stale, self.facts, self._source = None, None, False, None, None
        self._recorder = self._origin = None
        self.runs.detach()
        self.events.model_changed(None)

    # --- checkpoints ---------------------------------------------------------------------------
    def load_checkpoint(self, path: str | Path, loaded: LoadedModel | None = None, run=None) -> LoadedModel:
        """Make a checkpoint the current model, listed as a run with its curves (or as the listed `run`), not
        while a job runs. Raises PlaygroundError for a file that is not a readable checkpoint."""
        loaded = loaded or load_checkpoint(path)
        self.loaded, self.trainer, self.stale, self._recorder, self._origin = loaded, None, False, None, None
        self.config = loaded.config
        shape = (loaded.n_inputs,) if loaded.kind != "image" else _image_shape(loaded.n_inputs)
        self.facts = ModelFacts(loaded.config, loaded.kind, tuple(loaded.class_names), shape, loaded.n_inputs)
        self._source = WeightSource(loaded.model, self.facts, self._loaded_lock, lambda: self._loaded_version,
                                    initial_first=first_layer_weights(loaded.model, MAX_TILES))
        if run is not None:
            self.runs.select(run)
        else:
            self.runs.start(loaded.config, loaded.n_inputs, len(loaded.class_names), "—", name=Path(path).name,
                            status="loaded")
            for record in loaded.metrics:
                self.runs.add_epoch(record)
        self.events.model_changed(self.facts)
        self.events.dataset_changed(None)
        self.events.checkpoint_loaded(loaded)
        return loaded

    def load_stored_runs(self) -> None:
        """List the stored runs (hidden until ticked) in the run history; at launch, before any training."""
        self.runs.add_stored(app_recording.history_runs(self.store))

    def open_stored_run(self, store_id: int, which: str = "last") -> LoadedModel:
        """Make a stored run's last or best model current; Train goes on in that run. PlaygroundError: why not."""
        loaded, listed, origin = app_recording.open_stored(self.store, self.runs, store_id, which)
        self.load_checkpoint(self.store.model_path(store_id, which), loaded, run=listed)
        self._origin = origin
        return loaded

    def save_checkpoint(self, path: str | Path) -> None:
        """Save the current (or loaded) model; safe mid-run. Raises PlaygroundError when there is none."""
        if self.trainer is not None:
            trainer = self.trainer
            with trainer.weights_lock:
                d = trainer.dataset
                # a regression's one output is saved as one "class" named after its target
                save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names or [d.target_name],
                                d.kind, trainer.history, d.recipe)
        elif self.loaded is not None:
            loaded = self.loaded
            save_checkpoint(path, loaded.config, loaded.model, loaded.n_inputs, loaded.class_names,
                            loaded.kind, loaded.metrics, loaded.recipe)
        else:
            raise PlaygroundError("There is no model to save yet: train first.")

    # --- editing one parameter (the Network tab) -----------------------------------------------------
    def set_parameter(self, layer: int, unit: int, source: int | None, value: float) -> Job | None:
        """Set one weight (source: the unit of the layer below) or, with source None, one bias of Linear layer
        `layer` (1-based), between jobs only. Returns the job that measures the edited model (test figures,
        decision boundary), or None when there is nothing to measure it on."""
        with self._lock:
            if self._active:
                raise PlaygroundError(EDIT_REFUSED)
        trainer, loaded = self.trainer, self.loaded
        if trainer is None and loaded is None:
            raise PlaygroundError("There is no model to edit yet: train first.")
        if trainer is None:
            with self._loaded_lock:
                set_parameter(loaded.model, layer, unit, source, value)
                self._loaded_version += 1
            return self.evaluate_loaded_job() if is_on_disk(loaded.config.dataset, loaded.config.data_dir) else None
        with trainer.weights_lock:
            old = set_parameter(trainer.model, layer, unit, source, value)
            trainer.weights_version += 1
        what = (f"bias of layer {layer} unit {unit + 1}" if source is None else
                f"weight into layer {layer} unit {unit + 1} from unit {source + 1}")

        def job() -> Iterator:
            with trainer.weights_lock:
                result = evaluate_model(trainer.model, trainer.loss_fn, trainer.test_x, trainer.test_y)
            yield result.test_record(trainer.epoch)
            if trainer.dataset.kind == "points":
                yield trainer.boundary_record()
            yield Status(f"{what}: {old:+.3f} -> {value:+.3f}; test loss now {result.loss:.4f}, accuracy "
                         f"{result.accuracy:.3f}")
        return job

    # --- the weights, for views ------------------------------------------------------------------
    def snapshot(self) -> WeightSnapshot | None:
        """A consistent copy of the current weights (see engine/inspect/snapshot.py), or None with no model."""
        source = self._source
        if source is None:
            return None
        with self._lock:
            limit = self._active
        return source.snapshot(limit_rate=limit)

    def weights_copy(self) -> dict | None:
        """A CPU copy of the current model's state_dict, or None when there is none or the settings changed
        its structure since (stale)."""
        if self.stale:
            return None
        if self.trainer is not None:
            trainer = self.trainer
            with trainer.weights_lock:
                return {k: v.detach().cpu().clone() for k, v in trainer.model.state_dict().items()}
        if self.loaded is not None:
            with self._loaded_lock:
                return {k: v.detach().cpu().clone() for k, v in self.loaded.model.state_dict().items()}
        return None

    def predict_proba(self, x: torch.Tensor) -> torch.Tensor | None:
        """Class probabilities for raw samples from the newest snapshot, or None when there is no model."""
        snapshot = self.snapshot()
        return None if snapshot is None else self._predictor.predict_proba(snapshot, x)


def _image_shape(n_inputs: int) -> tuple[int, ...]:
    side = int(round(n_inputs ** 0.5))
    return (side, side) if side * side == n_inputs else (n_inputs,)
