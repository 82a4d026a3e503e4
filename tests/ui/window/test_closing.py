"""Closing never waits for a job, and no job thread outlives its keeper: the window goes at once, the clean-up
goes on after it, and every thread is joined before the process exits."""
import threading
import time

import pytest
from PySide6.QtCore import Qt

import playground.engine.app_model as app_model
from playground.ui.job_runner import ThreadKeeper

from tests.ui.conftest import MOONS, use_config


@pytest.fixture
def slow_load(monkeypatch):
    """Loading a dataset blocks until released, as generating 120,000 digits does (and it cannot be stopped)."""
    release, started = threading.Event(), threading.Event()
    real = app_model.load_dataset

    def load(config, *args, **kwargs):
        started.set()
        release.wait(30)
        return real(config, *args, **kwargs)
    monkeypatch.setattr(app_model, "load_dataset", load)
    yield started, release
    release.set()


@pytest.mark.slow
def test_closing_while_a_run_loads_its_data_returns_at_once(qtbot, window, slow_load, capfd):
    started, release = slow_load
    keeper = ThreadKeeper.instance()
    use_config(window, MOONS.replace(epochs=1000))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10000)
    assert "training" in keeper.running()           # the thread is named after its runner
    before = time.perf_counter()
    window.close()
    took = time.perf_counter() - before
    assert took < 1.5, took        # the load goes on for 30 s: close did not wait for it (target 0.5 s: bench/)
    assert not window.isVisible() and not window.session.is_busy and "training" in keeper.running()
    release.set()                                   # the load ends; the stopped job ends; the keeper joins it
    qtbot.waitUntil(lambda: "training" not in keeper.running(), timeout=20000)
    assert window.model.runs.current is None or window.model.runs.current.status != "running"
    assert "Destroyed while thread" not in capfd.readouterr().err


@pytest.mark.slow
def test_a_let_go_job_sends_no_records(qtbot, window, slow_load):
    started, release = slow_load
    use_config(window, MOONS.replace(epochs=1))
    seen = []
    window.model.events.run_started.connect(seen.append)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(started.is_set, timeout=10000)
    assert not window.session.shutdown(50)          # still loading: let go, the session is free at once
    assert window.session.state == "idle"
    release.set()
    qtbot.waitUntil(lambda: "training" not in ThreadKeeper.instance().running(), timeout=20000)
    qtbot.wait(50)
    assert seen == []


@pytest.mark.slow
def test_opening_and_closing_windows_with_jobs_in_flight(qtbot, capfd):
    from playground.app import MainWindow
    keeper = ThreadKeeper.instance()
    baseline = threading.active_count()
    for cycle in range(20):
        window = MainWindow()           # not given to qtbot: the window is deleted below, jobs still running
        window.show()
        use_config(window, MOONS.replace(epochs=1000))
        window.tabs.setCurrentWidget(window.network if cycle % 2 else window.gradients)
        qtbot.mouseClick(window.train_button, Qt.LeftButton)
        if cycle % 3 == 0:
            window.gradients.run_cases([("relu", "kaiming-normal")])
        qtbot.wait(cycle * 7 % 60)
        before = time.perf_counter()
        window.close()
        assert time.perf_counter() - before < 1.5
        window.deleteLater()
        qtbot.wait(1)
    qtbot.waitUntil(lambda: not keeper.running(), timeout=60000)
    qtbot.waitUntil(lambda: threading.active_count() <= baseline, timeout=10000)
    assert "QThread: Destroyed" not in capfd.readouterr().err
