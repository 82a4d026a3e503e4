import csv

import pytest

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.runs import export
from playground.engine.runs.recorder import Recorder, trainer_model_bytes
from playground.engine.runs.store import RunStore
from playground.engine.train.training import Trainer


@pytest.fixture
def store(tmp_path):
    store = RunStore.open(tmp_path / "data")
    for epochs, dataset in ((2, "moons"), (3, "reg-plane")):
        trainer = Trainer(TrainConfig(dataset=dataset, hidden=(4,), dropout=(0.0,), epochs=epochs, device="cpu"))
        recorder = Recorder(store, trainer_model_bytes(trainer))
        recorder.start_trainer(trainer)
        list(recorder.watch(trainer.run()))
    return store


def test_tensorboard_export_is_read_back_by_tensorboard(store, tmp_path):
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator
    runs = export.select_runs(store, ["all"])
    folders = export.export_tensorboard(store, runs, tmp_path / "tb")
    assert [f.name.split("-")[0] for f in folders] == ["1", "2"]
    for run, folder in zip(runs, folders):
        reader = EventAccumulator(str(folder))
        reader.Reload()
        epochs = store.epoch_records(run.id)
        metric = "test_r2" if run.regression else "test_accuracy"
        assert [e.step for e in reader.Scalars(metric)] == [r.epoch for r in epochs]
        assert [e.value for e in reader.Scalars(metric)] == pytest.approx([getattr(r, metric) for r in epochs])
        assert {"train_loss", "test_loss", "seconds", "batch_loss"} <= set(reader.Tags()["scalars"])
        text = reader.Tensors("config/text_summary")[0].tensor_proto.string_val[0].decode()
        assert f'"dataset": "{run.dataset}"' in text


def test_a_missing_tensorboard_names_the_extra(store, tmp_path, monkeypatch):
    import builtins
    real = builtins.__import__

    def no_tensorboard(name, *args, **kwargs):
        if name.startswith("tensorboard") or name == "torch.utils.tensorboard":
            raise ImportError(name)
        return real(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_tensorboard)
    with pytest.raises(PlaygroundError, match=r"mlp-playground\[tensorboard\]"):
        export.export_tensorboard(store, store.list_runs(), tmp_path / "tb")


def test_csv_export_has_every_epoch_of_every_run(store, tmp_path):
    export.export_csv(store, export.select_runs(store, ["2", "1"]), tmp_path / "runs.csv")
    rows = list(csv.DictReader(open(tmp_path / "runs.csv")))
    assert [r["run"].split(":")[0] for r in rows] == ["2"] * 3 + ["1"] * 2
    assert rows[0]["test_r2"] != "" and rows[-1]["test_accuracy"] != ""
