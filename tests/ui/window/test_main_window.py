import time

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QProgressBar, QPushButton, QSpinBox, QWidget

from playground.engine.config import TrainConfig

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.mark.slow
def test_interface_object_names(window):
    for name, kind in [("trainButton", QPushButton), ("stopButton", QPushButton), ("resetButton", QPushButton),
                       ("stepButton", QPushButton), ("datasetCombo", QComboBox), ("activationCombo", QComboBox),
                       ("initCombo", QComboBox), ("optimizerCombo", QComboBox), ("deviceCombo", QComboBox),
                       ("epochsSpin", QSpinBox), ("trainingProgress", QProgressBar),
                       ("lossPlot", pg.PlotWidget), ("accuracyPlot", pg.PlotWidget)]:
        assert isinstance(window.findChild(kind, name), kind), name


@pytest.mark.slow
def test_starts_on_built_in_digits_with_the_cli_defaults(window):
    assert window.findChild(QComboBox, "datasetCombo").currentText() == "Built-in digits (offline)"
    assert window.panel.config() == TrainConfig()


@pytest.mark.slow
def test_every_control_teaches_with_a_tooltip(window):
    controls = [w for w in window.panel.findChildren(QWidget)
                if w.objectName().endswith(("Combo", "Spin", "Check", "Button"))]
    assert len(controls) >= 15
    missing = [w.objectName() for w in controls if len(w.toolTip()) < 20]
    assert not missing


@pytest.mark.slow
def test_cuda_entry_is_disabled_with_a_reason_when_absent(window):
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    combo = window.findChild(QComboBox, "deviceCombo")
    index = combo.findData("cuda")
    assert not combo.model().item(index).isEnabled()
    assert "Not available" in combo.itemData(index, Qt.ToolTipRole)


@pytest.mark.slow
def test_a_run_finishes_and_draws_its_curves(qtbot, window):
    use_config(window, MOONS)
    qtbot.mouseClick(window.findChild(QPushButton, "trainButton"), Qt.LeftButton)
    assert window.session.state == "running"
    wait_idle(qtbot, window)
    progress = window.findChild(QProgressBar, "trainingProgress")
    assert progress.value() == progress.maximum()
    window.plots.refresh()
    run = window.model.runs.current
    curves = window.plots.curves[run.run_id]
    assert len(curves.test_loss.xData) == 3 and len(curves.raw.xData) == run.steps.n > 0
    assert len(curves.test_accuracy.xData) == 3 and len(curves.train_accuracy.xData) == 3
    assert len(curves.train_epoch_loss.xData) == 3   # train loss measured after each epoch, like test
    for name, curves_per_run in (("lossPlot", 4), ("accuracyPlot", 2)):
        assert len(window.findChild(pg.PlotWidget, name).getPlotItem().listDataItems()) == curves_per_run


@pytest.mark.slow
def test_pause_resume_and_stop(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    train = window.findChild(QPushButton, "trainButton")
    qtbot.mouseClick(train, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None and window.model.trainer.global_step > 20,
                    timeout=20000)
    qtbot.mouseClick(train, Qt.LeftButton)
    assert window.session.state == "paused" and train.text() == "Resume"
    control = window.model.control
    qtbot.waitUntil(lambda: control.holding, timeout=5000)      # the loop saw the pause, between two steps
    step = window.model.trainer.global_step
    qtbot.waitUntil(lambda: window.display.progress.format().endswith("(paused)"), timeout=1000)
    assert control.holding and window.model.trainer.global_step == step
    qtbot.mouseClick(train, Qt.LeftButton)
    assert window.session.state == "running"
    qtbot.waitUntil(lambda: window.model.trainer.global_step > step + 10, timeout=10000)
    qtbot.mouseClick(window.findChild(QPushButton, "stopButton"), Qt.LeftButton)
    wait_idle(qtbot, window, 5000)
    assert "stopped" in window.display.progress.format()


@pytest.mark.slow
def test_stop_while_paused(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None, timeout=20000)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window, 5000)


@pytest.mark.slow
def test_train_after_stop_continues_and_structural_change_starts_fresh(qtbot, window):
    use_config(window, MOONS.replace(epochs=400))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None and window.model.trainer.epoch >= 2,
                    timeout=20000)
    qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    first = window.model.trainer
    reached = first.global_step
    started = []
    window.model.events.run_started.connect(started.append)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(started), timeout=10000)
    assert started[0].continued and not started[0].fresh
    qtbot.waitUntil(lambda: first.global_step > reached, timeout=10000)
    assert window.model.trainer is first
    qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    window.findChild(QComboBox, "activationCombo").setCurrentIndex(
        window.findChild(QComboBox, "activationCombo").findData("tanh"))
    assert window.model.stale and "fresh weights" in window.statusBar().currentMessage()
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not first, timeout=20000)
    assert window.model.trainer.config.activation == "tanh"
    window.session.stop()
    wait_idle(qtbot, window)


def _train_a_few_steps(qtbot, window) -> None:
    """Click Train and wait until the run has taken a few steps."""
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None and window.model.trainer.global_step > 5,
                    timeout=20000)


@pytest.mark.slow
def test_learning_rate_change_mid_run_applies(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    _train_a_few_steps(qtbot, window)
    window.panel.lr.setValue(0.0042)
    qtbot.waitUntil(lambda: window.model.trainer.optimizer.param_groups[0]["lr"] == 0.0042, timeout=5000)
    window.session.stop()
    wait_idle(qtbot, window)


@pytest.mark.slow
def test_reset_mid_run_clears_the_model(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    _train_a_few_steps(qtbot, window)
    with qtbot.waitSignal(window.session.model_reset, timeout=5000):
        qtbot.mouseClick(window.findChild(QPushButton, "resetButton"), Qt.LeftButton)
    assert window.model.trainer is None and window.session.state == "idle"
    assert window.model.runs.current is None and window.model.runs.runs[-1].status == "stopped"


@pytest.mark.slow
def test_step_trains_one_batch(qtbot, window):
    use_config(window, MOONS)
    qtbot.mouseClick(window.findChild(QPushButton, "stepButton"), Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.model.trainer.global_step == 1
    qtbot.mouseClick(window.step_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.model.trainer.global_step == 2
    assert window.model.runs.current.steps.n == 2 and len(window.model.runs.runs) == 1


@pytest.mark.slow
def test_divergence_shows_a_message_and_plots_no_nan(qtbot, window):
    use_config(window, MOONS.replace(lr=1e9, optimizer="sgd", init="normal-1", epochs=50))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.feedback.banner_box.isVisible() and "diverged" in window.feedback.banner.text()
    _, y = window.model.runs.current.steps.data()
    assert np.isfinite(y).all() and window.model.runs.current.status == "diverged"
    assert window.display.progress.format() == "diverged"


@pytest.mark.slow
def test_closing_mid_run_joins_the_thread_quickly(qtbot, window, capfd):
    use_config(window, MOONS.replace(epochs=1000))
    _train_a_few_steps(qtbot, window)
    before = time.perf_counter()
    window.close()
    assert time.perf_counter() - before < 2.0
    assert window.session.runner._thread is None
    assert "Destroyed while thread" not in capfd.readouterr().err


@pytest.mark.slow
def test_closing_while_paused(qtbot, window):
    use_config(window, MOONS.replace(epochs=1000))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None, timeout=20000)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    before = time.perf_counter()
    window.close()
    assert time.perf_counter() - before < 2.0 and window.session.runner._thread is None


@pytest.mark.slow
def test_settings_persist_between_launches(qtbot, window):
    use_config(window, MOONS.replace(lr=0.0123))
    window.close()
    from playground.app import MainWindow
    again = MainWindow()
    qtbot.addWidget(again)
    assert again.panel.config().lr == pytest.approx(0.0123)
    assert again.panel.config().dataset == "moons"


@pytest.mark.slow
def test_config_save_and_load(qtbot, window, tmp_path):
    use_config(window, MOONS.replace(hidden=(7, 5), dropout=(0.1, 0.3)))
    window.files.save_config(tmp_path / "c.json")
    use_config(window, TrainConfig())
    window.files.load_config(tmp_path / "c.json")
    assert window.panel.config().hidden == (7, 5) and window.panel.config().dropout == (0.1, 0.3)


@pytest.mark.slow
def test_a_bad_config_file_leaves_the_panel_untouched(qtbot, window, tmp_path):
    use_config(window, MOONS)
    bad = tmp_path / "bad.json"
    bad.write_text('{"lr": "fast"}')
    window.files.load_config(bad)
    assert window.feedback.banner_box.isVisible() and "'lr' must be float" in window.feedback.banner.text()
    assert window.panel.config() == MOONS


@pytest.mark.slow
def test_hidden_layer_rows_add_and_remove(qtbot, window):
    editor = window.panel.hidden
    use_config(window, MOONS.replace(hidden=(16,)))
    qtbot.mouseClick(editor.add_button, Qt.LeftButton)
    assert window.panel.config().hidden == (16, 16)
    remove = editor._rows[0][3]
    qtbot.mouseClick(remove, Qt.LeftButton)
    qtbot.mouseClick(editor._rows[0][3], Qt.LeftButton)
    assert window.panel.config().hidden == ()
    assert "2-2:" in window.panel.size.text() or "2-2 " in window.panel.size.text() or "2-2" in window.panel.size.text()


@pytest.mark.slow
def test_the_config_panel_scrolls_down_only_and_is_never_cut_at_the_side(qtbot, window):
    from PySide6.QtWidgets import QScrollArea
    window.resize(1600, 1000)
    window.show()
    qtbot.waitExposed(window)
    scroll = next(w for w in window.findChildren(QScrollArea) if w.widget() is window.panel)
    assert scroll.horizontalScrollBarPolicy() == Qt.ScrollBarAlwaysOff
    assert window.panel.width() >= window.panel.minimumSizeHint().width()


def test_help_about_credits_the_shipped_pen_data(qtbot, monkeypatch):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    from playground.app import MainWindow
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append((title, text)))
    w = MainWindow()
    qtbot.addWidget(w)
    w.findChild(QAction, "aboutAction").trigger()
    assert shown and "UNIPEN" in shown[0][1] and "CC BY 4.0" in shown[0][1]
    w.close()
