"""Plain metric records the training loop yields: floats, lists and numpy arrays, never live tensors."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:   # only annotations need it; the run store reads records without importing torch
    from playground.engine.config import TrainConfig


@dataclass(frozen=True)
class RunStarted:
    """The first record of every training job: the facts the views need about the model and its data."""
    config: TrainConfig
    kind: str                       # the dataset kind: "image" or "points"
    input_shape: tuple[int, ...]    # one sample, e.g. (28, 28) or (2,)
    n_inputs: int
    class_names: tuple[str, ...]
    device_label: str
    steps_per_epoch: int
    layer_sizes: tuple[int, ...]    # inputs, hidden widths, classes
    fresh: bool          # True when this run starts from freshly initialised weights
    continued: bool      # True when training goes on with the model of the previous job
    dataset: Any = None  # the engine's Dataset (CPU tensors, never changed) for the test-split views

    @property
    def n_classes(self) -> int:
        return len(self.class_names)


@dataclass(frozen=True)
class StepRecord:
    epoch: int            # 1-based epoch this step belongs to
    step: int             # global step count (batches done since the run began)
    progress: float       # fraction of the whole run done, 0..1
    loss: float           # this batch's loss
    samples_per_second: float
    grad_norms: tuple[float, ...] = ()   # weight-gradient L2 norm per Linear layer, input to output
    epoch_position: float = 0.0   # epochs done, as a float: the x of the batch-loss curve
    eta_seconds: float = 0.0      # training time left at this speed (evaluation excluded)


@dataclass(frozen=True)
class EpochRecord:
    epoch: int
    # measured after the epoch like the test figures: evaluation mode (no dropout), no augmentation, on a
    # fixed subset of the training split (the running batch loss is in the StepRecords)
    train_loss: float
    train_accuracy: float | None
    test_loss: float
    test_accuracy: float | None
    seconds: float         # training time of this epoch, evaluation excluded
    step: int = 0
    # a regression run has no accuracy (None above): its figures are RMSE and R² instead (None otherwise)
    regression: bool = False
    train_rmse: float | None = None
    train_r2: float | None = None
    test_rmse: float | None = None
    test_r2: float | None = None

    def summary(self) -> str:
        """One line for a status bar: the epoch's loss and accuracy (R² and RMSE for a regression)."""
        if self.regression:
            return (f"epoch {self.epoch}: train loss {self.train_loss:.4f} R² {self.train_r2:.3f} · "
                    f"test loss {self.test_loss:.4f} R² {self.test_r2:.3f} RMSE {self.test_rmse:.4g}")
        return (f"epoch {self.epoch}: train loss {self.train_loss:.4f} acc {self.train_accuracy:.3f} · "
                f"test loss {self.test_loss:.4f} acc {self.test_accuracy:.3f}")

    def to_json_dict(self) -> dict:
        """The `train --json` / CSV columns: accuracy for classification, RMSE and R² for regression."""
        d = asdict(self)
        d.pop("step")
        hidden = ("train_accuracy", "test_accuracy") if self.regression else REGRESSION_FIELDS
        for key in (*hidden, "regression"):
            d.pop(key)
        if self.regression:
            seconds = d.pop("seconds")
            d["seconds"] = seconds
        return d


REGRESSION_FIELDS = ("train_rmse", "train_r2", "test_rmse", "test_r2")


@dataclass(frozen=True)
class RunEnd:
    status: str            # "finished", "stopped" or "diverged"
    message: str
    epoch: int = 0
    step: int = 0


@dataclass(frozen=True)
class LayerStats:
    name: str
    weight_grad_norm: float
    bias_grad_norm: float
    activation_mean: float
    activation_std: float
    saturated_fraction: float = 0.0   # units whose local slope |f'(z)| < 0.01 (dead ReLUs, flat sigmoids)

    def to_json_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class LayerRecord:
    """Per-layer gradient norms and activation statistics on a fixed probe batch, once an epoch."""
    epoch: int
    step: int
    layers: tuple[LayerStats, ...]


@dataclass(frozen=True)
class TestRecord:
    """The model's answer for every test sample after an epoch (plain numpy, safe to hand to the window)."""
    __test__ = False   # not a pytest test class, despite the name

    epoch: int
    predicted: np.ndarray    # (N,) int64 class index
    confidence: np.ndarray   # (N,) float32 probability the model gave its predicted class
    when: str = ""           # what the answers are from, when not an epoch ("After fine-tuning on my digits")


@dataclass(frozen=True)
class Status:
    """A progress message from a job (loading data, building the model) for the status bar."""
    text: str


@dataclass(frozen=True)
class DataOpened:
    """Your own data was read and checked (File > Open data…): the config that names it and the Dataset."""
    config: TrainConfig
    dataset: Any


@dataclass(frozen=True)
class TestSplit:
    """The test split a loaded model is being measured on (the records after it describe it)."""
    __test__ = False
    dataset: Any


def with_status(steps):
    """The records of the generator `steps`, each with a `status_line` (a progress record, such as
    digit_mix.Preparing) followed by that line as a Status record; returns what `steps` returns."""
    while True:
        try:
            record = next(steps)
        except StopIteration as done:
            return done.value
        yield record
        line = getattr(record, "status_line", None)
        if line is not None:
            yield Status(line)


Record = RunStarted | StepRecord | EpochRecord | LayerRecord | TestRecord | RunEnd
__all__ = ["RunStarted", "Status", "TestSplit", "DataOpened", "StepRecord", "EpochRecord", "LayerRecord", "TestRecord", "RunEnd", "LayerStats", "Record"]
