"""A first epoch while the training split is still being made (Trainer.stream_from), as a fresh install's
first Train does with the built-in digits, and the app model's job that sets it up."""
import functools

import pytest
import torch

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.datasets import builtin_digits
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.digit_mix import Preparing
from playground.engine.train.records import EpochRecord, RunEnd, Status, StepRecord
from playground.engine.train.training import Trainer


class ChunkFill:
    """Makes `x, y` in chunks of `size`, counting how often it was asked."""

    def __init__(self, x: torch.Tensor, y: torch.Tensor, size: int, into: Dataset) -> None:
        self.x, self.y, self.size, self.into, self.ready, self.calls = x, y, size, into, size, 0
        into.train_x[:size], into.train_y[:size] = x[:size], y[:size]

    @property
    def complete(self) -> bool:
        return self.ready == len(self.y)

    def next(self):
        if self.complete:
            return None
        self.calls += 1
        start, end = self.ready, min(self.ready + self.size, len(self.y))
        self.into.train_x[start:end], self.into.train_y[start:end] = self.x[start:end], self.y[start:end]
        self.ready = end
        return start, self.x[start:end], self.y[start:end], Preparing(end, len(self.y), 0.0)


def test_the_first_epoch_trains_while_the_split_is_made_and_the_curves_see_all_of_it(small_digits):
    x, y = small_digits.train_x[:1200], small_digits.train_y[:1200]
    data = Dataset("d", "image", torch.zeros_like(x), torch.zeros_like(y), small_digits.test_x[:200],
                   small_digits.test_y[:200], small_digits.class_names)
    fill = ChunkFill(x, y, 300, data)
    config = TrainConfig(hidden=(32,), epochs=2, batch_size=50, device="cpu", augment=False)
    trainer = Trainer(config, data)
    trainer.stream_from(fill)
    assert trainer.making
    records = list(trainer.run())
    made = [r for r in records if isinstance(r, Preparing)]
    assert [r.done for r in made] == [600, 900, 1200] and not trainer.making
    # the first loss point comes before the split is complete: training started on the first chunk
    first_step = next(i for i, r in enumerate(records) if isinstance(r, StepRecord))
    assert first_step < records.index(made[-1])
    assert torch.equal(trainer.train_y, y) and torch.equal(data.train_x, x)
    epochs = [r for r in records if isinstance(r, EpochRecord)]
    assert len(epochs) == 2 and isinstance(records[-1], RunEnd) and records[-1].status == "finished"
    # the train figures are measured on the whole split, not on the zeros it started with
    assert epochs[0].train_accuracy > 0.3


def test_a_stopped_step_still_makes_the_rest(small_digits):
    x, y = small_digits.train_x[:600], small_digits.train_y[:600]
    data = Dataset("d", "image", torch.zeros_like(x), torch.zeros_like(y), small_digits.test_x[:100],
                   small_digits.test_y[:100], small_digits.class_names)
    fill = ChunkFill(x, y, 200, data)
    trainer = Trainer(TrainConfig(hidden=(16,), epochs=1, batch_size=50, device="cpu"), data)
    trainer.stream_from(fill)
    stepped = trainer.step()     # a chunk is made after each loss point
    assert [r.done for r in stepped if isinstance(r, Preparing)] == [400] and trainer.making
    assert [r.done for r in trainer.finish_making()] == [600]
    assert not trainer.making and torch.equal(data.train_y, y)


@pytest.mark.slow
def test_a_fresh_install_trains_on_the_built_in_digits_while_they_are_made(data_home, monkeypatch):
    monkeypatch.setattr(builtin_digits, "preparing",
                        functools.partial(builtin_digits.preparing, n_train=5000, n_test=300))
    model = AppModel(TrainConfig(hidden=(16,), epochs=1, device="cpu"))
    model.new_control()
    records = list(model.train_job(fresh=True)())
    kinds = [type(r) for r in records]
    first_step = kinds.index(StepRecord)
    before = [r for r in records[:first_step] if isinstance(r, Preparing)]
    after = [r for r in records[first_step:] if isinstance(r, Preparing)]
    assert before[-1].done == 300 + 4096 and after and after[-1].done == after[-1].total == 5300
    assert any(isinstance(r, Status) and "5,300 of 5,300" in r.text for r in records)
    assert isinstance(records[-1], RunEnd) and records[-1].status == "finished"
    # what was made while training is what the cache now holds, and what a later load reads
    monkeypatch.undo()
    again = builtin_digits.load(n_train=5000, n_test=300)
    assert torch.equal(again.train_x, model.trainer.dataset.train_x)
    assert torch.equal(again.train_y, model.trainer.train_y)


def test_progress_reaches_the_views_through_the_preparing_event():
    model = AppModel(TrainConfig(dataset="moons", device="cpu"))
    seen = []
    model.events.preparing.connect(seen.append)
    record = Preparing(4096, 130_000, 9.5)
    model.apply(record)
    assert seen == [record] and "4,096 of 130,000 (3 %), about 10 s left" in record.status_line
