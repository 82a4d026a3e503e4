import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.engine.config import TrainConfig
from playground.engine.train.sweep_params import parse_values
from tests.ui.conftest import use_config, wait_idle

TINY = TrainConfig(dataset="moons", hidden=(8,), epochs=2, batch_size=64, device="cpu", optimizer="sgd")


def _dialog(qtbot, config=TINY):
    from playground.ui.training.sweep_dialog import SweepDialog
    dialog = SweepDialog(config)
    qtbot.addWidget(dialog)
    return dialog


def test_presets_fill_the_values(qtbot):
    dialog = _dialog(qtbot)
    dialog.set_param("lr")
    dialog.choose_preset("learning rate 1e-4…1e-1, 8 log-spaced")
    param, values = dialog.choice()
    assert param == "lr" and np.allclose(values, np.logspace(-4, -1, 8), rtol=1e-2)
    assert parse_values("lr", dialog.values.text()) == values and dialog.start.isEnabled()
    dialog.set_param("dropout")
    dialog.choose_preset("dropout 0…0.5")
    assert dialog.choice() == ("dropout", [(0.0,), (0.1,), (0.2,), (0.3,), (0.4,), (0.5,)])
    dialog.set_param("seed")
    dialog.choose_preset("seed x5")
    assert dialog.choice() == ("seed", [0, 1, 2, 3, 4])
    assert "5 networks of moons" in dialog.summary.text() and "together" in dialog.summary.text()
    assert dialog.param.toolTip() and dialog.preset.toolTip() and dialog.values.toolTip()


def test_bad_values_get_one_line_and_no_start(qtbot):
    dialog = _dialog(qtbot)
    dialog.set_param("lr")
    dialog.values.setText("0.1,fast")
    assert not dialog.start.isEnabled() and "cannot read 'fast'" in dialog.summary.text()
    dialog.set_param("init")
    dialog.values.setText("default,magic")
    assert not dialog.start.isEnabled() and "magic" in dialog.summary.text()
    dialog.values.setText("default,zeros")
    assert dialog.start.isEnabled() and dialog.choice() == ("init", ["default", "zeros"])


def _run_sweep(qtbot, window, values_text="0.01,0.1,0.5"):
    use_config(window, TINY)
    controls = window.training.sweeps
    assert controls.button.objectName() == "sweepButton" and controls.button.toolTip()
    qtbot.mouseClick(controls.button, Qt.LeftButton)
    dialog = controls.dialog
    dialog.set_param("lr")
    dialog.values.setText(values_text)
    qtbot.mouseClick(dialog.start, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.session.state != "idle", timeout=5000)
    wait_idle(qtbot, window, timeout=60000)
    return controls


def test_a_sweep_adds_one_run_per_value_to_the_table_the_plot_and_the_store(qtbot, data_home, window):
    from playground.engine.runs.store import RunStore
    controls = _run_sweep(qtbot, window, "0.01,0.1,1e9")
    table = window.training.table
    names = [table.text(row, 0) for row in range(table.rowCount())]     # newest first
    assert names[:3] == ["sweep 1: lr 1e+09", "sweep 1: lr 0.1", "sweep 1: lr 0.01"]
    runs = window.model.runs.runs[-3:]
    assert [len(r.epochs) for r in runs] == [2, 2, 0] and [r.status for r in runs] == ["finished"] * 2 + ["diverged"]
    assert window.model.runs.current not in runs
    plot = window.findChild(type(controls.plot), "sweepPlot")
    assert plot is controls.plot and plot.isVisible()
    assert sorted(p.data() for p in plot.final.points()) == [0, 1]
    assert [p.data() for p in plot.diverged.points()] == [2]
    finals = {p.data(): p.pos().y() for p in plot.final.points()}
    assert finals[1] == pytest.approx(runs[1].epochs[-1].test_accuracy)
    assert plot.getAxis("bottom").labelText.endswith("(log scale)")
    xs = sorted(p.pos().x() for p in plot.final.points())
    assert xs == pytest.approx([-2, -1])
    store = RunStore.open(data_home)
    stored = sorted(store.list_runs(), key=lambda r: r.id)
    store.close()
    assert [(r.name, r.sweep, r.epochs, r.status) for r in stored] == [
        ("sweep 1: lr 0.01", "sweep 1", 2, "finished"), ("sweep 1: lr 0.1", "sweep 1", 2, "finished"),
        ("sweep 1: lr 1e+09", "sweep 1", 0, "diverged")]
    assert [r.store_id for r in runs] == [r.id for r in stored]
    assert controls.progress.value() == 1000 and "3/3" in controls.title.text()


@pytest.mark.slow
def test_the_plot_updates_every_epoch(qtbot, data_home, window):
    seen = []   # (epochs of each run, points drawn), after the plot has followed each change
    plot = window.training.sweeps.plot
    window.model.sweeps.events.changed.connect(lambda state: seen.append(
        (tuple(len(p.run.epochs) if p.run else 0 for p in state.points), len(plot.final.points()))))
    _run_sweep(qtbot, window, "0.05,0.2")
    assert ((1, 0), 1) in seen and ((1, 1), 2) in seen and seen[-1] == ((2, 2), 2)
    finals = [p.pos().y() for p in sorted(plot.final.points(), key=lambda p: p.data())]
    assert finals == [r.epochs[-1].test_accuracy for r in window.model.runs.runs[-2:]]


def test_clicking_a_point_highlights_its_runs_curves(qtbot, data_home, window):
    controls = _run_sweep(qtbot, window, "0.05,0.2")
    plot, runs = controls.plot, window.model.runs.runs[-2:]
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.screen_pos(1))
    assert controls.highlighted == runs[1].run_id
    curves = window.training.plots.curves
    assert all(item.opacity() == 1.0 for item in curves[runs[1].run_id].items)
    assert all(item.opacity() < 0.5 for item in curves[runs[0].run_id].items)
    assert window.training.table.selected_run_ids() == [runs[1].run_id]
    qtbot.mouseClick(plot.viewport(), Qt.LeftButton, pos=plot.screen_pos(1))
    assert controls.highlighted is None
    assert all(item.opacity() == 1.0 for item in curves[runs[0].run_id].items)


def test_stop_ends_the_sweep_and_its_runs_stop(qtbot, data_home, window):
    use_config(window, TINY.replace(epochs=200))
    controls = window.training.sweeps
    assert controls.start("seed", [1, 2])
    qtbot.waitUntil(lambda: any(p.run is not None and p.run.epochs for p in window.model.sweeps.current.points),
                    timeout=30000)
    qtbot.mouseClick(controls.stop, Qt.LeftButton)
    wait_idle(qtbot, window)
    state = window.model.sweeps.current
    assert not state.running and {p.status for p in state.points} == {"stopped"}
    assert controls.button.isEnabled()
