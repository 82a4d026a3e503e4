"""File > Open data…: the table preview (dataPreview), Load with the chosen label, what is remembered per
file, and bad files that change nothing."""
import numpy as np
from PySide6.QtCore import Qt

from playground.engine.datasets.tables.progress import Watch
from playground.ui.window.table_memory import remembered

from tests.ui.conftest import MOONS, use_config, wait_idle


def _write(path, rows=240):
    rng = np.random.default_rng(3)
    lines = ["height,colour,member,ticket,size,kind"]
    for i in range(rows):
        height = "" if i % 8 == 0 else f"{rng.normal(170, 10):.1f}"
        colour = ["red", "blue", "green"][i % 3]
        lines.append(f"{height},{colour},{'yes' if i % 2 else 'no'},T{i:05d},{['S', 'M', 'L'][i % 3]},"
                     f"{'cat' if rng.random() > 0.5 else 'dog'}")
    path.write_text("\n".join(lines) + "\n")
    return path


def _preview(qtbot, window, path):
    dialog = window.data.table_loader.preview(path)
    qtbot.waitUntil(lambda: dialog.info is not None or not dialog.error.isHidden(), timeout=30000)
    return dialog


def _rows(dialog) -> dict[str, list[str]]:
    t = dialog.table
    return {t.item(r, 0).text(): [t.item(r, c).text() for c in range(t.columnCount())] for r in range(t.rowCount())}


def _pick_label(qtbot, dialog, name):
    before = dialog.info
    dialog.label_combo.setCurrentIndex(dialog.label_combo.findText(name))
    qtbot.waitUntil(lambda: dialog.info is not before and dialog.info is not None
                    and dialog.info["label"] == name, timeout=30000)


def test_the_preview_lists_each_column_with_its_type_missing_count_and_fate(qtbot, window, tmp_path):
    dialog = _preview(qtbot, window, _write(tmp_path / "pets.csv"))
    assert dialog.objectName() == "dataPreview" and dialog.isVisible()
    rows = _rows(dialog)
    assert list(rows) == ["height", "colour", "member", "ticket", "size", "kind"]
    assert rows["height"][1:3] == ["number", "30"] and "was missing" in rows["height"][4]
    assert rows["colour"][1:5] == ["text", "0", "3", "3 one-hot features"]
    assert rows["member"][1] == "yes/no"
    assert rows["ticket"][4] == "left out" and "identifier" in rows["ticket"][5]
    assert rows["kind"][1] == "label (classification)" and rows["kind"][4] == "label"
    assert dialog.label_combo.currentText() == "kind" and dialog.label_combo.count() == 6
    assert "240 rows" in dialog.summary.text() and "defaults for this table: batch size 16" in dialog.result.text()
    assert dialog.load_button.isEnabled() and not window.panel.current().dataset.startswith("csv:")
    for w in (dialog.label_combo, dialog.task_combo, dialog.levels, dialog.table, dialog.load_button,
              dialog.cancel_button, dialog.progress):
        assert w.toolTip(), w.objectName()
    dialog.levels.setValue(1000)     # the level cap keeps the identifier once raised
    dialog.levels.editingFinished.emit()
    qtbot.waitUntil(lambda: dialog.info is not None and dialog.choice.max_levels == 1000
                    and _rows(dialog)["ticket"][4] != "left out", timeout=30000)


def test_picking_a_label_and_loading_trains_with_it_and_the_choice_is_remembered(qtbot, window, tmp_path):
    path = _write(tmp_path / "pets.csv")
    dialog = _preview(qtbot, window, path)
    _pick_label(qtbot, dialog, "colour")
    assert _rows(dialog)["colour"][4] == "label" and _rows(dialog)["kind"][4] != "label"
    assert "3 classes (blue 80, green 80, red 80)" in dialog.result.text()
    qtbot.mouseClick(dialog.load_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.panel.current().dataset == f"csv:{path}", timeout=30000)
    wait_idle(qtbot, window)
    config = window.panel.current()
    assert config.label_column == "colour" and window.data.table_loader.dialog is None
    # the table's own defaults are the panel's values and the note says so; the user's value wins
    assert (config.batch_size, config.epochs) == (16, 200)
    note = window.panel.table_defaults
    assert note.isVisible() and "batch size 16, 200 epochs" in note.label.text() and not note.use.isEnabled()
    window.panel.epochs.setValue(2)
    assert "yours differ" in note.label.text() and note.use.isEnabled()
    assert remembered(path)["epochs"] == 2 and "batch_size" not in remembered(path)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    run = window.model.runs.current
    assert run.config.label_column == "colour" and run.config.epochs == 2
    assert window.model.trainer.dataset.class_names == ["blue", "green", "red"]
    # a new preview of the same file starts from the remembered choice; loading keeps the user's epochs
    use_config(window, MOONS)
    dialog = _preview(qtbot, window, path)
    assert dialog.label_combo.currentText() == "colour" and dialog.info["label"] == "colour"
    qtbot.mouseClick(dialog.load_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.panel.current().dataset == f"csv:{path}", timeout=30000)
    assert window.panel.current().epochs == 2 and window.panel.current().batch_size == 16


def test_a_label_with_one_class_is_said_in_the_preview_which_waits(qtbot, window, tmp_path):
    path = tmp_path / "flat.csv"
    path.write_text("a,b,same,kind\n" + "".join(f"{i},{i % 3},x,{'p' if i % 2 else 'q'}\n" for i in range(30)))
    dialog = _preview(qtbot, window, path)
    dialog.label_combo.setCurrentIndex(dialog.label_combo.findText("same"))
    qtbot.waitUntil(lambda: not dialog.error.isHidden(), timeout=30000)
    assert "single class" in dialog.error.text() and not dialog.load_button.isEnabled()
    assert window.feedback.banner_box.isHidden() and dialog.label_combo.count() == 4


def test_bad_files_show_one_line_in_the_banner_and_keep_the_data(qtbot, window, tmp_path):
    use_config(window, MOONS.replace(epochs=1))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    runs = list(window.model.runs.runs)
    files = {"empty.csv": b"", "header.csv": b"a,b,label\n", "one.csv": b"a,b,label\n1,2,x\n",
             "garbage.csv": bytes(range(256)) * 40, "ragged.csv": b"a,b,label\n1,2,x\n3,4\n5,6,y\n",
             "book.xls": b"\xd0\xcf\x11\xe0 an old excel file"}
    expected = {"empty.csv": "empty", "header.csv": "no data rows", "one.csv": "single data row",
                "garbage.csv": "binary", "ragged.csv": "line 3 has 2 columns", "book.xls": ".xls"}
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        window.feedback.clear_error()
        window.data.table_loader.preview(path)
        qtbot.waitUntil(lambda: not window.feedback.banner_box.isHidden(), timeout=30000)
        text = window.feedback.banner.text()
        assert expected[name] in text and "\n" not in text and "Traceback" not in text, (name, text)
        assert window.data.table_loader.dialog is None
        assert window.panel.current().dataset == "moons" and window.model.runs.runs == runs
    assert len(window.boundary.train_points.data) == 2000


def test_cancel_while_loading_closes_the_preview_and_changes_nothing(qtbot, window, tmp_path):
    path = _write(tmp_path / "pets.csv")
    dialog = _preview(qtbot, window, path)
    qtbot.mouseClick(dialog.load_button, Qt.LeftButton)
    assert dialog.load_button.text() == "Loading…" and not dialog.label_combo.isEnabled()
    qtbot.mouseClick(dialog.cancel_button, Qt.LeftButton)
    assert window.data.table_loader.dialog is None and not dialog.isVisible()
    wait_idle(qtbot, window)
    qtbot.wait(50)
    assert not window.panel.current().dataset.startswith("csv:") and window.feedback.banner_box.isHidden()


def test_a_load_cancelled_before_its_first_column_says_so_in_the_status_bar(qtbot, window, tmp_path):
    path = _write(tmp_path / "pets.csv")
    watch = Watch()
    watch.cancel()
    window.data.open_data(path, "kind", watch=watch)
    wait_idle(qtbot, window)
    assert not window.panel.current().dataset.startswith("csv:") and window.feedback.banner_box.isHidden()
    assert "cancelled" in window.statusBar().currentMessage()
