"""The longer jobs the application model hands out: measuring a loaded checkpoint, fine-tuning on my digits, and
downloading a dataset.

Each returns a generator function for the job runner's worker thread; its records come back to
`AppModel.apply` on the GUI thread like any other job's.
"""
from __future__ import annotations

import copy
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from playground.engine.datasets import load_dataset
from playground.engine.errors import PlaygroundError
from playground.engine.inspect.boundary import plane_extent
from playground.engine.runs import app_recording
from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.train.evaluation import boundary_of, evaluate_test_split
from playground.engine.train.records import Status, TestSplit

if TYPE_CHECKING:
    from playground.engine.app_model import AppModel


def fine_tune_job(app: AppModel, images, labels) -> Callable[[], Iterator]:
    """Fine-tune `app`'s current digit model on my digits, mixed with its own dataset (see fine_tune.py)."""
    from playground.engine.train.fine_tune import FineTuneEnd, check_digit_model, fine_tune
    trainer, loaded, control = app.trainer, app.loaded, app.control
    parent = app.runs.current.store_id if app.runs.current is not None else None

    def bump_trainer() -> None:
        trainer.weights_version += 1

    def job() -> Iterator:
        if trainer is not None:
            d = trainer.dataset
            check_digit_model(d.n_inputs, d.class_names, d.kind)
            model, lock, base, loss, bump = trainer.model, trainer.weights_lock, d, trainer.config.loss, \
                bump_trainer
        elif loaded is not None:
            check_digit_model(loaded.n_inputs, loaded.class_names, loaded.kind)
            model, lock, loss, bump = loaded.model, app._loaded_lock, loaded.config.loss, app.loaded_weights_changed
            yield Status(f"loading {loaded.config.dataset} to mix with my digits…")
            try:
                base = load_dataset(loaded.config.replace(mix_my_digits=False), allow_download=False)
            except PlaygroundError:
                base = None    # not on disk: tune on my digits alone rather than download it
        else:
            raise PlaygroundError("There is no model to fine-tune yet: train first.")
        yield Status("fine-tuning on my digits…")
        end = None
        tuning = fine_tune(model, images, labels, base, lock, loss=loss, stop=control.stop_requested, on_swap=bump)
        for record in app_recording.watch_fine_tune(app.store, tuning, model, lock, trainer or loaded, parent):
            end = record if isinstance(record, FineTuneEnd) else end
            yield record
        if end is not None and end.status == "finished" and base is not None:
            # the Mistakes tab would otherwise go on showing the untuned model's mistakes
            yield Status("measuring the tuned model on the test split…")
            with lock:
                tuned = copy.deepcopy(model)
            device = next(tuned.parameters()).device
            epoch = trainer.epoch if trainer is not None else len(loaded.metrics)
            result = evaluate_test_split(tuned, base, loss, device)
            yield replace(result.test_record(epoch), when="After fine-tuning on my digits")
            wrong = int((result.predicted != base.test_y).sum())
            yield Status(f"fine-tuned on my digits: {wrong:,} of {len(base.test_y):,} {base.name} test examples "
                         f"wrong")
        elif end is not None:
            yield Status(end.message)
    return job


def evaluate_loaded_job(loaded: LoadedModel) -> Callable[[], Iterator]:
    """Measure a loaded checkpoint on its dataset's test split, for the Mistakes and boundary views."""
    def job() -> Iterator:
        config = loaded.config
        yield Status(f"measuring the checkpoint on the {config.dataset} test split…")
        dataset = load_dataset(config, need_train=False, allow_download=False, recipe=loaded.recipe)
        if dataset.n_inputs != loaded.n_inputs or dataset.n_outputs != len(loaded.class_names):
            raise PlaygroundError(f"the checkpoint does not fit {config.dataset}: it takes {loaded.n_inputs} "
                                  f"inputs and {len(loaded.class_names)} classes")
        yield TestSplit(dataset)
        record = evaluate_test_split(loaded.model, dataset, config.loss).test_record(len(loaded.metrics))
        yield record
        if dataset.kind == "points":
            yield boundary_of(loaded.model, plane_extent(dataset.test_x), record.epoch,
                              regression=dataset.is_regression)
        if dataset.is_regression:
            yield Status(f"checkpoint on the {config.dataset} test split: largest error "
                         f"{float(record.confidence.max(initial=0.0)):.4g}")
            return
        wrong = int((record.predicted != dataset.test_y.numpy()).sum())
        yield Status(f"checkpoint on the {config.dataset} test split: {wrong:,} of {len(dataset.test_y):,} "
                     f"wrong")
    return job


def download_job(name: str, root: Path | None, cancel: Callable[[], bool]) -> Callable[[], Iterator]:
    """Download an MNIST-family set: DownloadProgress records; `cancel()` true stops it, leaving no partial
    file."""
    def job() -> Iterator:
        from playground.engine.datasets.downloads import DownloadCancelled, download_records
        yield Status(f"downloading {name}…")
        try:
            yield from download_records(name, root, cancel)
        except DownloadCancelled:
            yield Status(f"download of {name} cancelled; no partial file was kept")
            return
        yield Status(f"{name} is downloaded")
    return job
