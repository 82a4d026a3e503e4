import pytest
import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QPushButton, QSpinBox

from playground.engine.config import TrainConfig
from playground.engine.datasets.csv_table import to_csv_text

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.mark.slow
def test_controls_show_for_2d_sets_and_write_the_config(qtbot, window):
    panel = window.panel
    use_config(window, TrainConfig())
    assert panel.points.isHidden()                      # image data: no noise or feature toggles
    use_config(window, MOONS)
    assert not panel.points.isHidden()
    assert panel.config().train_fraction == MOONS.train_fraction   # 67 % shown, 2/3 kept
    panel.findChild(QSpinBox, "noiseSpin").setValue(30)
    panel.findChild(QSpinBox, "trainShareSpin").setValue(50)
    panel.findChild(QCheckBox, "featureCheck_x1x2").setChecked(True)
    panel.findChild(QCheckBox, "featureCheck_x1").setChecked(False)
    config = window.model.config
    assert (config.noise, config.train_fraction, config.features) == (0.3, 0.5, ("x2", "x1x2"))
    regenerate = panel.findChild(QPushButton, "regenerateButton")
    qtbot.mouseClick(regenerate, Qt.LeftButton)
    qtbot.mouseClick(regenerate, Qt.LeftButton)
    assert window.model.config.data_seed == 2
    for name, check in panel.points.feature_checks.items():
        assert check.toolTip(), name
    panel.findChild(QCheckBox, "featureCheck_x2").setChecked(False)
    panel.findChild(QCheckBox, "featureCheck_x1x2").setChecked(False)
    assert "at least one input feature" in panel.error.text()


@pytest.mark.slow
def test_features_train_xor_and_the_boundary_stays_on_the_plane(qtbot, window):
    use_config(window, TrainConfig(dataset="xor", hidden=(), dropout=(), features=("x1x2",), lr=0.05, epochs=4,
                                   device="cpu", train_fraction=0.5))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.model.runs.current.architecture == "1-2"
    assert window.model.runs.current.last.test_accuracy >= 0.95
    assert window.boundary.last.probs.shape == (100, 100, 2)
    assert len(window.boundary.train_points.data) == 1500


@pytest.mark.slow
def test_regression_shows_r2_and_largest_errors_not_accuracy(qtbot, window):
    use_config(window, TrainConfig(dataset="reg-gauss", hidden=(16,), dropout=(0.0,), lr=0.01, epochs=2,
                                   device="cpu"))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    run = window.model.runs.current
    assert run.is_regression and run.architecture == "2-16-1"
    cells = [window.training.table.text(0, c) for c in range(window.training.table.model().columnCount())]
    assert any(c.startswith("R² ") for c in cells)
    assert "acc" not in window.display.metrics_label.text() and "R²" in window.display.metrics_label.text()
    assert window.training.plots.accuracy_plot.getAxis("left").labelText == "R²"
    assert window.boundary.last.regression and window.boundary.image.image.shape == (100, 100, 3)
    assert window.mistakes.matrix.isHidden() and window.mistakes.gallery.count() == 100
    assert "off by" in window.mistakes.gallery.item(0).text()


@pytest.mark.slow
def test_open_data_reads_a_table_and_refuses_a_bad_one_keeping_everything(qtbot, window, tmp_path):
    rng = np.random.default_rng(5)
    x = rng.normal(size=(400, 2))
    good = tmp_path / "points.csv"
    good.write_text(to_csv_text(x, np.where(x[:, 0] * x[:, 1] > 0, "same", "other"), ["u", "v", "sign"]))
    use_config(window, MOONS.replace(epochs=1))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    runs = list(window.model.runs.runs)
    bad = tmp_path / "bad.csv"
    bad.write_text("u,v,sign\n1,2,a\n3,4\n5,6,b\n")     # a word in a number column is a category now
    window.data.open_data(bad)
    wait_idle(qtbot, window)
    assert "line 3 has 2 columns" in window.feedback.banner.text() and not window.feedback.banner_box.isHidden()
    assert window.panel.current().dataset == "moons" and window.model.runs.runs == runs
    assert len(window.boundary.train_points.data) == 2000
    window.data.open_data(good)
    wait_idle(qtbot, window)
    assert window.panel.current().dataset == f"csv:{good}" and window.feedback.banner_box.isHidden()
    assert "400 rows, 2 features, 2 classes" in window.statusBar().currentMessage()
    assert len(window.boundary.train_points.data) == 267
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.model.runs.current.config.dataset == f"csv:{good}" and window.boundary.last is not None
