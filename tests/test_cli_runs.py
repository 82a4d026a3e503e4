import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from playground.cli import main

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ["train", "--dataset", "moons", "--hidden", "8", "--dropout", "0", "--device", "cpu"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys) -> list[dict]:
    code, out, err = run(capsys, "runs", "list", "--json")
    assert code == 0, err
    return [json.loads(line) for line in out.splitlines()]


def test_train_is_recorded_and_listed_with_its_epochs(capsys, data_home):
    assert run(capsys, *TRAIN, "--epochs", "2", "--json")[0] == 0
    assert run(capsys, *TRAIN, "--epochs", "1", "--dataset", "reg-plane")[0] == 0
    regression, classification = listed(capsys)
    assert classification["epochs"] == 2 and classification["status"] == "finished"
    assert classification["dataset"] == "moons" and classification["best_test_r2"] is None
    assert 0 <= classification["best_test_accuracy"] <= 1
    assert regression["best_test_accuracy"] is None and regression["best_test_r2"] is not None
    assert {"id", "name", "dataset", "status", "epochs", "created"} <= set(classification)
    code, out, _ = run(capsys, "runs", "list")
    assert code == 0 and len(out.splitlines()) == 3 and "finished" in out


def test_no_record_keeps_nothing(capsys, data_home):
    assert run(capsys, *TRAIN, "--epochs", "1", "--no-record")[0] == 0
    assert listed(capsys) == []


def test_show_delete_and_export(capsys, data_home, tmp_path):
    run(capsys, *TRAIN, "--epochs", "2")
    run(capsys, *TRAIN, "--epochs", "1")
    code, out, _ = run(capsys, "runs", "show", "1", "--json")
    shown = json.loads(out)
    assert code == 0 and shown["config"]["hidden"] == [8] and len(shown["epoch_records"]) == 2
    code, out, _ = run(capsys, "runs", "show", "1")
    assert code == 0 and "test_accuracy" in out and "hidden: [8]" in out
    assert run(capsys, "runs", "export", "all", "--csv", str(tmp_path / "all.csv"))[0] == 0
    assert len((tmp_path / "all.csv").read_text().splitlines()) == 1 + 3
    code, _, err = run(capsys, "runs", "delete", "1", "9")
    assert code == 1 and "no run 9" in err and len(listed(capsys)) == 2     # nothing deleted
    assert run(capsys, "runs", "delete", "1")[0] == 0
    assert [r["id"] for r in listed(capsys)] == [2]
    code, _, err = run(capsys, "runs", "export", "2")
    assert code == 1 and "--tensorboard DIR" in err


def test_run_is_accepted_where_load_is(capsys, data_home, tmp_path):
    run(capsys, *TRAIN, "--epochs", "2")
    code, out, _ = run(capsys, "evaluate", "--run", "1", "--json")
    assert code == 0 and 0 <= json.loads(out)["accuracy"] <= 1
    assert run(capsys, "evaluate", "--run", "1:best")[0] == 0
    code, _, err = run(capsys, "evaluate", "--run", "1", "--load", "x.pt")
    assert code == 1 and "not both" in err
    code, _, err = run(capsys, "evaluate")
    assert code == 1 and "--run ID" in err
    assert run(capsys, "export-script", "--run", "1", "-o", str(tmp_path / "s.py"))[0] == 0
    assert "stored run 1" in (tmp_path / "s.py").read_text()
    code, out, _ = run(capsys, "lr-find", "--run", "1", "--json")
    assert code == 0 and "suggested_lr" in json.loads(out)
    (data_home / "runs" / "1" / "last.pt").unlink()
    code, _, err = run(capsys, "evaluate", "--run", "1")
    assert code == 1 and "file is missing" in err and len(err.strip().splitlines()) == 1


def test_a_store_of_a_newer_app_is_one_line(capsys, data_home):
    run(capsys, *TRAIN, "--epochs", "1")
    con = sqlite3.connect(data_home / "runs.db")
    con.execute("PRAGMA user_version = 99")
    con.close()
    code, _, err = run(capsys, "runs", "list")
    assert code == 1 and "newer MLP Playground" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, *TRAIN, "--epochs", "1")    # trains on, without recording
    assert code == 0 and "newer MLP Playground" in err


def test_a_damaged_store_is_moved_aside_and_recording_goes_on(capsys, data_home):
    (data_home / "runs.db").write_bytes(b"\x00garbage" * 1000)
    code, _, err = run(capsys, *TRAIN, "--epochs", "1")
    assert code == 0 and err.count("moved aside") == 1
    assert len(list(data_home.glob("runs.db.damaged-*"))) == 1
    assert [r["epochs"] for r in listed(capsys)] == [1]


def _train_process(data: Path, epochs: int, *extra: str) -> subprocess.Popen:
    env = dict(os.environ, MLP_PLAYGROUND_DATA=str(data))
    return subprocess.Popen([sys.executable, "-m", "playground", *TRAIN, "--epochs", str(epochs), "--json", *extra],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _cli(data: Path, *argv: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, MLP_PLAYGROUND_DATA=str(data))
    return subprocess.run([sys.executable, "-m", "playground", *argv], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.slow
def test_a_killed_train_is_interrupted_with_the_epochs_it_printed(tmp_path):
    process = _train_process(tmp_path, 10_000)
    printed = [process.stdout.readline() for _ in range(3)]
    assert all(line.startswith("{") for line in printed)
    process.send_signal(signal.SIGKILL)
    process.wait()
    [stored] = [json.loads(line) for line in _cli(tmp_path, "runs", "list", "--json").stdout.splitlines()]
    assert stored["status"] == "interrupted" and stored["epochs"] >= 3
    shown = json.loads(_cli(tmp_path, "runs", "show", str(stored["id"]), "--json").stdout)
    assert shown["epoch_records"][:3] == [json.loads(line) for line in printed]
    evaluated = _cli(tmp_path, "evaluate", "--run", str(stored["id"]), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    assert 0 <= json.loads(evaluated.stdout)["accuracy"] <= 1


@pytest.mark.slow
def test_the_store_stays_whole_after_kills_at_random_points(tmp_path):
    rng = random.Random(21)
    for _ in range(20):
        process = _train_process(tmp_path, 10_000, "--hidden", "4", "--batch-size", "500")
        process.stdout.readline()        # the first epoch is in: from here on it commits every few ms
        # (the wait is a busy loop rather than a sleep, so the kill lands at any point of a commit)
        deadline = rng.uniform(0.0, 0.3)
        end = time.perf_counter() + deadline
        while time.perf_counter() < end:
            pass
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stdout.close()
        process.stderr.close()
    con = sqlite3.connect(tmp_path / "runs.db")
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    con.close()
    runs = [json.loads(line) for line in _cli(tmp_path, "runs", "list", "--json").stdout.splitlines()]
    assert len(runs) == 20 and {r["status"] for r in runs} == {"interrupted"}
    assert all(r["epochs"] >= 1 for r in runs)


@pytest.mark.slow
def test_two_concurrent_trains_are_both_recorded(tmp_path):
    processes = [_train_process(tmp_path, 25), _train_process(tmp_path, 25, "--hidden", "4")]
    outputs = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _, err in outputs]
    assert all("locked" not in err for _, err in outputs)
    runs = [json.loads(line) for line in _cli(tmp_path, "runs", "list", "--json").stdout.splitlines()]
    assert sorted((r["status"], r["epochs"]) for r in runs) == [("finished", 25), ("finished", 25)]
    con = sqlite3.connect(tmp_path / "runs.db")
    assert con.execute("SELECT COUNT(*) FROM epochs").fetchone()[0] == 50


def test_the_window_opens_a_stored_run_with_run(capsys, data_home, monkeypatch):
    import playground.app
    import playground.startup
    run(capsys, *TRAIN, "--epochs", "2")
    opened = {}
    monkeypatch.setattr(playground.startup, "display_problem", lambda: None)
    monkeypatch.setattr(playground.app, "run_app", lambda path=None, loaded=None, run=None: opened.update(run=run) or 0)
    assert main(["--run", "1:best"]) == 0
    assert opened["run"] == "1:best"      # the window opens it as the listed run (tests/ui: test_stored_runs_...)
    code, _, err = run(capsys, "--run", "5")
    assert code == 1 and "no run 5" in err
