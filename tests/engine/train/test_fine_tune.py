import threading

import numpy as np
import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.fine_tune import (FineTuneEnd, FineTuneProgress, FineTuneSettings, FineTuneStart,
                                         check_digit_model, fine_tune)
from playground.engine.train.training import Trainer, predict_proba


@pytest.fixture(scope="module")
def digit_trainer(small_digits):
    trainer = Trainer(TrainConfig(hidden=(64,), dropout=(0.0,), epochs=2, device="cpu", augment=False),
                      small_digits)
    for _ in trainer.run():
        pass
    return trainer


def mirrored_writer(dataset, per_digit: int, offset: int):
    """A 'writer' who writes every digit mirrored: a style the model has never seen."""
    images, labels = [], []
    for digit in range(10):
        mine = (dataset.test_y == digit).nonzero().flatten()[offset:offset + per_digit]
        images.append(dataset.test_x[mine].flip(-1))
        labels.append(dataset.test_y[mine])
    return torch.cat(images).numpy(), torch.cat(labels).numpy()


def accuracy(model, images, labels) -> float:
    return float((predict_proba(model, torch.from_numpy(images)).argmax(1).numpy() == labels).mean())


def test_fine_tune_learns_a_writers_style_without_forgetting(digit_trainer, small_digits):
    model = digit_trainer.model
    original = {k: v.clone() for k, v in model.state_dict().items()}
    taught = mirrored_writer(small_digits, 5, 0)
    others = mirrored_writer(small_digits, 20, 5)
    before = accuracy(model, *others)
    records = list(fine_tune(model, *taught, base=small_digits, lock=digit_trainer.weights_lock,
                             settings=FineTuneSettings(steps=200)))
    start, end = records[0], records[-1]
    assert isinstance(start, FineTuneStart) and isinstance(end, FineTuneEnd)
    assert [r.step for r in records if isinstance(r, FineTuneProgress)][-1] == 200
    assert end.status == "finished" and end.mine_after > end.mine_before
    after = accuracy(model, *others)            # the model itself now has the tuned weights
    assert after >= before + 0.15, (before, after)
    assert end.replay_after >= end.replay_before - 0.05, end   # mixing in the old data: no forgetting
    model.load_state_dict(original)


def test_a_stopped_fine_tune_keeps_the_old_weights(digit_trainer, small_digits):
    model = digit_trainer.model
    original = {k: v.clone() for k, v in model.state_dict().items()}
    stop = threading.Event()
    records = []
    for record in fine_tune(model, *mirrored_writer(small_digits, 3, 0), base=None, stop=stop):
        records.append(record)
        if isinstance(record, FineTuneProgress):
            stop.set()
    assert records[-1].status == "stopped" and records[-1].replay_name is None
    assert all(torch.equal(original[k], v) for k, v in model.state_dict().items())


def test_fine_tune_refuses_empty_and_one_class_sets_and_other_models(digit_trainer):
    with pytest.raises(PlaygroundError, match="empty"):
        next(fine_tune(digit_trainer.model, np.zeros((0, 28, 28), np.uint8), np.zeros(0, np.int64)))
    with pytest.raises(PlaygroundError, match="only 2s"):
        next(fine_tune(digit_trainer.model, np.full((3, 28, 28), 9, np.uint8), np.full(3, 2)))
    with pytest.raises(PlaygroundError, match="digit model"):
        check_digit_model(2, ["0", "1"], "points")
