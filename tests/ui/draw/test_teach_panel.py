import numpy as np
import pytest
import torch
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton

from playground.engine.config import TrainConfig
from playground.engine.drawing.my_digits import MyDigitsStore
from playground.ui.draw.draw_tab import DrawTab
from playground.ui.session import TrainingSession
from tests.ui.conftest import stroke


@pytest.fixture
def bare(qtbot, data_home):
    """A Draw tab with its teach panel, no model yet, and an empty set of my digits in the data folder."""
    session = TrainingSession(TrainConfig(device="cpu"))
    tab = DrawTab(session.model, session=session)
    qtbot.addWidget(tab)
    tab.show()
    yield tab
    session.shutdown(None)


@pytest.fixture
def draw(qtbot, data_home, small_digits):
    """A Draw tab whose model was trained by the session on my digits (200 built-in test digits taught)."""
    store = MyDigitsStore()
    for digit in range(10):
        for image in small_digits.test_x[small_digits.test_y == digit][:20]:
            store.add(image.numpy(), digit)
    session = TrainingSession(TrainConfig(dataset="my-digits", hidden=(32,), dropout=(0.0,), epochs=3,
                                          device="cpu"))
    tab = DrawTab(session.model, session=session)
    qtbot.addWidget(tab)
    tab.show()
    session.train()
    qtbot.waitUntil(lambda: session.state == "idle" and session.model.trainer is not None, timeout=60000)
    yield tab
    session.shutdown(None)


def three():
    top = [(90 + int(50 * np.sin(t)), 80 - int(40 * np.cos(t))) for t in np.linspace(0, np.pi, 12)]
    bottom = [(90 + int(55 * np.sin(t)), 170 - int(50 * np.cos(t))) for t in np.linspace(0, np.pi, 12)]
    return top + bottom


def test_teaching_a_drawing_adds_it_with_that_label_and_counts_it(qtbot, bare, data_home):
    draw = bare
    button = draw.findChild(QPushButton, "teachDigit3")
    count = draw.findChild(QLabel, "teachCount3")
    message = draw.findChild(QLabel, "teachMessage")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert "Draw a digit" in message.text() and count.text() == "0"
    stroke(draw.canvas, three())
    qtbot.mouseClick(button, Qt.LeftButton)
    assert count.text() == "1"
    entries = MyDigitsStore(data_home / "my-digits").entries()      # saved in the data folder
    assert [e.label for e in entries] == [3]
    assert entries[0].image.shape == (28, 28) and entries[0].image.max() > 200
    assert len(entries[0].strokes) == 1 and len(entries[0].strokes[0]) == 24
    assert draw.canvas.is_empty()                  # cleared for the next drawing
    assert "Added as a 3 (1 taught)" in message.text()


def test_a_loaded_image_can_be_taught_until_something_is_drawn(qtbot, bare, data_home, tmp_path):
    from PySide6.QtGui import QImage
    draw = bare
    image = QImage(200, 300, QImage.Format_Grayscale8)
    image.fill(255)
    for y in range(40, 260):
        for x in range(95, 110):
            image.setPixel(x, y, 0)                  # a dark bar: a 1
    image.save(str(tmp_path / "one.png"))
    assert draw.load_image(str(tmp_path / "one.png"))
    qtbot.mouseClick(draw.findChild(QPushButton, "teachDigit1"), Qt.LeftButton)
    assert draw.findChild(QLabel, "teachCount1").text() == "1"
    (entry,) = MyDigitsStore(data_home / "my-digits").entries()
    assert entry.label == 1 and entry.strokes == [] and entry.image.max() > 200
    qtbot.mouseClick(draw.findChild(QPushButton, "teachDigit1"), Qt.LeftButton)   # cleared once taught
    assert draw.findChild(QLabel, "teachCount1").text() == "1"
    assert draw.load_image(str(tmp_path / "one.png"))
    stroke(draw.canvas, three())                     # drawing replaces the loaded image
    qtbot.mouseClick(draw.findChild(QPushButton, "teachDigit3"), Qt.LeftButton)
    assert sorted(len(e.strokes) for e in MyDigitsStore(data_home / "my-digits").entries()) == [0, 1]


def test_fine_tune_on_an_empty_or_one_digit_set_says_why(qtbot, bare):
    draw = bare
    message = draw.findChild(QLabel, "teachMessage")
    qtbot.mouseClick(draw.findChild(QPushButton, "fineTuneButton"), Qt.LeftButton)
    assert "my digits is empty" in message.text()
    stroke(draw.canvas, three())
    qtbot.mouseClick(draw.findChild(QPushButton, "teachDigit3"), Qt.LeftButton)
    qtbot.mouseClick(draw.findChild(QPushButton, "fineTuneButton"), Qt.LeftButton)
    assert "only 3s" in message.text()
    assert draw.teach.session.state == "idle"


@pytest.mark.slow
def test_fine_tune_runs_in_the_background_and_the_tab_predicts_with_the_tuned_weights(qtbot, draw, small_digits):
    store = draw.teach.store
    mirrored = []
    for digit in range(10):
        for image in small_digits.test_x[small_digits.test_y == digit][20:23]:
            store.add(image.flip(-1).numpy(), digit)            # a mirrored 'handwriting'
            mirrored.append(image.flip(-1))
    draw.teach.refresh_counts()
    assert draw.findChild(QLabel, "teachCount9").text() == "23"
    probe = torch.stack(mirrored)
    before = draw.model.predict_proba(probe)
    button = draw.findChild(QPushButton, "fineTuneButton")
    progress = draw.findChild(QProgressBar, "fineTuneProgress")
    qtbot.mouseClick(button, Qt.LeftButton)
    assert not button.isEnabled()
    qtbot.waitUntil(button.isEnabled, timeout=60000)
    assert progress.value() == progress.maximum()
    assert "fine-tuned" in draw.findChild(QLabel, "teachMessage").text().lower()
    after = draw.model.predict_proba(probe)      # the Draw tab's predictions come from the tuned weights
    assert not torch.allclose(before, after)


def test_browser_deletes_and_exports(qtbot, bare, tmp_path):
    draw = bare
    from playground.engine.datasets.idx import read_idx
    store = draw.teach.store
    for digit in (1, 1, 4):
        image = np.zeros((28, 28), np.uint8)
        image[5:23, 12:16] = 255
        store.add(image, digit)
    draw.teach.refresh_counts()
    qtbot.mouseClick(draw.findChild(QPushButton, "myDigitsButton"), Qt.LeftButton)
    browser = draw.teach._browser
    qtbot.addWidget(browser)
    assert browser.list.count() == 3
    browser.list.item(0).setSelected(True)
    qtbot.mouseClick(browser.delete_button, Qt.LeftButton)
    assert browser.list.count() == 2 and len(store) == 2
    assert draw.findChild(QLabel, "teachCount1").text() == "1"
    assert browser.export_png(tmp_path / "grid.png") and (tmp_path / "grid.png").stat().st_size > 0
    assert browser.export_idx(tmp_path / "idx")
    assert read_idx(tmp_path / "idx" / "my-digits-labels-idx1-ubyte").tolist() == [1, 4]


def test_damaged_file_is_reported_not_fatal(qtbot, data_home):
    folder = data_home / "my-digits"
    folder.mkdir()
    (folder / "abc.json").write_text("{not json")
    session = TrainingSession(TrainConfig(device="cpu"))
    tab = DrawTab(session.model, session=session)
    qtbot.addWidget(tab)
    assert "skipped damaged file abc.json" in tab.findChild(QLabel, "teachMessage").text()


def test_mix_my_digits_check_reaches_the_config_for_digit_sets_only(qtbot):
    from PySide6.QtWidgets import QCheckBox
    from playground.ui.training.config_panel import ConfigPanel
    panel = ConfigPanel(TrainConfig())
    qtbot.addWidget(panel)
    check = panel.findChild(QCheckBox, "mixMyDigitsCheck")
    check.setChecked(True)
    assert panel.current().mix_my_digits
    panel.set_config(TrainConfig(dataset="moons"))
    assert not check.isEnabled() and not panel.config().mix_my_digits
