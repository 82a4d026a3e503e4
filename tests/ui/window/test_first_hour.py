"""What a newcomer trips over in the first hour (issue 26): each fix checked where a test can see it."""
import pytest
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt

from playground.engine.config import TrainConfig
from playground.engine.inspect.network_probe import NetWeights, picture_image, picture_plane
from playground.ui.network.network_scene import NetworkScene

from tests.ui.conftest import use_config, wait_idle


def _weights(sizes):
    g = np.random.default_rng(0)
    layers = tuple((g.normal(size=(b, a)).astype(np.float32), np.zeros(b, np.float32)) for a, b in zip(sizes, sizes[1:]))
    return NetWeights(layers, "relu")


def test_a_points_model_never_shows_the_input_image_of_an_earlier_digits_model(qtbot):
    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    scene = NetworkScene(view.addViewBox())
    drawing = np.full((28, 28), 200, np.uint8)
    scene.draw(picture_image(_weights([784, 8, 10]), drawing, [str(i) for i in range(10)]))
    assert scene.input_image.image is not None
    scene.draw(picture_plane(_weights([2, 4, 2]), (-2, 2, -2, 2), ["a", "b"]))
    assert scene.input_image.image is None and scene.image_rect is None
    assert len(scene.pixel_marks.data) == 0


@pytest.mark.slow
def test_hovering_a_node_does_not_move_the_network(qtbot, window):
    use_config(window, TrainConfig(dataset="moons", hidden=(4, 4), epochs=2, batch_size=64, device="cpu"))
    window.resize(1600, 1000)
    window.tabs.setCurrentWidget(window.network)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window, timeout=60000)
    view = window.network
    qtbot.waitUntil(lambda: bool(view.shown()["layers"]), timeout=10000)
    qtbot.wait(200)
    before = view.box.sceneBoundingRect()
    for key in ((1, 0), (2, 3), (3, 1)):
        x, y = view.scene.node_xy[view.scene.node_index[key]]
        view._on_mouse((view.box.mapViewToScene(QPointF(float(x), float(y))),))
        qtbot.wait(50)
        assert view.hover.text()
        assert view.box.sceneBoundingRect() == before


def _wheel(widget, dy=-120):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication
    centre = QPointF(widget.width() / 2, widget.height() / 2)
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, dy),
                        Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_scrolling_the_settings_panel_never_changes_a_setting(qtbot, window):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QScrollArea
    window.resize(1280, 800)
    qtbot.wait(50)
    controls = window.panel.findChildren(QComboBox) + window.panel.findChildren(QAbstractSpinBox)
    shown = [c for c in controls if c.isVisible()]
    assert shown and all(c.focusPolicy() == Qt.StrongFocus for c in shown)
    window.panel.hidden.add_layer(16)          # a row added later is guarded too
    added = window.panel.hidden._rows[-1][1:3]
    assert all(c.focusPolicy() == Qt.StrongFocus for c in added)
    optimizer = window.panel.optimizer
    before = optimizer.currentIndex()
    bar = window.findChild(QScrollArea).verticalScrollBar()
    bar.setValue(0)
    _wheel(optimizer)
    assert optimizer.currentIndex() == before        # the wheel scrolled the panel instead
    assert bar.maximum() == 0 or bar.value() > 0
    optimizer.setFocus()
    qtbot.waitUntil(optimizer.hasFocus, timeout=2000)
    _wheel(optimizer)
    assert optimizer.currentIndex() != before        # once chosen (focused), the wheel changes it


def test_one_sign_colour_convention_on_every_tab_and_in_every_legend(window):
    from playground.ui.labs.boundary_tab import value_colours
    from playground.ui.labs.weights_tab import diverging_rgb
    from playground.ui.network.network_scene import DIVERGING
    from playground.ui.sign_colours import NEGATIVE, POSITIVE
    tiles = diverging_rgb(np.array([[1.0, -1.0]], np.float32))    # (W, H, 3)
    assert np.array_equal(tiles[0, 0], POSITIVE) and np.array_equal(tiles[1, 0], NEGATIVE)
    assert np.array_equal(DIVERGING[-1], POSITIVE) and np.array_equal(DIVERGING[0], NEGATIVE)
    assert np.allclose(value_colours(np.array([1.0, -1.0]), 1.0), [POSITIVE, NEGATIVE])
    for legend in (window.network.legend.text(), window.weights.view.toolTip()):
        text = legend.lower()
        assert "blue" in text and "orange" in text and "red" not in text
        assert text.index("blue") < text.index("positive") < text.index("orange") < text.index("negative")


def _contrast(a, b) -> float:
    """WCAG contrast ratio of two QColors."""
    def lum(c):
        def ch(v):
            v /= 255
            return v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4
        return 0.2126 * ch(c.red()) + 0.7152 * ch(c.green()) + 0.0722 * ch(c.blue())
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _label_colour(label):
    import re
    from PySide6.QtGui import QColor
    found = re.search(r"color:\s*(#[0-9a-fA-F]{6})", label.item.toHtml())
    return QColor(found.group(1)) if found else label.item.defaultTextColor()


@pytest.mark.slow
def test_plot_legends_stay_readable_when_switching_to_dark_and_hide_when_empty(qtbot, window):
    from PySide6.QtGui import QColor
    from playground.ui import theme
    window.theme.actions["light"].trigger()
    legend = window.plots.loss_plot.getPlotItem().legend
    assert not legend.isVisible()                           # an empty plot has no empty legend box
    use_config(window, TrainConfig(dataset="moons", hidden=(4,), epochs=1, batch_size=64, device="cpu"))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window, timeout=60000)
    assert legend.isVisible() and legend.items
    window.theme.actions["dark"].trigger()                  # the run's legend entry was made on light
    for plot in (window.plots.loss_plot, window.plots.accuracy_plot, window.activation_lab.plot):
        for _sample, label in plot.getPlotItem().legend.items:
            assert _contrast(_label_colour(label), QColor(theme.DARK.background)) >= 4.5
    window.theme.actions["light"].trigger()
    for plot in (window.plots.loss_plot, window.activation_lab.plot):
        for _sample, label in plot.getPlotItem().legend.items:
            assert _contrast(_label_colour(label), QColor(theme.LIGHT.background)) >= 4.5


@pytest.mark.slow
def test_empty_checkboxes_have_a_visible_box_on_dark(window, qapp):
    from playground.ui import theme
    window.theme.actions["dark"].trigger()
    sheet = qapp.styleSheet()
    assert "QCheckBox::indicator" in sheet and f"border: 1px solid {theme.DARK.muted}" in sheet
    from PySide6.QtGui import QColor
    assert _contrast(QColor(theme.DARK.muted), QColor(theme.DARK.base)) >= 3


@pytest.mark.slow
def test_gradients_tab_shows_a_hint_not_empty_axes_and_cuts_no_column(qtbot, window):
    from playground.engine.train.records import LayerRecord
    window.resize(1600, 1000)
    window.tabs.setCurrentWidget(window.gradients)
    tab = window.gradients
    qtbot.wait(50)
    assert tab.hint.isVisible() and not tab.plot.isVisible()
    assert "Show gradients" in tab.hint.text()
    assert tab.live_plot.height() >= 200
    layer = type("L", (), dict(name="fc1", weight_grad_norm=0.5, activation_mean=0.1, activation_std=0.2,
                               saturated_fraction=0.5))()
    tab.add_layers(LayerRecord(1, 10, (layer, layer)))
    qtbot.wait(50)
    header = tab.stats.horizontalHeader()
    for i in range(tab.stats.columnCount()):
        text = tab.stats.horizontalHeaderItem(i).text()
        needed = max(header.fontMetrics().horizontalAdvance(line) for line in text.split("\n"))
        assert header.sectionSize(i) >= needed, text
    assert tab.stats.horizontalScrollBar().maximum() == 0
    axis = tab.live_plot.getAxis("left")
    assert axis.label.boundingRect().width() <= axis.height()     # the rotated title fits the axis
    tab.run_cases([("relu", "kaiming-normal")])
    qtbot.waitUntil(lambda: tab.plot.isVisible(), timeout=20000)
    assert not tab.hint.isVisible()
    tab.clear_demo()
    assert tab.hint.isVisible()


@pytest.mark.slow
def test_the_progress_bar_counts_a_long_preparation_and_never_says_ready_meanwhile(qtbot, window, monkeypatch):
    import time
    import functools
    from playground.engine.datasets import builtin_digits, synthetic_digits
    real_render = synthetic_digits._render_forms

    def slow_render(*args):
        time.sleep(0.15)             # a busy machine: the generation takes a while
        return real_render(*args)
    monkeypatch.setattr(synthetic_digits, "_render_forms", slow_render)
    monkeypatch.setattr(synthetic_digits, "BLOCK", 8)       # many small blocks, each slow
    monkeypatch.setattr(builtin_digits, "preparing", functools.partial(
        builtin_digits.preparing, n_train=400, n_test=100, use_cache=False))
    use_config(window, TrainConfig(dataset="synthetic-digits", hidden=(8,), epochs=1, batch_size=64, device="cpu"))
    formats = []
    window.display.progress.valueChanged.connect(lambda _v: formats.append(window.display.progress.format()))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    assert window.display.progress.format() != "ready"
    qtbot.waitUntil(lambda: " of 500 (" in window.display.progress.format(), timeout=30000)
    text = window.display.progress.format()
    assert text.startswith("generating the built-in digits") and "%" in text
    qtbot.waitUntil(lambda: "left" in window.display.progress.format() and "estimating" not in window.display.progress.format(),
                    timeout=30000)
    assert 0 < window.display.progress.value() < 1000
    assert "left" in window.statusBar().currentMessage()
    wait_idle(qtbot, window, timeout=60000)
    assert "ready" not in formats and window.display.progress.format() == "finished"


def test_after_fine_tuning_the_panel_says_it_is_still_measuring(qtbot, data_home):
    from PySide6.QtWidgets import QProgressBar
    from playground.engine.train.fine_tune import FineTuneEnd
    from playground.engine.train.records import Status
    from playground.ui.draw.draw_tab import DrawTab
    from playground.ui.job_runner import URGENT
    from playground.ui.session import TrainingSession
    assert Status in URGENT and FineTuneEnd in URGENT      # never held back while the next part computes
    session = TrainingSession(TrainConfig(device="cpu"))
    tab = DrawTab(session.model, session=session)
    qtbot.addWidget(tab)
    progress = tab.findChild(QProgressBar, "fineTuneProgress")
    for record in (FineTuneEnd("finished", 300, 0.67, 1.0, "synthetic-digits", 0.9, 0.9),
                   Status("measuring the tuned model on the test split…")):
        session.model.apply(record)
    assert progress.format() == "measuring the tuned model on the test split…"
    tab.teach._on_state("idle")
    assert progress.format() == "finished"
    session.shutdown(None)


def test_the_status_bar_cuts_a_long_message_and_names_each_loss(qtbot, window):
    from types import SimpleNamespace
    window.resize(1280, 800)
    display = window.display
    display.metrics_label.setText("epoch 4: train loss 0.1209 acc 0.962 · test loss 0.1300 acc 0.958")
    display._latest_step = SimpleNamespace(progress=0.5, eta_seconds=30, epoch=4, samples_per_second=1741.0,
                                           loss=0.8838)
    window.session.state = "running"      # the read-outs follow a running job's steps
    display._update_progress()
    window.session.state = "idle"
    qtbot.wait(50)
    assert "batch loss 0.8838" in display.speed_label.text()
    assert "train loss" in display.metrics_label.text() and "test loss" in display.metrics_label.text()
    long = "Training uses one thread: this machine's cores are busy with other work, " * 4
    bar = window.statusBar()
    bar.showMessage(long)
    shown = bar.shown_text()
    assert bar.currentMessage() == long and shown.endswith("…") and bar.toolTip() == long
    bar.grab()                                       # it paints
    assert bar.fontMetrics().horizontalAdvance(shown) <= display.metrics_label.x() - 6


@pytest.mark.slow
def test_training_tab_axis_follows_shown_runs_and_train_test_curves_differ(qtbot, window):
    from playground.ui.training.runs_table import COLUMNS
    window.resize(1280, 800)
    for epochs in (12, 2):
        use_config(window, TrainConfig(dataset="moons", hidden=(4,), epochs=epochs, batch_size=128, device="cpu"))
        qtbot.mouseClick(window.train_button, Qt.LeftButton)
        wait_idle(qtbot, window, timeout=60000)
    long_run, short_run = window.model.runs.runs
    window.model.runs.set_visible(long_run.run_id, False)       # untick the long run
    qtbot.waitUntil(lambda: window.plots.loss_plot.viewRange()[0][1] < 4, timeout=5000)
    window.model.runs.set_visible(long_run.run_id, True)
    qtbot.waitUntil(lambda: window.plots.loss_plot.viewRange()[0][1] >= 12, timeout=5000)
    curves = window.plots.curves[short_run.run_id]
    for train, test in ((curves.train_epoch_loss, curves.test_loss), (curves.train_accuracy, curves.test_accuracy)):
        assert train.opts["pen"].style() == Qt.DashLine and test.opts["pen"].style() == Qt.SolidLine
        assert (train.opts["symbol"], test.opts["symbol"]) == ("o", "s")
    table = window.training.table
    settings = COLUMNS.index("settings")
    text = table.text(0, settings)
    from playground.ui.training.runs_table import SETTINGS_WIDTH
    needed = min(table.fontMetrics().horizontalAdvance(text), SETTINGS_WIDTH)
    assert table.columnWidth(settings) >= needed        # never squeezed to a few letters
    assert table.text(0, COLUMNS.index("dataset")) == "Moons (2-D)"          # as the panel names it
    from playground.ui.training.runs_table import dataset_label
    assert dataset_label("synthetic-digits") == "Built-in digits (offline)"
    assert dataset_label("csv:/tmp/some/houses.csv") == "houses.csv"


@pytest.mark.slow
def test_decision_boundary_has_a_legend_and_steps_through_the_epochs(qtbot, window):
    window.tabs.setCurrentWidget(window.boundary)
    view = window.boundary
    assert not view.legend.isVisible()
    use_config(window, TrainConfig(dataset="moons", hidden=(8,), epochs=6, batch_size=64, device="cpu"))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window, timeout=60000)
    labels = [label.text for _sample, label in view.legend.items]
    assert view.legend.isVisible() and labels == ["training points", "test points"]
    assert [s.item.opts["symbol"] for s, _l in view.legend.items] == ["o", "s"]
    assert len(view.frames) >= 6 and view.epoch_slider.isEnabled()
    last = view.image.image.copy()
    view.epoch_slider.setValue(0)
    assert view.epoch_label.text() == f"epoch {view.frames[0][0]}"
    assert not np.array_equal(view.image.image, last)
    view.replay_button.click()                       # watch it form: one epoch per tick, then it stops
    assert view.replay.isActive() and view.replay.interval() >= 100
    qtbot.waitUntil(lambda: not view.replay.isActive(), timeout=10000)
    assert view.epoch_slider.value() == len(view.frames) - 1 and np.array_equal(view.image.image, last)


@pytest.mark.slow
def test_mistakes_tab_makes_way_when_the_panel_switches_dataset(qtbot, window, small_digits):
    from playground.engine.train.records import TestRecord
    tab = window.mistakes
    tab.set_dataset(small_digits)
    predicted = small_digits.test_y.numpy().copy()
    predicted[:7] = (predicted[:7] + 1) % 10
    tab.show_test(TestRecord(1, predicted, np.ones(len(predicted), np.float32)))
    assert tab.matrix.rowCount() == 10
    use_config(window, TrainConfig(dataset="moons", hidden=(8,), device="cpu"))
    assert tab.matrix.rowCount() == 0 and "Moons (2-D)" in tab.note.text()
    use_config(window, TrainConfig(dataset="synthetic-digits", hidden=(8,), device="cpu"))
    assert tab.matrix.rowCount() == 10 and "7 of" in tab.note.text()


@pytest.mark.slow
def test_activation_lab_legend_reads_on_both_themes(window):
    from PySide6.QtGui import QColor
    from playground.ui import theme
    for name, colours in (("light", theme.LIGHT), ("dark", theme.DARK)):
        window.theme.actions[name].trigger()
        window.activation_lab.combo.setCurrentIndex((window.activation_lab.combo.currentIndex() + 1) % 3)
        items = window.activation_lab.plot.getPlotItem().legend.items
        assert items
        for _sample, label in items:
            assert _contrast(_label_colour(label), QColor(colours.background)) >= 4.5


@pytest.mark.slow
def test_a_first_launch_welcomes_and_points_at_the_presets_until_dismissed(qtbot):
    from playground.app import MainWindow
    first = MainWindow()
    qtbot.addWidget(first)
    first.show()
    hint = first.welcome
    assert hint.isVisible() and "Press <b>Train</b> to teach a network to read digits" in hint.text.text()
    assert "Draw" in hint.text.text() and "Presets" in hint.text.text()
    assert hint.show_presets.isVisible() and hint.presets is first.panel.preset
    assert hint.dismiss_button.toolTip() and hint.show_presets.toolTip()
    qtbot.mouseClick(hint.dismiss_button, Qt.LeftButton)
    assert not hint.isVisible()
    first.close()
    again = MainWindow()
    qtbot.addWidget(again)
    again.show()
    assert not again.welcome.isVisible()            # never shown again once dismissed
    again.close()
