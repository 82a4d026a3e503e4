import pytest
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPushButton, QTableWidget

from tests.ui.conftest import MOONS, use_config, wait_idle


def _curves(plot):
    return plot.getPlotItem().listDataItems()


def test_activation_lab_plots_f_and_its_derivative_for_every_activation(qtbot, window):
    combo = window.findChild(QComboBox, "activationLabCombo")
    plot = window.findChild(pg.PlotWidget, "activationPlot")
    assert combo.count() == 9
    for i in range(combo.count()):
        combo.setCurrentIndex(i)
        curves = _curves(plot)
        assert len(curves) == 2
        assert combo.currentData() in window.activation_lab.facts.text()


def test_sigmoid_facts_and_shading(qtbot, window):
    window.activation_lab.select("sigmoid")
    text = window.activation_lab.facts.text()
    assert "output range: (0, 1)" in text and "0.25" in text and "saturates" in text
    regions = [i for i in window.findChild(pg.PlotWidget, "activationPlot").getPlotItem().items
               if isinstance(i, pg.LinearRegionItem)]
    assert len(regions) == 2


@pytest.mark.slow
def test_relu_shows_its_dead_zone_and_the_dropout_scaling(qtbot, window):
    use_config(window, MOONS.replace(dropout=(0.5,)))
    window.activation_lab.select("relu")
    text = window.activation_lab.facts.text()
    assert "dead zone" in text and "1/(1-p) = 2" in text


@pytest.mark.slow
def test_overlay_adds_curves(qtbot, window):
    lab = window.activation_lab
    lab.select("relu")
    lab.overlays.item(list(range(lab.overlays.count()))[1]).setCheckState(Qt.Checked)
    assert len(_curves(lab.plot)) == 4


@pytest.mark.slow
def test_gradient_comparison_shows_vanishing_and_healthy_gradients(qtbot, window):
    tab = window.gradients
    qtbot.mouseClick(window.findChild(QPushButton, "compareButton"), Qt.LeftButton)
    qtbot.waitUntil(lambda: len(tab._results) == 3, timeout=20000)
    ratios = {label: r[0].weight_grad_norm / r[-1].weight_grad_norm for label, r in tab._results}
    assert ratios["sigmoid + xavier-normal"] < 1e-2
    assert 0.1 < ratios["relu + kaiming-normal"] < 10
    assert len(_curves(window.findChild(pg.PlotWidget, "gradientPlot"))) == 3
    assert "first/last" in tab.summary.text()


@pytest.mark.slow
def test_live_gradients_and_layer_statistics_stream_during_training(qtbot, window):
    use_config(window, MOONS.replace(hidden=(8, 8, 8), activation="sigmoid", init="xavier-normal", epochs=2))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    tab = window.gradients
    assert len(tab._live) == 4 and tab._live[0].n > 0
    table = window.findChild(QTableWidget, "activationStatsTable")
    assert table.rowCount() == 4 and table.item(0, 0).text() == "fc1"
    first, last = tab._live[0].data()[1], tab._live[-1].data()[1]
    assert np.median(first) < np.median(last)  # the sigmoid stack's input layer gets the smallest gradients
