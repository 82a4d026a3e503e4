import pytest

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.records import EpochRecord
from playground.engine.runs.history import RunHistory


def _epoch(n: int, acc: float = 0.5) -> EpochRecord:
    return EpochRecord(n, 1.0 / n, acc, 1.5 / n, acc + 0.01, 0.25, step=10 * n)


def test_runs_are_named_by_what_changed_since_the_previous_run():
    history = RunHistory()
    first = history.start(TrainConfig(), 784, 10, "CPU")
    second = history.start(TrainConfig(activation="sigmoid"), 784, 10, "CPU")
    third = history.start(TrainConfig(activation="sigmoid", weight_decay=1e-3, dropout=(0.0,)), 784, 10, "CPU")
    assert first.name == "run 1: relu"
    assert second.name == "run 2: sigmoid"
    assert third.name == "run 3: no dropout, wd 0.001"
    assert history.current is third and third.architecture == "784-256-128-10"


def test_rename_remove_and_visibility():
    history = RunHistory()
    a = history.start(TrainConfig(), 784, 10, "CPU")
    b = history.start(TrainConfig(lr=0.01), 784, 10, "CPU")
    assert history.rename(a.run_id, "  baseline   Adam ") == "baseline Adam"
    assert history.rename(a.run_id, "   ") == "baseline Adam"    # a blank name keeps the old one
    with pytest.raises(PlaygroundError, match="no run 99"):
        history.rename(99, "x")
    b.visible = False
    assert history.visible() == [a]
    history.remove(b.run_id)
    assert history.current is None and history.runs == [a]
    c = history.start(TrainConfig(), 784, 10, "CPU")
    assert history.index(c) == 2     # colours follow the run number, so a deletion does not recolour others


def test_run_totals_come_from_its_epochs():
    run = RunHistory().start(TrainConfig(epochs=2), 784, 10, "CPU")
    assert run.last is None and run.best_test_accuracy is None and run.seconds == 0
    for n, acc in ((1, 0.7), (2, 0.6), (3, 0.65)):
        run.add_epoch(_epoch(n, acc))
    assert run.best_test_accuracy == pytest.approx(0.71)
    assert run.seconds == pytest.approx(0.75) and run.planned_epochs == 3
    x, y = run.epoch_curve("test_loss")
    assert list(x) == [1, 2, 3] and y[0] == pytest.approx(1.5)


def test_history_tells_its_subscribers_what_changed():
    history = RunHistory()
    seen = []
    for name in ("run_added", "run_removed", "curves_changed", "epoch_added", "run_changed", "current_changed"):
        getattr(history.events, name).connect(lambda *args, name=name: seen.append((name, args)))
    run = history.start(TrainConfig(), 784, 10, "CPU")
    history.add_step(0.5, 2.0)
    history.add_epoch(_epoch(1))
    history.set_status("finished")
    history.set_visible(run.run_id, False)
    history.remove(run.run_id)
    history.restore(run, 0)
    assert [name for name, _ in seen] == ["run_added", "curves_changed", "epoch_added", "run_changed",
                                          "run_changed", "run_removed", "run_added"]
    assert seen[0][1] == (run, 0) and run.steps.n == 1 and run.status == "finished"
