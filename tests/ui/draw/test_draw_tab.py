import copy

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from playground.engine.runs.checkpoint import save_checkpoint
from playground.engine.config import TrainConfig
from playground.engine.train.training import Trainer
from tests.ui.conftest import line, stroke


@pytest.fixture(scope="module")
def digit_checkpoint(tmp_path_factory, small_digits):
    trainer = Trainer(TrainConfig(hidden=(64,), epochs=3, device="cpu"), small_digits)
    for _ in trainer.run():
        pass
    path = tmp_path_factory.mktemp("ckpt") / "digits.pt"
    d = trainer.dataset
    save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names, d.kind, trainer.history)
    return str(path)


@pytest.fixture
def drawing_window(qtbot, digit_checkpoint):
    from playground.app import MainWindow
    w = MainWindow(checkpoint=digit_checkpoint)
    qtbot.addWidget(w)
    w.show()
    w.tabs.setCurrentWidget(w.draw)
    yield w
    w.close()


@pytest.mark.slow
def test_drawing_predicts_and_clear_empties(qtbot, drawing_window):
    w = drawing_window
    canvas = w.findChild(QWidget, "digitCanvas")
    label = w.findChild(QLabel, "predictedDigit")
    assert label.text() == ""
    stroke(canvas, line((140, 30), (140, 250)))          # a one
    first = label.text()
    assert first in [str(i) for i in range(10)]
    assert canvas.pixels().max() == 255
    qtbot.mouseClick(w.findChild(QPushButton, "clearCanvasButton"), Qt.LeftButton)
    assert label.text() == "" and canvas.pixels().max() == 0
    # a zero: a closed loop, small and off-centre
    loop = [(60 + int(30 * np.cos(t)), 200 + int(45 * np.sin(t))) for t in np.linspace(0, 2 * np.pi, 40)]
    stroke(canvas, loop)
    assert label.text() != "" and label.text() != first or label.text() == "0"


@pytest.mark.slow
def test_a_one_reads_as_one_and_a_zero_as_zero(qtbot, drawing_window):
    w = drawing_window
    canvas, label = w.draw.canvas, w.draw.predicted
    stroke(canvas, line((150, 40), (135, 240)))
    assert label.text() == "1"
    QTest.keyClick(canvas, Qt.Key_Escape)
    assert label.text() == ""
    loop = [(140 + int(60 * np.cos(t)), 140 + int(90 * np.sin(t))) for t in np.linspace(0, 2.1 * np.pi, 50)]
    stroke(canvas, loop)
    assert label.text() == "0"


@pytest.mark.slow
def test_undo_removes_the_last_stroke(qtbot, drawing_window):
    canvas = drawing_window.draw.canvas
    stroke(canvas, line((100, 40), (100, 240)))
    one = canvas.pixels().copy()
    stroke(canvas, line((40, 140), (240, 140)))
    assert (canvas.pixels() != one).any()
    assert canvas.pixels()[140, 200:240].max() == 255
    qtbot.mouseClick(drawing_window.draw.undo_button, Qt.LeftButton)
    after = canvas.pixels()
    assert after[130:150, 160:260].max() == 0          # the horizontal stroke is gone
    assert after[40:240, 100].min() == 255             # the vertical one is still there
    assert np.abs(after.astype(int) - one.astype(int)).mean() < 1


@pytest.mark.slow
def test_without_a_model_the_canvas_says_what_to_do(qtbot, window):
    assert "No model yet" in window.draw.canvas.hint
    stroke(window.draw.canvas, line((100, 40), (100, 240)))
    assert window.draw.predicted.text() == ""


@pytest.mark.slow
def test_predicts_with_the_model_being_trained(qtbot, window, small_digits):
    from playground.engine.drawing.stroke_render import render_drawing
    from playground.engine.train.evaluation import predict_proba
    from tests.ui.conftest import use_config, wait_idle
    config = TrainConfig(hidden=(32,), epochs=50, device="cpu")
    use_config(window, config)
    window.model.provide_dataset(small_digits, config)
    window.tabs.setCurrentWidget(window.draw)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.model.trainer is not None and window.model.trainer.global_step > 20, timeout=30000)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)          # pause: the weights hold still
    qtbot.waitUntil(lambda: window.model.control.holding, timeout=5000)   # the loop is between two steps
    trainer = window.model.trainer
    step = trainer.global_step
    qtbot.wait(1200)                  # longer than the snapshot's rate limit: the next copy is of the paused weights
    stroke(window.draw.canvas, line((100, 40), (100, 240)))
    window.draw.predict()
    digit = render_drawing(window.draw.canvas.strokes())
    with trainer.weights_lock:
        live_model = copy.deepcopy(trainer.model).cpu()
    live = predict_proba(live_model, digit[None])[0].numpy()     # the live model itself, not a snapshot
    assert trainer.global_step == step and trainer.epoch < config.epochs   # still the run in progress
    shown = window.draw.bars.opts["height"]
    assert np.allclose(shown, live, atol=1e-4)
    assert window.draw.predicted.text() == str(int(live.argmax()))
    window.session.stop()
    wait_idle(qtbot, window)


@pytest.mark.slow
def test_load_image_reads_dark_ink_on_white(qtbot, drawing_window, tmp_path):
    image = QImage(200, 300, QImage.Format_Grayscale8)
    image.fill(255)
    for y in range(40, 260):
        for x in range(95, 110):
            image.setPixel(x, y, 0)
    path = tmp_path / "one.png"
    image.save(str(path))
    assert drawing_window.draw.load_image(str(path))
    assert drawing_window.draw.predicted.text() == "1"
    assert not drawing_window.draw.load_image(str(tmp_path / "missing.png"))
    assert "Could not read" in drawing_window.draw.message.text()


def _capture(draw, monkeypatch):
    seen = []
    original = draw.show_digit
    monkeypatch.setattr(draw, "show_digit", lambda digit: (seen.append(digit.clone()), original(digit)))
    return seen


@pytest.mark.slow
def test_the_canvas_keeps_its_strokes_as_vectors(qtbot, drawing_window):
    canvas = drawing_window.draw.canvas
    stroke(canvas, [(100, 40), (100, 240)])
    stroke(canvas, [(60, 60)])                               # a click: a dot
    strokes = canvas.strokes()
    assert len(strokes) == 2 and strokes[0][0] == (100.0, 40.0) and strokes[1] == [(60.0, 60.0)]
    qtbot.mouseClick(drawing_window.draw.undo_button, Qt.LeftButton)
    assert len(canvas.strokes()) == 1


@pytest.mark.slow
def test_network_input_does_not_depend_on_drawing_size_or_pen(qtbot, drawing_window, monkeypatch):
    draw = drawing_window.draw
    seen = _capture(draw, monkeypatch)
    seven = [(40, 40), (200, 40), (100, 240)]
    draw.pen.setValue(6)
    stroke(draw.canvas, seven)
    QTest.keyClick(draw.canvas, Qt.Key_Escape)
    draw.pen.setValue(40)
    stroke(draw.canvas, [(150 + x // 2, 20 + y // 2) for x, y in seven])    # half the size, elsewhere
    small, large = seen[0].float(), seen[-1].float()
    assert (small - large).abs().mean() < 3          # the same 28x28 up to the mouse's whole pixels


@pytest.mark.slow
def test_a_dot_alone_reaches_the_network(qtbot, drawing_window, monkeypatch):
    draw = drawing_window.draw
    seen = _capture(draw, monkeypatch)
    stroke(draw.canvas, [(140, 140)])
    assert seen and int(seen[-1].max()) == 255
    assert draw.predicted.text() in [str(i) for i in range(10)]
