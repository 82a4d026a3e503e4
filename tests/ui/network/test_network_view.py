import json

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from playground.engine.config import TrainConfig
from playground.engine.model import linear_layers
from playground.engine.drawing.stroke_render import render_drawing

from tests.ui.conftest import line, stroke, use_config, wait_idle


def _drawn(qtbot, window, version=None):
    view = window.network
    qtbot.waitUntil(lambda: bool(view.shown()["layers"]) and (version is None or view.shown()["version"] != version),
                    timeout=10000)
    return view.shown()


@pytest.mark.slow
def test_moons_network_shows_every_unit_heatmaps_and_links_live(qtbot, window):
    use_config(window, TrainConfig(dataset="moons", hidden=(4, 4), dropout=(0.0,), epochs=20, batch_size=32,
                                   device="cpu"))
    window.tabs.setCurrentWidget(window.network)
    versions = set()
    window.model.events.step.connect(lambda _r: versions.add(window.network.shown()["version"]))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window, timeout=60000)
    shown = _drawn(qtbot, window)
    assert [layer["name"] for layer in shown["layers"]] == ["input", "hidden 1", "hidden 2", "output"]
    assert [layer["shown"] for layer in shown["layers"][1:3]] == [[0, 1, 2, 3], [0, 1, 2, 3]]
    assert shown["heatmaps"] >= 10 and shown["links"] >= 32
    assert shown["input_image"] is None
    assert len(versions - {None}) >= 2          # the picture was redrawn while training
    # hovering a hidden node names its formula; the detail pane shows that node large
    view = window.network
    x, y = view.scene.node_xy[view.scene.node_index[(1, 2)]]
    view._on_mouse((view.box.mapViewToScene(pg_point(x, y)),))
    assert view.hover.text().startswith("hidden 1 unit 3 = tanh(") or "relu(" in view.hover.text()
    shown_large = view.detail.image.image
    assert shown_large is not None and shown_large.shape == view.scene.picture.layers[1].heatmaps[2].shape


def pg_point(x, y):
    from PySide6.QtCore import QPointF
    return QPointF(float(x), float(y))


def test_editing_a_bias_is_refused_while_training_and_reaches_the_model_when_idle(qtbot, window):
    use_config(window, TrainConfig(dataset="moons", hidden=(3,), dropout=(0.0,), epochs=200, batch_size=8,
                                   device="cpu"))
    window.tabs.setCurrentWidget(window.network)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.network.shown()["layers"] != [], timeout=20000)
    view = window.network
    layer, unit, _b = view.scene.bias_ids[0]
    view.select(hit_for(view, layer, unit))
    view.edit_value.setText("2.5")
    with qtbot.waitSignal(view.failed) as refused:
        view.apply_edit()
    assert "Stop" in refused.args[0]
    window.session.stop()
    wait_idle(qtbot, window)
    before = view.shown()["version"]
    view.edit_value.setText("not a number")
    with qtbot.waitSignal(view.failed):
        assert not view.apply_edit()
    view.edit_value.setText("2.5")
    with qtbot.waitSignal(window.boundary.image.sigImageChanged, timeout=10000):
        assert view.apply_edit()
    bias = linear_layers(window.model.trainer.model)[layer - 1][1].bias[unit].item()
    assert bias == pytest.approx(2.5)
    _drawn(qtbot, window, version=before)

    def shown_bias():
        drawn = view.shown()["layers"][layer]
        return drawn["biases"][drawn["shown"].index(unit)]
    # a picture of the weights from before the edit may still have been on its way: wait for the next
    qtbot.waitUntil(lambda: shown_bias() == pytest.approx(2.5), timeout=10000)


def hit_for(view, layer, unit):
    from playground.ui.network.network_scene import Hit
    b = dict(((l, u), v) for l, u, v in view.scene.bias_ids)[(layer, unit)]
    return Hit("bias", layer, unit, None, b)


@pytest.fixture
def digits_window(qtbot, window, small_digits):
    config = TrainConfig(epochs=1, device="cpu")     # the default network: 784-256-128-10
    use_config(window, config)
    window.model.provide_dataset(small_digits, config)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window, timeout=120000)
    return window


@pytest.mark.slow
def test_digits_network_is_cut_to_readable_layers_and_follows_the_drawing(qtbot, digits_window, tmp_path):
    window = digits_window
    window.tabs.setCurrentWidget(window.network)
    shown = _drawn(qtbot, window)
    assert [layer["units"] for layer in shown["layers"]] == [784, 256, 128, 10]
    assert all(len(layer["shown"]) <= 16 for layer in shown["layers"])
    assert [layer["more"] for layer in shown["layers"]] == [768, 240, 112, 0]
    assert "+240 more ▸" in [t.toPlainText() for t in window.network.scene._texts if t.isVisible()]
    assert shown["input_image"] is not None     # a test example
    hidden = {}
    for name, points in (("one", line((140, 30), (140, 250), 14)),
                         ("eight", [(140 + int(45 * np.sin(t)), 140 - int(100 * np.cos(t)) // 1)
                                    for t in np.linspace(0, 2 * np.pi, 30)]
                          + [(140 + int(40 * np.sin(2 * t)), 140 + int(100 * np.sin(t))) for t in
                             np.linspace(0, 2 * np.pi, 40)])):
        window.tabs.setCurrentWidget(window.draw)
        window.draw.canvas.clear()
        stroke(window.findChild(QWidget, "digitCanvas"), points)
        expected = render_drawing(window.draw.canvas.strokes()).numpy() / 255.0   # the 28x28 the Draw tab reads
        window.tabs.setCurrentWidget(window.network)
        qtbot.waitUntil(lambda: window.network.shown()["input_image"] is not None and np.allclose(
            window.network.shown()["input_image"], expected, atol=1e-6), timeout=10000)
        hidden[name] = window.network.shown()["layers"][1]
        assert all(v is not None for v in hidden[name]["values"])
        saliency = window.findChild(QWidget, "saliencyMap")
        qtbot.waitUntil(lambda: saliency.current is not None and saliency.image.image is not None and
                        window.draw._class_names[saliency.current.target] == window.draw.predicted.text(),
                        timeout=10000)     # the map explains the newest drawing's prediction
    assert (hidden["one"]["shown"], hidden["one"]["values"]) != (hidden["eight"]["shown"], hidden["eight"]["values"])
    # export what is drawn
    window.network.export_json(str(tmp_path / "view.json"))
    saved = json.loads((tmp_path / "view.json").read_text())
    assert saved["layers"][1]["shown"] == hidden["eight"]["shown"] and len(saved["input_image"]) == 28
    window.network.export_png(str(tmp_path / "view.png"))
    assert (tmp_path / "view.png").stat().st_size > 1000
    # arrows go back to test examples
    qtbot.mouseClick(window.network.next_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: "test example 2 of" in window.network.note.text(), timeout=10000)


@pytest.mark.slow
def test_saliency_for_another_class_and_an_empty_tab_before_training(qtbot, digits_window):
    window = digits_window
    window.tabs.setCurrentWidget(window.draw)
    stroke(window.draw.canvas, line((140, 30), (140, 250), 14))
    saliency = window.draw.saliency
    qtbot.waitUntil(lambda: saliency.current is not None, timeout=10000)
    other = (saliency.current.target + 1) % 10
    saliency.picker.setCurrentIndex(other + 1)
    qtbot.waitUntil(lambda: saliency.current.target == other, timeout=10000)
    assert f"why '{other}'" in saliency.caption.text()
    window.session.reset()
    window.tabs.setCurrentWidget(window.network)
    qtbot.waitUntil(lambda: window.network.shown()["layers"] == [], timeout=10000)
    assert "Train a model" in window.network.note.text()
