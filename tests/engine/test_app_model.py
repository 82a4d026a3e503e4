import pytest

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import EpochRecord, RunEnd, RunStarted, Status, StepRecord

MOONS = TrainConfig(dataset="moons", hidden=(16, 16), epochs=2, batch_size=64, device="cpu")


def _run(model: AppModel, fresh: bool, steps=None) -> list:
    records = list(model.train_job(fresh=fresh, steps=steps)())
    for record in records:
        model.apply(record)
    return records


def test_a_train_job_starts_with_the_facts_the_views_need_and_fills_the_run():
    model = AppModel(MOONS)
    changes = []
    model.events.model_changed.connect(changes.append)
    records = _run(model, fresh=True)
    assert isinstance(records[0], Status)
    started = next(r for r in records if isinstance(r, RunStarted))
    assert started.fresh and not started.continued and started.kind == "points"
    assert started.input_shape == (2,) and started.n_inputs == 2 and started.n_classes == 2
    assert started.layer_sizes == (2, 16, 16, 2) and started.steps_per_epoch == model.trainer.steps_per_epoch
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert steps[-1].epoch_position == pytest.approx(steps[-1].step / started.steps_per_epoch)
    assert steps[0].eta_seconds > 0 and isinstance(records[-1], RunEnd)
    run = model.runs.current
    assert len(run.epochs) == 2 and run.status == "finished" and run.steps.n == len(steps)
    assert changes and changes[-1].kind == "points" and model.facts.class_names == started.class_names


def test_live_settings_reach_the_trainer_and_others_make_it_stale():
    model = AppModel(MOONS)
    _run(model, fresh=True, steps=1)
    model.set_config(MOONS.replace(epochs=5, lr=0.05))
    assert model.trainer.config.epochs == 5 and model.trainer.total_steps == 5 * model.trainer.steps_per_epoch
    assert model.trainer.optimizer.param_groups[0]["lr"] == 0.05 and not model.stale
    model.set_config(MOONS.replace(activation="tanh"))
    assert model.stale and not model.can_continue


def test_resuming_a_loaded_checkpoint_continues_its_epochs_and_keeps_its_history(tmp_path):
    first = AppModel(MOONS.replace(epochs=1))
    _run(first, fresh=True)
    path = tmp_path / "one.pt"
    first.save_checkpoint(path)
    saved = list(first.trainer.history)

    model = AppModel(TrainConfig())
    loaded = model.load_checkpoint(path)
    assert loaded.metrics == saved and model.runs.current.status == "loaded" and model.runs.current.epochs == saved
    model.set_config(loaded.config.replace(epochs=3))
    assert model.can_continue
    records = _run(model, fresh=not model.can_continue)
    started = next(r for r in records if isinstance(r, RunStarted))
    assert not started.fresh
    assert [r.epoch for r in records if isinstance(r, EpochRecord)] == [2, 3]
    assert model.trainer.history[0] == saved[0] and len(model.trainer.history) == 3
    assert len(model.runs.runs) == 1 and [r.epoch for r in model.runs.current.epochs] == [1, 2, 3]
    assert model.trainer.global_step == 3 * model.trainer.steps_per_epoch


def test_reset_forgets_the_model_and_detaches_the_run():
    model = AppModel(MOONS)
    assert model.snapshot() is None and model.predict_proba(None) is None
    with pytest.raises(PlaygroundError, match="no model to save"):
        model.save_checkpoint("never.pt")
    _run(model, fresh=True, steps=1)
    assert model.snapshot() is not None
    changes = []
    model.events.model_changed.connect(changes.append)
    model.reset()
    assert changes == [None] and model.trainer is None and model.runs.current is None and model.snapshot() is None


def _taught_model(small_digits) -> AppModel:
    """A model trained on my digits (200 built-in test digits taught), as the Draw tab's teach panel has."""
    from playground.engine.drawing.my_digits import MyDigitsStore
    store = MyDigitsStore()
    for digit in range(10):
        for image in small_digits.test_x[small_digits.test_y == digit][:20]:
            store.add(image.numpy(), digit)
    model = AppModel(TrainConfig(dataset="my-digits", hidden=(32,), dropout=(0.0,), epochs=1, device="cpu"))
    _run(model, fresh=True)
    return model


@pytest.mark.slow
def test_a_finished_fine_tune_measures_the_tuned_model_for_the_mistakes_tab(data_home, small_digits):
    from playground.engine.train.evaluation import evaluate_test_split
    from playground.engine.train.fine_tune import FineTuneEnd
    from playground.engine.train.records import TestRecord
    model = _taught_model(small_digits)
    mirrored = small_digits.test_x[20:50].flip(-1).numpy()
    records = list(model.fine_tune_job(mirrored, small_digits.test_y[20:50].numpy())())
    end = next(r for r in records if isinstance(r, FineTuneEnd))
    (measured,) = [r for r in records if isinstance(r, TestRecord)]
    assert end.status == "finished" and records.index(measured) > records.index(end)
    wrong = int((measured.predicted != model.trainer.dataset.test_y.numpy()).sum())
    n = len(model.trainer.dataset.test_y)
    assert records[-1].text == f"fine-tuned on my digits: {wrong:,} of {n:,} my-digits test examples wrong"
    assert measured.when == "After fine-tuning on my digits" and measured.epoch == model.trainer.epoch
    tuned = evaluate_test_split(model.trainer.model, model.trainer.dataset, "cross-entropy")
    assert measured.predicted.tolist() == tuned.predicted.tolist()     # the tuned weights, not the old ones


def test_a_stopped_fine_tune_keeps_the_old_weights_and_measures_nothing(data_home, small_digits):
    from playground.engine.train.records import TestRecord
    model = _taught_model(small_digits)
    model.new_control()
    job = model.fine_tune_job(small_digits.test_x[20:50].numpy(), small_digits.test_y[20:50].numpy())
    model.control.stop()
    records = list(job())
    assert not any(isinstance(r, TestRecord) for r in records)
    assert "stopped" in records[-1].text and "keeps its earlier weights" in records[-1].text
