import os
import sqlite3
import subprocess
import sys

import numpy as np
import pytest

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.runs import store_db
from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord

CONFIG = TrainConfig(dataset="moons", hidden=(4,), dropout=(0.0,), epochs=3, device="cpu")


def _epoch(n: int, acc: float) -> EpochRecord:
    return EpochRecord(n, 1.0 / n, acc, 1.1 / n, acc - 0.01, 0.5, step=16 * n)


def _model_bytes() -> bytes:
    from playground.engine.model import build_model
    from playground.engine.runs.checkpoint import checkpoint_bytes
    return checkpoint_bytes(CONFIG, build_model(CONFIG, 2, 2), 2, ["0", "1"], "points", [])


def _run(store: RunStore, accuracies=(0.6, 0.8, 0.7), status="finished") -> int:
    run_id = store.create_run(CONFIG, "a run", dataset_kind="points", n_inputs=2, class_names=["0", "1"],
                              device="cpu", architecture="2-4-2")
    model = _model_bytes()
    for n, acc in enumerate(accuracies, 1):
        assert store.append_epoch(run_id, _epoch(n, acc), model, np.array([[n - 0.5, 1.0], [n, 0.9]]))
    if status:
        store.finish_run(run_id, status)
    return run_id


def test_a_finished_run_is_listed_with_every_epoch_field(tmp_path):
    store = RunStore.open(tmp_path)
    assert store.recording and store.notice == ""
    run_id = _run(store)
    [run] = store.list_runs()
    assert (run.id, run.status, run.epochs, run.best_epoch) == (run_id, "finished", 3, 2)
    assert run.best_test_accuracy == pytest.approx(0.79) and run.best_test_r2 is None
    assert store.epoch_records(run_id) == [_epoch(1, 0.6), _epoch(2, 0.8), _epoch(3, 0.7)]
    assert store.step_points(run_id)[run_id].shape == (6, 2)
    assert run.config == CONFIG
    assert store.open_model(run_id, "best").config == CONFIG
    assert store.size_on_disk() > 0
    assert os.path.getmtime(store.model_path(run_id, "last")) >= os.path.getmtime(store.model_path(run_id, "best"))


def test_runs_are_newest_first_and_ids_are_never_reused(tmp_path):
    store = RunStore.open(tmp_path)
    first, second = _run(store), _run(store)
    assert [r.id for r in store.list_runs()] == [second, first]
    assert store.delete([second]) == [second]
    assert not store.model_path(second).parent.exists()
    assert _run(store) == second + 1


def test_rename_and_notes_persist(tmp_path):
    run_id = _run(RunStore.open(tmp_path))
    store = RunStore.open(tmp_path)
    store.rename(run_id, "wide relu")
    store.set_notes(run_id, "lr too high")
    run = RunStore.open(tmp_path).get(run_id)
    assert (run.name, run.notes) == ("wide relu", "lr too high")


def test_unknown_run_and_bad_id_are_clear(tmp_path):
    store = RunStore.open(tmp_path)
    with pytest.raises(PlaygroundError, match="no run 7"):
        store.get(7)
    with pytest.raises(PlaygroundError, match="whole number"):
        store.get("seven")


def test_a_run_of_a_dead_process_is_interrupted_at_the_next_open(tmp_path):
    store = RunStore.open(tmp_path)
    run_id = _run(store, status=None)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store._con.execute("UPDATE runs SET pid = ?, proc_start = NULL WHERE id = ?", (dead.pid, run_id))
    assert RunStore.open(tmp_path).get(run_id).status == "interrupted"


def test_a_run_of_a_live_process_stays_running(tmp_path):
    store = RunStore.open(tmp_path)
    run_id = _run(store, status=None)
    assert RunStore.open(tmp_path).get(run_id).status == "running"


def test_missing_or_corrupt_model_is_still_listed_and_opening_says_why(tmp_path):
    store = RunStore.open(tmp_path)
    run_id = _run(store)
    store.model_path(run_id, "last").unlink()
    store.model_path(run_id, "best").write_bytes(b"not a model")
    assert store.get(run_id).epochs == 3
    with pytest.raises(PlaygroundError, match="file is missing"):
        store.open_model(run_id, "last")
    with pytest.raises(PlaygroundError, match="best model cannot be opened"):
        store.open_model(run_id, "best")


def test_not_a_database_is_moved_aside_and_a_fresh_store_records(tmp_path):
    (tmp_path / "runs.db").write_bytes(b"this is no database" * 200)
    store = RunStore.open(tmp_path)
    assert store.recording
    assert "moved aside to runs.db.damaged-" in store.notice and "\n" not in store.notice
    assert len(list(tmp_path.glob("runs.db.damaged-*"))) == 1
    _run(store)
    assert len(store.list_runs()) == 1


def test_a_damaged_page_is_found_by_the_integrity_check(tmp_path):
    store = RunStore.open(tmp_path)
    for _ in range(30):
        _run(store)
    store._con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray((tmp_path / "runs.db").read_bytes())
    for offset in range(4096 + 100, len(data), 4096):   # scribble over every page but the header
        data[offset:offset + 64] = b"\xff" * 64
    (tmp_path / "runs.db").write_bytes(bytes(data))
    store = RunStore.open(tmp_path)
    assert store.recording and "damaged" in store.notice
    assert store.list_runs() == []


def test_a_store_of_a_newer_app_is_refused_with_a_clear_line(tmp_path):
    RunStore.open(tmp_path).close()
    con = sqlite3.connect(tmp_path / "runs.db")
    con.execute(f"PRAGMA user_version = {store_db.SCHEMA_VERSION + 1}")
    con.close()
    store = RunStore.open(tmp_path)
    assert not store.recording and "newer MLP Playground" in store.notice
    with pytest.raises(PlaygroundError, match="newer MLP Playground"):
        store.list_runs()
    assert store.create_run(CONFIG, "x") is None


def test_migrations_bring_a_blank_store_to_the_current_version(tmp_path):
    sqlite3.connect(tmp_path / "runs.db").close()
    RunStore.open(tmp_path).close()
    con = sqlite3.connect(tmp_path / "runs.db")
    assert con.execute("PRAGMA user_version").fetchone()[0] == store_db.SCHEMA_VERSION
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="needs POSIX permissions, not root")
def test_a_read_only_folder_lists_but_does_not_record(tmp_path):
    folder = tmp_path / "data"
    run_id = _run(RunStore.open(folder))
    RunStore.open(folder).close()
    os.chmod(folder, 0o500)
    try:
        store = RunStore.open(folder)
        assert not store.recording and "without recording" in store.notice
        assert store.create_run(CONFIG, "x") is None
        assert [r.id for r in store.list_runs()] == [run_id]
        empty = tmp_path / "empty"
        empty.mkdir(mode=0o500)
        assert not RunStore.open(empty / "sub").recording
    finally:
        os.chmod(folder, 0o700)


def test_a_full_disk_stops_recording_with_one_line(tmp_path, monkeypatch):
    store = RunStore.open(tmp_path)
    run_id = store.create_run(CONFIG, "x")

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr("playground.engine.runs.store.atomic_write_bytes", full)
    assert not store.append_epoch(run_id, _epoch(1, 0.5), b"model")
    assert not store.recording and "No space left on device" in store.notice
    assert store.get(run_id).epochs == 0


def test_two_connections_interleave_without_lost_rows(tmp_path):
    a, b = RunStore.open(tmp_path), RunStore.open(tmp_path)
    ra, rb = a.create_run(CONFIG, "a"), b.create_run(CONFIG, "b")
    for n in range(1, 6):
        a.append_epoch(ra, _epoch(n, 0.5))
        b.append_epoch(rb, _epoch(n, 0.5))
    assert [r.epochs for r in RunStore.open(tmp_path).list_runs()] == [5, 5]


def test_branching_keeps_the_first_epochs(tmp_path):
    store = RunStore.open(tmp_path)
    run_id = _run(store)
    branch = store.branch_run(run_id, 2, "from best")
    run = store.get(branch)
    assert (run.epochs, run.parent, run.best_epoch, run.status) == (2, run_id, 2, "running")
    assert store.step_points(branch)[branch].shape == (4, 2)


def test_a_data_folder_that_cannot_be_made_gives_one_line(tmp_path):
    (tmp_path / "file").write_text("x")
    store = RunStore.open(tmp_path / "file" / "data")
    assert not store.recording and "without recording" in store.notice and "\n" not in store.notice
    with pytest.raises(PlaygroundError):
        store.list_runs()


def test_a_read_only_database_lists_but_does_not_record(tmp_path, monkeypatch):
    """As on a read-only mount (root ignores chmod, so the connection itself is made read-only)."""
    run_id = _run(RunStore.open(tmp_path))
    real = store_db.connect
    monkeypatch.setattr(store_db, "connect", lambda path, read_only=False: real(path, read_only=True))
    store = RunStore.open(tmp_path)
    assert not store.recording and "without recording" in store.notice
    assert [r.id for r in store.list_runs()] == [run_id]
    assert store.create_run(CONFIG, "x") is None


def test_two_threads_share_one_store(tmp_path):
    import threading
    store = RunStore.open(tmp_path)
    run_id = store.create_run(CONFIG, "x")

    def rename():
        for i in range(200):
            store.rename(run_id, f"name {i}")
            store.list_runs()
    thread = threading.Thread(target=rename)
    thread.start()
    for n in range(1, 201):
        assert store.append_epoch(run_id, _epoch(n, 0.5), steps=np.zeros((3, 2)))
    thread.join()
    assert store.recording and store.get(run_id).epochs == 200 and store.get(run_id).name == "name 199"


def test_a_run_deleted_by_another_window_is_no_crash(tmp_path):
    store, other = RunStore.open(tmp_path), RunStore.open(tmp_path)
    run_id = store.create_run(CONFIG, "x")
    other.delete([run_id])
    assert not store.append_epoch(run_id, _epoch(1, 0.5), b"model")
    assert not store.append_steps(run_id, 1, np.zeros((2, 2)))
    assert store.recording and not store.model_path(run_id).exists()


def test_your_own_data_is_identified_by_path_and_content(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("a,b,label\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(60)))
    store = RunStore.open(tmp_path / "data")
    first = store.get(store.create_run(CONFIG.replace(dataset=f"csv:{table}"), "a"))
    table.write_text(table.read_text() + "1,1,1\n")
    second = store.get(store.create_run(CONFIG.replace(dataset=f"csv:{table}"), "b"))
    assert first.dataset_path == second.dataset_path == str(table.resolve())
    assert len(first.dataset_hash) == 64 and first.dataset_hash != second.dataset_hash
    assert store.get(_run(store)).dataset_hash is None
