import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import EpochRecord, RunEnd, RunStarted, StepRecord, TestRecord
from playground.engine.train.run_control import RunControl
from playground.engine.train.sweep import ConfigRecord, Sweep, SweepEnd, SweepStarted
from playground.engine.train.sweep_batch import BatchedTrainer
from playground.engine.train.training import Trainer

MOONS = TrainConfig(dataset="moons", hidden=(16, 16), dropout=(0.1,), epochs=2, batch_size=64, device="cpu")


def _plain(config: TrainConfig, dataset=None) -> tuple[list[EpochRecord], RunEnd]:
    trainer = Trainer(config, dataset)
    records = list(trainer.run())
    return [r for r in records if isinstance(r, EpochRecord)], records[-1]


def _sweep(*args, **kwargs) -> tuple[list, SweepEnd]:
    records = list(Sweep(*args, **kwargs).run())
    return records, records[-1]


@pytest.mark.parametrize("param,values,base", [
    ("lr", [1e-3, 3e-2], MOONS),
    ("dropout", [(0.0,), (0.3,)], MOONS),
    ("seed", [0, 5], MOONS),                      # a seed sweep of points: each seed has its own data
    ("init", ["default", "xavier-normal"], MOONS),
    ("momentum", [0.0, 0.9], MOONS.replace(optimizer="momentum")),
    ("weight-decay", [0.0, 0.05], MOONS.replace(optimizer="rmsprop", decay_biases=True)),
])
def test_each_configuration_ends_where_its_own_train_run_ends(param, values, base):
    _records, end = _sweep(base, param, values)
    for result, config in zip(end.results, Sweep(base, param, values).configs):
        history, plain_end = _plain(config)
        assert result.status == plain_end.status == "finished"
        assert abs(result.final - history[-1].test_accuracy) <= 0.01
        assert abs(result.best - max(r.test_accuracy for r in history)) <= 0.01


@pytest.mark.slow
def test_digits_with_augmentation_and_dropout_match_their_train_runs(small_digits):
    base = TrainConfig(epochs=1, hidden=(64, 32), dropout=(0.2,), batch_size=128, device="cpu")
    assert base.augment   # the built-in digits are augmented by default: one augmented batch serves all
    _records, end = _sweep(base, "lr", [3e-4, 3e-3], dataset=small_digits)
    for result, lr in zip(end.results, [3e-4, 3e-3]):
        history, _ = _plain(base.replace(lr=lr), small_digits)
        assert abs(result.final - history[-1].test_accuracy) <= 0.01


def test_a_diverging_configuration_stops_alone_and_the_others_go_on():
    base = MOONS.replace(optimizer="sgd", epochs=2)
    records, end = _sweep(base, "lr", [0.05, 1e9, 0.2])
    ends = {r.index: r.record for r in records if isinstance(r, ConfigRecord) and isinstance(r.record, RunEnd)}
    assert ends[1].status == "diverged" and "learning rate" in ends[1].message
    assert ends[0].status == ends[2].status == "finished"
    epochs = {i: [r.record.epoch for r in records if isinstance(r, ConfigRecord) and r.index == i
                  and isinstance(r.record, EpochRecord)] for i in range(3)}
    assert epochs == {0: [1, 2], 1: [], 2: [1, 2]}
    assert [r.status for r in end.results] == ["finished", "diverged", "finished"]
    # the survivors learn as they would alone
    assert abs(end.results[2].final - _plain(base.replace(lr=0.2))[0][-1].test_accuracy) <= 0.01


def test_records_are_tagged_and_read_like_a_trainers():
    records, end = _sweep(MOONS.replace(epochs=1), "lr", [1e-3, 1e-2])
    assert isinstance(records[0], SweepStarted) and records[0].groups == ((0, 1),)
    assert records[0].log_scale
    for index, value in enumerate([1e-3, 1e-2]):
        mine = [r.record for r in records if isinstance(r, ConfigRecord) and r.index == index]
        assert all(r.value == value for r in records if isinstance(r, ConfigRecord) and r.index == index)
        assert isinstance(mine[0], RunStarted) and mine[0].config.lr == value
        assert any(isinstance(r, StepRecord) for r in mine)
        assert [type(r) for r in mine if isinstance(r, (EpochRecord, TestRecord))] == [EpochRecord, TestRecord]
        assert isinstance(mine[-1], RunEnd) and mine[-1].status == "finished"


def test_a_configurations_model_matches_its_epoch_record():
    from playground.engine.train.evaluation import evaluate_model
    from playground.engine.train.optim import loss_function
    sweep = Sweep(MOONS.replace(epochs=1), "lr", [1e-3, 1e-2])
    checked = 0
    for record in sweep.run():
        if isinstance(record, ConfigRecord) and isinstance(record.record, EpochRecord):
            trainer = sweep._running
            x, y = trainer.data_of[0][2:]
            accuracy = evaluate_model(sweep.model_of(record.index), loss_function("cross-entropy"), x, y).accuracy
            assert accuracy == record.record.test_accuracy
            checked += 1
    assert checked == 2
    with pytest.raises(PlaygroundError):
        sweep.model_of(0)


def test_shape_changing_values_run_one_group_after_another():
    sweep = Sweep(MOONS, "lr", [1e-3, 1e-2], "hidden", [(8,), (16, 8)])
    assert sweep.groups == [[0, 2], [1, 3]]
    assert sweep.values[1] == (1e-3, (16, 8)) and sweep.configs[1].dropout == (0.1, 0.1)
    assert Sweep(MOONS, "lr", [1e-3, 1e-2, 0.1], max_batch=2).groups == [[0, 1], [2]]


def test_bad_values_are_refused_with_one_line():
    with pytest.raises(PlaygroundError, match="learning rate"):
        Sweep(MOONS, "lr", [1e-3, -1.0])
    with pytest.raises(PlaygroundError, match="cannot sweep"):
        Sweep(MOONS, "colour", [1])


def test_stop_ends_every_configuration_as_stopped():
    control = RunControl()
    control.stop()
    records = list(Sweep(MOONS, "lr", [1e-3, 1e-2]).run(control))
    assert [r.status for r in records[-1].results] == ["stopped", "stopped"]


def _matmul_calls(k: int) -> int:
    """Matrix-multiply kernels launched by one training step of k stacked networks."""
    from playground.engine.datasets import load_dataset
    from torch.profiler import profile
    configs = [MOONS.replace(lr=1e-3 * (i + 1)) for i in range(k)]
    data = load_dataset(MOONS)
    trainer = BatchedTrainer(configs, [data] * k, torch.device("cpu"))
    for stream in trainer.streams:
        stream.new_epoch()
    with profile() as prof:
        trainer._train_step(0)
    return sum(e.count for e in prof.key_averages() if e.key in ("aten::mm", "aten::bmm", "aten::baddbmm"))


def test_one_step_runs_the_same_matmuls_for_2_or_8_networks():
    """The step is batched over the networks, not a Python loop over them."""
    two, eight = _matmul_calls(2), _matmul_calls(8)
    assert two == eight > 0
