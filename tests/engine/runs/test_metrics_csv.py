import csv
import io

import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.runs.metrics_csv import CSV_COLUMNS, metrics_csv, write_metrics_csv
from playground.engine.train.records import EpochRecord


def _epoch(n: int, acc: float = 0.5) -> EpochRecord:
    return EpochRecord(n, 1.0 / n, acc, 1.5 / n, acc + 0.01, 0.25, step=10 * n)


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
