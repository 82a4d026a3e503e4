import pytest
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from playground.engine.presets import PRESETS

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.mark.slow
def test_presets_set_up_each_tutorial_experiment(qtbot, window):
    combo = window.findChild(QComboBox, "presetCombo")
    assert combo.count() == len(PRESETS) + 1 >= 6
    for i, preset in enumerate(PRESETS, 1):
        combo.setCurrentIndex(i)
        combo.activated.emit(i)
        assert window.panel.config() == preset.config
        assert window.panel.preset_note.text() == preset.source
        assert window.model.config == preset.config


@pytest.mark.slow
def test_the_dropout_preset_matches_the_tutorial(qtbot, window):
    preset = next(p for p in PRESETS if "dropout" in p.name)
    c = preset.config
    assert (c.dataset, c.hidden, c.dropout, c.init, c.lr, c.batch_size) == \
        ("fashion-mnist", (256, 256), (0.2, 0.5), "normal-0.01", 0.5, 256)


@pytest.mark.slow
def test_decision_boundary_forms_while_training_moons(qtbot, window):
    use_config(window, MOONS.replace(epochs=5))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    view = window.boundary
    assert view.last is not None and view.last.epoch == 5
    assert view.last.probs.shape == (100, 100, 2)
    assert np.allclose(view.last.probs.sum(2), 1, atol=1e-5)
    image = view.image.image
    assert image is not None and image.shape == (100, 100, 3)
    assert len(view.train_points.data) == 2000 and len(view.test_points.data) == 1000
    assert window.findChild(pg.PlotWidget, "decisionBoundary") is view.plot


@pytest.mark.slow
def test_boundary_view_explains_itself_for_image_data(qtbot, window):
    assert "2-D datasets" in window.boundary.note.text()
