"""The run store in the window: stored runs listed at launch, filtered, sorted, opened, renamed, annotated, deleted."""
import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QTableView, QToolButton

from playground.engine.config import TrainConfig
from playground.engine.runs.recorder import Recorder, trainer_model_bytes
from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord
from playground.engine.train.training import Trainer
from playground.ui.training.runs_model import COLUMNS, SORT_ROLE, dataset_label
from tests.ui.conftest import line, stroke, wait_idle

MOONS = TrainConfig(dataset="moons", hidden=(8,), dropout=(0.0,), epochs=2, device="cpu", lr=0.01)


def _fake_runs(folder, n: int, datasets=("moons", "circles")) -> list[int]:
    """n runs with epochs (no model files), as a store fills over many sessions; the last is interrupted."""
    store = RunStore.open(folder)
    ids = []
    for i in range(n):
        config = MOONS.replace(dataset=datasets[i % len(datasets)], lr=0.001 * (i + 1))
        run_id = store.create_run(config, f"stored {i + 1}", device="cpu", architecture="2-8-2")
        for e in (1, 2):
            store.append_epoch(run_id, EpochRecord(e, 1 / e, 0.6, 1.1 / e, 0.5 + 0.01 * ((i * 7) % n), 0.1, step=e),
                               steps=np.array([[e - 0.5, 0.8 / e], [e, 0.7 / e]]))
        store.finish_run(run_id, "finished" if i < n - 1 else "stopped")
        ids.append(run_id)
    store.close()
    return ids


def _trained_run(folder, config: TrainConfig, dataset=None) -> int:
    store = RunStore.open(folder)
    trainer = Trainer(config, dataset)
    recorder = Recorder(store, trainer_model_bytes(trainer), name="trained")
    run_id = recorder.start_trainer(trainer)
    for _ in recorder.watch(trainer.run()):
        pass
    store.close()
    return run_id


def _window(qtbot, **kwargs):
    from playground.app import MainWindow
    w = MainWindow(**kwargs)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()     # the Delete and Ctrl+Z shortcuts act in the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=5000)
    return w


def _close(qtbot, w) -> None:
    w.close()
    w.session.shutdown(2000)


def test_runs_table_lists_every_stored_run_at_launch_unticked(qtbot, run_store):
    ids = _fake_runs(run_store, 25)
    w = _window(qtbot)
    table = w.findChild(QTableView, "runsTable")
    assert table.rowCount() == 25
    assert [table.text(r, 0) for r in (0, 1, 24)] == ["stored 25", "stored 24", "stored 1"]   # newest first
    assert table.text(0, COLUMNS.index("status")) == "stopped" and table.text(1, COLUMNS.index("epochs")) == "2"
    assert not any(table.is_checked(r) for r in range(25)) and w.plots.curves == {}     # the plots start clean
    assert all(run.epochs == [] for run in w.model.runs.runs)                            # nothing read yet
    table.set_checked(3, True)                      # ticking reads the run's epochs and draws them
    run = table.run_at(3)
    assert run.store_id == ids[-4] and [e.epoch for e in run.epochs] == [1, 2]
    w.plots.refresh()
    assert len(w.plots.curves[run.run_id].test_loss.xData) == 2
    qtbot.waitUntil(lambda: "25 runs kept" in w.findChild(QLabel, "storeSizeLabel").text(), timeout=5000)
    assert "on disk" in w.training.store_line.text()
    _close(qtbot, w)


def test_filter_by_name_dataset_and_status_and_every_column_sorts(qtbot, run_store):
    _fake_runs(run_store, 12)
    w = _window(qtbot)
    table, box = w.training.table, w.findChild(QLineEdit, "runsFilter")
    qtbot.keyClicks(box, "circles")
    shown = {table.text(r, COLUMNS.index("dataset")) for r in range(table.rowCount())}
    assert table.rowCount() == 6 and shown == {dataset_label("circles")}
    box.clear()
    qtbot.keyClicks(box, "STOPPED")
    assert table.rowCount() == 1 and table.text(0, 0) == "stored 12"
    box.setText("stored 1")                     # every word must match: "stored 1", "stored 10", "11", "12"
    assert sorted(table.text(r, 0) for r in range(table.rowCount())) == ["stored 1", "stored 10", "stored 11",
                                                                         "stored 12"]
    box.clear()
    assert table.rowCount() == 12
    for column, name in enumerate(COLUMNS):
        table.sortByColumn(column, Qt.AscendingOrder)
        keys = [table.proxy.index(r, column).data(SORT_ROLE) for r in range(12)]
        assert keys == sorted(keys), name
    test_acc = COLUMNS.index("test acc")
    header = table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.LeftButton, pos=QPoint(header.sectionViewportPosition(test_acc) + 10,
                                                                  header.height() // 2))
    values = [float(table.text(r, test_acc)) for r in range(12)]
    assert values in (sorted(values), sorted(values, reverse=True))
    _close(qtbot, w)


def test_open_a_stored_digit_model_the_draw_tab_predicts_with_it(qtbot, run_store, small_digits, tmp_path):
    config = TrainConfig(dataset="mnist", data_dir=str(tmp_path / "none"), hidden=(32,), epochs=2, device="cpu")
    run_id = _trained_run(run_store, config, small_digits)
    w = _window(qtbot)
    table = w.training.table
    assert w.draw.predicted.text() == ""
    table.selectRow(0)
    qtbot.mouseClick(w.findChild(QToolButton, "openRunButton"), Qt.LeftButton)
    run = w.model.runs.current
    assert run is table.run_at(0) and run.store_id == run_id and run.visible and len(run.epochs) == 2
    assert w.model.loaded is not None and w.panel.config().hidden == (32,)
    assert "Opened the last model" in w.statusBar().currentMessage()
    w.tabs.setCurrentWidget(w.draw)
    stroke(w.draw.canvas, line((140, 30), (140, 250)))
    assert w.draw.predicted.text() in [str(i) for i in range(10)]
    _close(qtbot, w)


def test_open_by_double_click_then_train_continues_the_same_run(qtbot, run_store):
    run_id = _trained_run(run_store, MOONS)
    w = _window(qtbot)
    table = w.training.table
    table.doubleClicked.emit(table.proxy.index(0, 1))
    wait_idle(qtbot, w)          # the model is measured on its test split: the Mistakes tab fills in
    assert w.mistakes.record is not None and w.mistakes.record.epoch == 2
    w.panel.set_config(w.panel.current().replace(epochs=3))
    w._on_config(w.panel.current())
    qtbot.mouseClick(w.train_button, Qt.LeftButton)
    wait_idle(qtbot, w)
    store = w.model.store
    assert len(store.list_runs()) == 1 and store.get(run_id).epochs == 3
    assert table.rowCount() == 1 and table.text(0, COLUMNS.index("epochs")) == "3"
    _close(qtbot, w)


def test_a_missing_model_file_says_why_and_the_run_stays_listed(qtbot, run_store):
    run_id = _trained_run(run_store, MOONS)
    (run_store / "runs" / str(run_id) / "best.pt").write_bytes(b"not a checkpoint")
    (run_store / "runs" / str(run_id) / "last.pt").unlink()
    w = _window(qtbot)
    w.training.table.selectRow(0)
    w.training.table.open_selected("last")
    assert "file is missing" in w.feedback.banner.text() and w.model.loaded is None
    w.training.table.open_selected("best")
    assert "cannot be opened" in w.feedback.banner.text() and w.model.loaded is None
    assert w.training.table.rowCount() == 1
    _close(qtbot, w)


def test_rename_and_notes_persist_across_a_new_window(qtbot, run_store, monkeypatch):
    ids = _fake_runs(run_store, 3)
    w = _window(qtbot)
    table = w.training.table
    table.proxy.setData(table.proxy.index(1, 0), "the middle one")
    from playground.ui.training import training_tab

    class Typed(training_tab.NotesDialog):
        def exec(self):
            self.edit.setPlainText("lr too low\nbut smooth")
            return QDialog.Accepted
    monkeypatch.setattr(training_tab, "NotesDialog", Typed)
    table.doubleClicked.emit(table.proxy.index(1, COLUMNS.index("notes")))
    assert table.text(1, COLUMNS.index("notes")) == "lr too low"
    _close(qtbot, w)

    again = _window(qtbot)
    run = again.training.table.run_at(1)
    assert (run.store_id, run.name, run.notes) == (ids[1], "the middle one", "lr too low\nbut smooth")
    assert again.training.table.text(1, COLUMNS.index("notes")) == "lr too low"
    _close(qtbot, again)


def test_delete_and_undo_then_closing_removes_the_run_and_its_files(qtbot, run_store):
    keep = _trained_run(run_store, MOONS)
    doomed = _trained_run(run_store, MOONS)
    files = run_store / "runs" / str(doomed)
    w = _window(qtbot)
    table = w.training.table
    table.selectRow(0)                          # the newest: doomed
    table.setFocus()
    qtbot.keyClick(table, Qt.Key_Delete)
    assert table.rowCount() == 1 and files.is_dir()
    qtbot.keyClick(table, Qt.Key_Z, Qt.ControlModifier)
    assert table.rowCount() == 2 and table.run_at(0).store_id == doomed
    table.selectRow(0)
    qtbot.mouseClick(w.training.delete, Qt.LeftButton)
    _close(qtbot, w)
    store = RunStore.open(run_store)
    assert [r.id for r in store.list_runs()] == [keep] and not files.exists()
    store.close()
    again = _window(qtbot)
    assert again.training.table.rowCount() == 1
    _close(qtbot, again)


def test_window_run_option_opens_that_run(qtbot, run_store):
    run_id = _trained_run(run_store, MOONS)
    _trained_run(run_store, MOONS)
    w = _window(qtbot, run=f"{run_id}:best")
    assert w.model.runs.current.store_id == run_id and w.model.loaded is not None
    _close(qtbot, w)


def test_a_damaged_store_shows_in_the_banner_and_recording_goes_on(qtbot, run_store):
    (run_store / "runs.db").write_bytes(b"this is not a database" * 100)
    w = _window(qtbot)
    assert "damaged" in w.feedback.banner.text() and not w.feedback.banner_box.isHidden()
    assert w.training.table.rowCount() == 0 and w.model.store.recording
    assert list(run_store.glob("runs.db.damaged-*"))
    _close(qtbot, w)


@pytest.mark.parametrize("stored", [40])
def test_new_runs_go_on_top_of_the_stored_ones(qtbot, run_store, stored):
    _fake_runs(run_store, stored)
    w = _window(qtbot)
    w.panel.set_config(MOONS)
    w._on_config(w.panel.current())
    qtbot.mouseClick(w.train_button, Qt.LeftButton)
    wait_idle(qtbot, w)
    table = w.training.table
    assert table.rowCount() == stored + 1 and table.run_at(0) is w.model.runs.current
    assert table.is_checked(0) and table.text(0, COLUMNS.index("status")) == "finished"
    assert w.model.store.get(w.model.runs.current.store_id).epochs == 2
    _close(qtbot, w)
