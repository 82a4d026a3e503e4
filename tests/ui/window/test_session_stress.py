"""Clicking Train, Pause, Stop, Reset and Step in random order, hundreds of times, then closing."""
import pytest
import random
import threading

import torch
from PySide6.QtCore import Qt

from playground.engine.train.training import Trainer

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.mark.slow
def test_random_clicking_never_crashes_or_leaks_threads(qtbot, window, capfd):
    baseline = threading.active_count()
    use_config(window, MOONS.replace(epochs=200))
    rng = random.Random(7)
    buttons = [window.train_button, window.stop_button, window.reset_button, window.step_button]
    for _ in range(300):
        button = rng.choice(buttons)
        if button.isEnabled():
            qtbot.mouseClick(button, Qt.LeftButton)
        qtbot.wait(rng.choice([0, 0, 1, 5, 20]))
    window.session.stop()
    window.model.control.resume()
    wait_idle(qtbot, window, 10000)
    window.close()
    assert window.session.runner._thread is None
    qtbot.waitUntil(lambda: threading.active_count() <= baseline, timeout=5000)
    assert "QThread: Destroyed" not in capfd.readouterr().err


@pytest.mark.slow
def test_rapid_train_stop_hundreds_of_times(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    for _ in range(200):
        qtbot.mouseClick(window.train_button, Qt.LeftButton)
        qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window, 10000)
    assert window.train_button.isEnabled()


@pytest.mark.slow
def test_an_out_of_memory_error_mid_run_leaves_the_window_usable(qtbot, window, monkeypatch):
    use_config(window, MOONS.replace(epochs=50))
    original = Trainer._train_step
    calls = {"n": 0}

    def failing(self):
        calls["n"] += 1
        if calls["n"] == 30:
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return original(self)

    monkeypatch.setattr(Trainer, "_train_step", failing)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.feedback.banner_box.isVisible() and "out of memory" in window.feedback.banner.text()
    assert "CPU" in window.feedback.banner.text()
    monkeypatch.setattr(Trainer, "_train_step", original)
    qtbot.mouseClick(window.reset_button, Qt.LeftButton)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.display.progress.format() == "finished"


@pytest.mark.slow
def test_a_network_too_big_for_memory_is_refused_in_the_window(qtbot, window):
    use_config(window, MOONS.replace(hidden=(100000, 100000, 100000)))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.feedback.banner_box.isVisible() and "parameters" in window.feedback.banner.text()
    assert window.model.trainer is None


@pytest.mark.slow
def test_the_size_label_warns_before_train_when_the_network_cannot_fit(qtbot, window):
    use_config(window, MOONS.replace(hidden=(100000, 100000, 100000)))
    assert "too large for this machine" in window.panel.size.text()
    use_config(window, MOONS)
    assert "too large" not in window.panel.size.text()
