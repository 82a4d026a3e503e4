import numpy as np
import pytest

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.runs.recorder import Recorder, trainer_model_bytes
from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord, StepRecord
from playground.engine.train.training import Trainer

MOONS = TrainConfig(dataset="moons", hidden=(8,), dropout=(0.0,), epochs=2, device="cpu", lr=0.01)


def _train(model: AppModel, fresh: bool) -> list:
    records = list(model.train_job(fresh)())
    for record in records:
        model.apply(record)
    return records


def test_the_recorder_writes_what_the_trainer_yields(tmp_path):
    store = RunStore.open(tmp_path)
    trainer = Trainer(MOONS)
    recorder = Recorder(store, trainer_model_bytes(trainer), name="cli run")
    run_id = recorder.start_trainer(trainer)
    records = list(recorder.watch(trainer.run()))
    run = store.get(run_id)
    assert (run.name, run.status, run.epochs, run.architecture) == ("cli run", "finished", 2, "2-8-2")
    assert store.epoch_records(run_id) == [r for r in records if isinstance(r, EpochRecord)]
    steps = [r for r in records if isinstance(r, StepRecord)]
    points = store.step_points(run_id)[run_id]
    assert len(points) == len(steps) and points[-1][1] == pytest.approx(steps[-1].loss)
    last = store.open_model(run_id, "last")
    assert len(last.metrics) == 2
    assert all(np.allclose(a, b) for a, b in zip(last.model.state_dict().values(),
                                                 trainer.model.state_dict().values()))


def test_an_abandoned_run_is_stopped(tmp_path):
    store = RunStore.open(tmp_path)
    trainer = Trainer(MOONS)
    recorder = Recorder(store, trainer_model_bytes(trainer))
    run_id = recorder.start_trainer(trainer)
    for record in recorder.watch(trainer.run()):
        if isinstance(record, EpochRecord):
            break
    assert store.get(run_id).status == "stopped" and store.get(run_id).epochs == 1


def test_app_model_records_and_continues_the_same_run(tmp_path):
    store = RunStore.open(tmp_path)
    model = AppModel(MOONS, store=store)
    _train(model, fresh=True)
    run = model.runs.current
    assert run.store_id is not None
    stored = store.get(run.store_id)
    assert (stored.name, stored.epochs, stored.status) == (run.name, 2, "finished")
    model.set_config(MOONS.replace(epochs=3))
    _train(model, fresh=False)
    assert store.get(run.store_id).epochs == 3 and len(store.list_runs()) == 1
    _train(model, fresh=True)
    assert len(store.list_runs()) == 2


def test_stored_runs_load_hidden_and_open_as_the_current_model(tmp_path):
    store = RunStore.open(tmp_path)
    first = AppModel(MOONS, store=store)
    _train(first, fresh=True)
    store_id = first.runs.current.store_id

    later = AppModel(MOONS, store=RunStore.open(tmp_path))
    later.load_stored_runs()
    [run] = later.runs.runs
    # listed hidden, its epochs unread until it is shown: the summary carries the table's figures
    assert (run.store_id, run.visible, len(run.epochs), run.status) == (store_id, False, 0, "finished")
    assert run.summary.epochs == 2 and run.summary.test_accuracy == first.runs.current.last.test_accuracy
    later.open_stored_run(store_id, "last")
    assert later.runs.current is run and run.visible and later.loaded is not None
    assert len(run.epochs) == 2 and run.steps.n > 0
    later.set_config(later.config.replace(epochs=3))
    _train(later, fresh=False)
    assert later.store.get(store_id).epochs == 3 and len(later.store.list_runs()) == 1


def test_continuing_from_an_earlier_best_model_branches(tmp_path):
    store = RunStore.open(tmp_path)
    model = AppModel(MOONS.replace(epochs=3), store=store)
    _train(model, fresh=True)
    store_id = model.runs.current.store_id
    one = Trainer(MOONS.replace(epochs=1))      # stands for a best model of epoch 1
    list(one.run())
    store.model_path(store_id, "best").write_bytes(trainer_model_bytes(one)())
    model.open_stored_run(store_id, "best")
    model.set_config(model.config.replace(epochs=3))
    _train(model, fresh=False)
    branch, original = store.list_runs()
    assert (original.id, original.epochs) == (store_id, 3)
    assert (branch.parent, branch.epochs, branch.status) == (store_id, 3, "finished")
    assert [r.epoch for r in store.epoch_records(branch.id)] == [1, 2, 3]


def test_opening_a_run_without_a_model_says_why(tmp_path):
    store = RunStore.open(tmp_path)
    run_id = store.create_run(MOONS, "empty")
    with pytest.raises(PlaygroundError, match="finished no epoch"):
        AppModel(MOONS, store=store).open_stored_run(run_id)


def test_without_a_store_nothing_is_recorded(tmp_path):
    model = AppModel(MOONS)
    _train(model, fresh=True)
    assert model.runs.current.store_id is None
    model.load_stored_runs()
    assert len(model.runs.runs) == 1


def test_a_fine_tune_is_a_run_of_its_own(data_home, small_digits):
    from playground.engine.drawing.my_digits import MyDigitsStore
    from playground.engine.train.fine_tune import FineTuneEnd
    digits = MyDigitsStore()
    for digit in range(10):
        for image in small_digits.test_x[small_digits.test_y == digit][:10]:
            digits.add(image.numpy(), digit)
    store = RunStore.open(data_home)
    model = AppModel(TrainConfig(dataset="my-digits", hidden=(16,), dropout=(0.0,), epochs=1, device="cpu"),
                     store=store)
    _train(model, fresh=True)
    parent = model.runs.current.store_id
    records = list(model.fine_tune_job(small_digits.test_x[:30].numpy(), small_digits.test_y[:30].numpy())())
    end = next(r for r in records if isinstance(r, FineTuneEnd))
    tuned = store.list_runs()[0]
    assert (tuned.kind, tuned.parent, tuned.status, tuned.notes) == ("fine-tune", parent, "finished", end.message)
    assert tuned.name == "fine-tune on my digits (30 drawings)"
    assert len(store.step_points(tuned.id)[tuned.id]) > 0
    loaded = store.open_model(tuned.id)
    assert all(np.allclose(a, b) for a, b in zip(loaded.model.state_dict().values(),
                                                 model.trainer.model.state_dict().values()))
