import csv
import io

import numpy as np
import pytest

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.records import EpochRecord
from playground.engine.runs import (CSV_COLUMNS, RunHistory, Series, Smoother, difference, metrics_csv,
                                    settings_summary, write_metrics_csv)


def _epoch(n: int, acc: float = 0.5) -> EpochRecord:
    return EpochRecord(n, 1.0 / n, acc, 1.5 / n, acc + 0.01, 0.25, step=10 * n)


def test_series_grows_past_its_capacity_and_keeps_every_point():
    s = Series(capacity=2)
    for i in range(5):
        s.append(i, i * i)
    x, y = s.data()
    assert list(x) == [0, 1, 2, 3, 4] and list(y) == [0, 1, 4, 9, 16]


def test_smoother_matches_the_debiased_moving_average_when_fed_in_pieces():
    y = np.random.default_rng(0).normal(size=300)
    expected, acc, norm = [], 0.0, 0.0
    for v in y:
        acc, norm = 0.8 * acc + 0.2 * v, 0.8 * norm + 0.2
        expected.append(acc / norm)
    smoother = Smoother(0.8)
    smoother.update(y[:7])
    smoother.update(y[:120])
    np.testing.assert_allclose(smoother.update(y), expected)
    assert smoother.update(y[:3])[0] == pytest.approx(y[0])   # a cleared series starts over


def test_runs_are_named_by_what_changed_since_the_previous_run():
    history = RunHistory()
    first = history.start(TrainConfig(), 784, 10, "CPU")
    second = history.start(TrainConfig(activation="sigmoid"), 784, 10, "CPU")
    third = history.start(TrainConfig(activation="sigmoid", weight_decay=1e-3, dropout=(0.0,)), 784, 10, "CPU")
    assert first.name == "run 1: relu"
    assert second.name == "run 2: sigmoid"
    assert third.name == "run 3: no dropout, wd 0.001"
    assert history.current is third and third.architecture == "784-256-128-10"


def test_difference_names_the_output_activation_both_ways():
    wrong = TrainConfig(output_activation="relu")
    assert difference(TrainConfig(), wrong) == "relu on output"
    assert difference(wrong, TrainConfig()) == "no output activation"


def test_settings_summary_leaves_out_the_activation_without_hidden_layers():
    assert settings_summary(TrainConfig(hidden=())).startswith("no hidden layer, init")
    assert settings_summary(TrainConfig()).startswith("relu, init kaiming-normal, adam, lr 0.001")


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


def test_metrics_csv_has_the_json_columns_and_a_run_column_when_named(tmp_path):
    plain = list(csv.reader(io.StringIO(metrics_csv([(None, [_epoch(1), _epoch(2)])]))))
    assert plain[0] == CSV_COLUMNS and len(plain) == 3
    assert float(plain[2][CSV_COLUMNS.index("test_loss")]) == pytest.approx(0.75)
    path = tmp_path / "runs.csv"
    write_metrics_csv(path, [("relu, baseline", [_epoch(1)]), ("sigmoid", [_epoch(1), _epoch(2)])])
    rows = list(csv.reader(path.open()))
    assert rows[0] == ["run"] + CSV_COLUMNS
    assert [r[0] for r in rows[1:]] == ["relu, baseline", "sigmoid", "sigmoid"]


def test_writing_into_a_missing_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PlaygroundError, match="cannot write"):
        write_metrics_csv(blocker / "sub" / "m.csv", [(None, [_epoch(1)])])
