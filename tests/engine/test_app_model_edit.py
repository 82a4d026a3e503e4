"""Editing one weight or bias through the application model (the Network tab's edits)."""
import pytest

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.model import linear_layers
from playground.engine.train.records import Status, TestRecord


def _trained() -> AppModel:
    model = AppModel(TrainConfig(dataset="moons", hidden=(3,), dropout=(0.0,), epochs=1, device="cpu"))
    for record in model.train_job(fresh=True)():
        model.apply(record)
    return model


def test_an_edit_reaches_the_weights_a_new_snapshot_and_the_test_figures():
    model = _trained()
    before = model.snapshot()
    job = model.set_parameter(1, 2, 0, 1.25)
    assert linear_layers(model.trainer.model)[0][1].weight[2, 0].item() == pytest.approx(1.25)
    after = model.snapshot()
    assert after.version > before.version and after.layers[0][0][2, 0] == pytest.approx(1.25)
    records = list(job())
    assert any(isinstance(r, TestRecord) for r in records)
    assert "-> +1.250" in [r for r in records if isinstance(r, Status)][-1].text
    model.set_parameter(2, 1, None, -0.5)
    assert model.snapshot().layers[1][1][1] == pytest.approx(-0.5)


def test_edits_are_refused_without_a_model_or_during_a_run_and_for_units_that_do_not_exist():
    with pytest.raises(PlaygroundError, match="train first"):
        AppModel(TrainConfig(dataset="moons", device="cpu")).set_parameter(1, 0, 0, 1.0)
    model = AppModel(TrainConfig(dataset="moons", hidden=(3,), dropout=(0.0,), epochs=50, device="cpu"))
    job = model.train_job(fresh=True)()
    for record in job:
        model.apply(record)
        if type(record).__name__ == "StepRecord":
            break
    with pytest.raises(PlaygroundError, match="Stop"):
        model.set_parameter(1, 0, 0, 1.0)
    model.control.stop()
    for _ in job:
        pass
    with pytest.raises(PlaygroundError):
        model.set_parameter(1, 7, 0, 1.0)
