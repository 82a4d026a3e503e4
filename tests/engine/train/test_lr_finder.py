"""The learning-rate range test and its suggestion."""
import json

import numpy as np
import pytest
import torch

from playground.cli import main
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.lr_finder import find_lr, lr_schedule, smooth, suggest
from playground.engine.train.records import EpochRecord
from playground.engine.train.training import Trainer


def test_schedule_grows_by_the_same_factor_each_step():
    lrs = lr_schedule(100, 1e-7, 10.0)
    assert lrs[0] == pytest.approx(1e-7) and lrs[-1] == pytest.approx(10.0)
    ratios = lrs[1:] / lrs[:-1]
    assert np.allclose(ratios, ratios[0])


def test_smoothing_is_bias_corrected():
    assert smooth([2.0, 2.0, 2.0]) == pytest.approx([2.0, 2.0, 2.0])


def test_adam_gets_the_steepest_descent():
    lrs = list(lr_schedule(60, 1e-5, 1.0))
    x = np.log10(lrs)
    loss = list(2.0 - 1.5 / (1 + np.exp(-(x + 3) * 4)) + np.where(x > -1, (x + 1) * 5, 0))
    lr, method, sentence = suggest(lrs, loss, "adam")
    assert method == "steepest" and lr == pytest.approx(1e-3, rel=0.3)
    assert sentence.count(".") >= 1 and "steepest" in sentence


def test_sgd_gets_a_tenth_of_the_floor_end():
    lrs = list(lr_schedule(60, 1e-5, 1.0))
    x = np.log10(lrs)
    loss = list(np.where(x < -2, 1.0, 0.5) + np.where(x > -0.5, (x + 0.5) * 4, 0))
    lr, method, _ = suggest(lrs, loss, "sgd")
    assert method == "minimum/10" and lr == pytest.approx(10 ** -0.5 / 10, rel=0.3)


def test_a_curve_that_explodes_at_once_is_explained():
    with pytest.raises(PlaygroundError, match="exploded"):
        suggest([1e-7, 1e-6], [1.0, 50.0])


def test_repeatable_and_leaves_the_global_generator_alone():
    config = TrainConfig(dataset="moons", hidden=(16,), dropout=(0.2,), device="cpu")
    torch.manual_seed(123)
    before = torch.get_rng_state()
    a = find_lr(config, steps=40)
    assert torch.equal(torch.get_rng_state(), before)
    b = find_lr(config, steps=40)
    assert a.losses == b.losses and a.suggested_lr == b.suggested_lr
    assert len(a.lrs) == len(a.losses) <= 40


def test_stops_when_the_loss_explodes():
    finding = find_lr(TrainConfig(dataset="moons", optimizer="sgd", hidden=(32,), device="cpu"), end_lr=1e4)
    assert finding.stopped_early and finding.lrs[-1] < 1e4
    assert max(finding.losses) > 4 * min(finding.losses) * 0.99


@pytest.mark.slow
def test_moons_sgd_suggestion_trains_to_95_percent_in_20_epochs():
    config = TrainConfig(dataset="moons", optimizer="sgd", device="cpu")
    finding = find_lr(config)
    trainer = Trainer(config.replace(lr=finding.suggested_lr, epochs=20))
    accuracy = [r.test_accuracy for r in trainer.run() if isinstance(r, EpochRecord)][-1]
    assert accuracy >= 0.95, (finding.suggested_lr, accuracy)


@pytest.mark.slow
def test_digits_adam_suggestion_is_between_1e4_and_1e2(small_digits):
    finding = find_lr(TrainConfig(device="cpu"), dataset=small_digits)
    assert 1e-4 <= finding.suggested_lr <= 1e-2, finding.suggested_lr


def test_cli_json(capsys):
    assert main(["lr-find", "--dataset", "xor", "--hidden", "8", "--device", "cpu", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) == {"suggested_lr", "lrs", "losses"}
    assert len(out["lrs"]) == len(out["losses"]) > 10 and out["suggested_lr"] > 0


def test_cli_text_explains(capsys):
    assert main(["lr-find", "--dataset", "xor", "--hidden", "8", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "suggested learning rate" in out


def test_cli_bad_option_is_one_line(capsys):
    assert main(["lr-find", "--dataset", "nope"]) != 0
    err = capsys.readouterr().err
    assert "unknown dataset" in err and len(err.strip().splitlines()) == 1
