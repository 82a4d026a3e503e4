import numpy as np
import pytest

from playground.engine.datasets.csv_table import to_csv_text
from playground.engine.datasets.tables import load_table
from playground.engine.datasets.tables.progress import Cancelled, Watch, step, watched, watching
from playground.engine.train.records import Status


def _table(tmp_path, cols=6, rows=60):
    x = np.random.default_rng(0).normal(size=(rows, cols))
    path = tmp_path / "t.csv"
    path.write_text(to_csv_text(x, np.where(x[:, 0] > 0, "up", "down"), [f"f{i}" for i in range(cols)] + ["y"]))
    return path


def test_steps_outside_a_watch_do_nothing():
    step("typing columns", 1, 2)     # no watch on this thread: neither recorded nor refused


def test_a_watched_load_reports_each_phase_per_column(tmp_path):
    seen = []

    class Recording(Watch):
        def __setattr__(self, name, value):
            if name == "phase":
                seen.append(value)
            super().__setattr__(name, value)
    watch = Recording()
    with watching(watch):
        load_table(_table(tmp_path), "y")
    assert {"typing columns", "fitting the recipe", "encoding features"} <= set(seen)
    assert any(p.startswith("reading t.csv") for p in seen)
    assert watch.total > 0 and "(" in watch.text()


def test_a_cancelled_watch_stops_the_load_at_the_next_column(tmp_path):
    watch = Watch()
    watch.cancel()
    with watching(watch), pytest.raises(Cancelled):
        load_table(_table(tmp_path, rows=61), "y")
    load_table(_table(tmp_path, rows=61), "y")      # the thread's watch is gone again: loads


def test_a_cancelled_watched_job_ends_with_a_status_line_not_a_failure(tmp_path):
    path = _table(tmp_path)
    watch = Watch()

    def job():
        yield Status("reading")
        watch.cancel()
        yield load_table(path, "y")
    records = list(watched(job, watch)())
    assert records[0] == Status("reading") and "cancelled" in records[-1].text and len(records) == 2
