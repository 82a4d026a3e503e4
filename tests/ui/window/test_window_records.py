"""The window records its runs in the run store (the runs table's loading of them is the window's own)."""
import pytest
from PySide6.QtCore import Qt

from playground.engine.runs.store import RunStore

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.mark.slow
def test_a_window_run_is_recorded_as_it_goes(qtbot, data_home):
    from playground.app import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    use_config(w, MOONS)
    qtbot.mouseClick(w.train_button, Qt.LeftButton)
    wait_idle(qtbot, w)
    run = w.model.runs.current
    stored = RunStore.open(data_home).get(run.store_id)
    assert (stored.name, stored.status, stored.epochs) == (run.name, "finished", MOONS.epochs)
    w.close()


@pytest.mark.slow
def test_a_damaged_store_is_one_line_in_the_banner(qtbot, data_home):
    from playground.app import MainWindow
    (data_home / "runs.db").write_bytes(b"not a database" * 100)
    w = MainWindow()
    qtbot.addWidget(w)
    assert "moved aside" in w.feedback.banner.text() and w.model.store.recording
    w.close()
