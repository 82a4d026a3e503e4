"""Run comparison: every run keeps its curves, overlaid on the plots and listed in the runs table."""
import pytest
import csv

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QComboBox, QTableView

from playground.engine.runs.history import CSV_COLUMNS

from tests.ui.conftest import MOONS, use_config, wait_idle


def _train(qtbot, window) -> None:
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)


def _legend(window, plot) -> list[str]:
    return [label.text for _, label in plot.getPlotItem().legend.items]


def _two_runs(qtbot, window) -> None:
    use_config(window, MOONS)
    _train(qtbot, window)
    combo = window.findChild(QComboBox, "activationCombo")
    combo.setCurrentIndex(combo.findData("sigmoid"))   # a structural change: the next Train is a new run
    _train(qtbot, window)


@pytest.mark.slow
def test_two_runs_appear_in_the_table_and_on_both_plots(qtbot, window):
    _two_runs(qtbot, window)
    table = window.findChild(QTableView, "runsTable")
    assert table.rowCount() == 2     # newest first
    assert [table.text(r, 0) for r in range(2)] == ["run 2: sigmoid", "run 1: relu"]
    assert [table.text(r, 10) for r in range(2)] == ["finished", "finished"]
    assert table.text(0, 2).startswith("sigmoid") and table.text(1, 4) == "3"
    window.plots.refresh()
    first, second = window.model.runs.runs
    for run in (first, second):
        curves = window.plots.curves[run.run_id]
        assert len(curves.test_loss.xData) == 3 and len(curves.test_accuracy.xData) == 3
        assert curves.test_accuracy.isVisible() and curves.train_loss.isVisible()
        assert float(table.text(2 - run.run_id, 5)) == round(run.last.test_accuracy, 4)
    colours = {window.plots.curves[r.run_id].test_loss.opts["pen"].color().name() for r in (first, second)}
    assert len(colours) == 2
    assert _legend(window, window.plots.loss_plot) == ["run 1: relu", "run 2: sigmoid"]
    assert _legend(window, window.plots.accuracy_plot) == ["run 1: relu", "run 2: sigmoid"]
    # only the run in progress (the newest) shows its raw batch loss
    assert not window.plots.curves[first.run_id].raw.isVisible()
    assert window.plots.curves[second.run_id].raw.isVisible()


@pytest.mark.slow
def test_hide_rename_and_delete_from_the_table(qtbot, window):
    _two_runs(qtbot, window)
    table = window.training.table
    first, second = window.model.runs.runs
    table.set_checked(1, False)     # newest first: row 1 is the first run
    assert not first.visible and not window.plots.curves[first.run_id].test_loss.isVisible()
    assert _legend(window, window.plots.loss_plot) == ["run 2: sigmoid"]
    table.set_checked(1, True)
    assert window.plots.curves[first.run_id].test_loss.isVisible()

    table.model().setData(table.model().index(0, 0), "sigmoid, the slow one")
    assert second.name == "sigmoid, the slow one"
    assert _legend(window, window.plots.accuracy_plot)[1] == "sigmoid, the slow one"
    table.model().setData(table.model().index(0, 0), "   ")
    assert second.name == "sigmoid, the slow one" and table.text(0, 0) == "sigmoid, the slow one"

    table.selectRow(1)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key_Delete)
    assert [r.name for r in window.model.runs.runs] == ["sigmoid, the slow one"] and table.rowCount() == 1
    assert first.run_id not in window.plots.curves
    assert len(window.plots.loss_plot.getPlotItem().listDataItems()) == 4   # one run: raw, smoothed, train and test loss
    assert _legend(window, window.plots.loss_plot) == ["sigmoid, the slow one"]
    assert "Ctrl+Z" in window.statusBar().currentMessage()

    qtbot.keyClick(table, Qt.Key_Z, Qt.ControlModifier)    # undo brings the run back, in its place
    assert [r.name for r in window.model.runs.runs] == ["run 1: relu", "sigmoid, the slow one"]
    assert table.text(1, 0) == "run 1: relu" and table.rowCount() == 2
    window.plots.refresh()
    assert len(window.plots.curves[first.run_id].test_loss.xData) == 3
    assert _legend(window, window.plots.loss_plot) == ["run 1: relu", "sigmoid, the slow one"]
    assert not window.training.undo.isEnabled()


@pytest.mark.slow
def test_only_latest_and_show_all(qtbot, window):
    _two_runs(qtbot, window)
    first, second = window.model.runs.runs
    qtbot.mouseClick(window.training.only_latest, Qt.LeftButton)
    assert not first.visible and second.visible
    assert not window.training.table.is_checked(1)
    qtbot.mouseClick(window.training.show_all, Qt.LeftButton)
    assert first.visible and second.visible


@pytest.mark.slow
def test_the_run_in_progress_cannot_be_deleted(qtbot, window):
    use_config(window, MOONS.replace(epochs=500))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.training.table.rowCount() == 1, timeout=20000)
    window.training.table.selectRow(0)
    qtbot.mouseClick(window.training.delete, Qt.LeftButton)
    assert window.training.table.rowCount() == 1 and len(window.model.runs.runs) == 1
    assert "stop it before deleting" in window.statusBar().currentMessage()
    qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.model.runs.current.status == "stopped"
    qtbot.mouseClick(window.training.delete, Qt.LeftButton)
    assert window.training.table.rowCount() == 0 and window.model.runs.current is None


@pytest.mark.slow
def test_continuing_after_stop_extends_the_same_run_and_reset_starts_another(qtbot, window):
    use_config(window, MOONS.replace(epochs=400))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None and window.model.trainer.epoch >= 2, timeout=20000)
    qtbot.mouseClick(window.stop_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    run = window.model.runs.current
    epochs = len(run.epochs)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: len(run.epochs) > epochs + 1, timeout=20000)
    assert run.status == "running" and len(window.model.runs.runs) == 1
    qtbot.mouseClick(window.reset_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert run.status == "stopped" and window.model.runs.current is None
    use_config(window, MOONS)
    _train(qtbot, window)
    assert len(window.model.runs.runs) == 2 and window.training.table.rowCount() == 2


@pytest.mark.slow
def test_export_csv_and_png(qtbot, window, tmp_path):
    assert not window.training.export_csv(tmp_path / "empty.csv")
    assert "no finished epochs" in window.feedback.banner.text()
    _two_runs(qtbot, window)
    assert window.training.export_csv(tmp_path / "curves.csv")
    rows = list(csv.reader((tmp_path / "curves.csv").open()))
    assert rows[0] == ["run"] + CSV_COLUMNS
    assert [r[0] for r in rows[1:]] == ["run 1: relu"] * 3 + ["run 2: sigmoid"] * 3
    assert float(rows[3][CSV_COLUMNS.index("test_accuracy") + 1]) == window.model.runs.runs[0].last.test_accuracy
    window.model.runs.runs[0].visible = False   # export what is shown
    assert window.training.export_csv(tmp_path / "shown.csv")
    assert len((tmp_path / "shown.csv").read_text().splitlines()) == 4
    assert window.training.export_png(tmp_path / "curves.png")
    image = QImage(str(tmp_path / "curves.png"))
    assert not image.isNull() and image.width() > 200 and image.height() > 200
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    assert not window.training.export_csv(blocker / "x.csv")
    assert window.feedback.banner_box.isVisible() and "cannot write" in window.feedback.banner.text()
    assert not window.training.export_png(blocker / "x.png")
    assert "cannot write" in window.feedback.banner.text()
