"""The Find learning rate button and dialog, and File > Export as Python script…, in the real window."""
import pytest
import torch
from PySide6.QtCore import Qt

from playground.engine.runs.checkpoint import save_checkpoint
from playground.engine.config import TrainConfig
from playground.engine.model import build_model
from playground.engine.export.script_export import weights_path_for
from playground.ui.window.main_window import MainWindow


def _window(qtbot, config: TrainConfig) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.panel.set_config(config)
    window._on_config(window.panel.current())
    return window


@pytest.mark.slow
def test_find_lr_runs_in_the_background_and_use_it_sets_the_box(qtbot):
    window = _window(qtbot, TrainConfig(dataset="xor", hidden=(8,), optimizer="sgd", lr=0.5, device="cpu"))
    button = window.panel.findChild(type(window.panel.find_lr), "findLrButton")
    assert button is not None and button.toolTip()
    qtbot.mouseClick(button, Qt.LeftButton)
    dialog = window.tools.lr_finder
    qtbot.waitUntil(lambda: dialog.finding is not None, timeout=60_000)
    suggested = dialog.finding.suggested_lr
    assert dialog.explanation.text() == dialog.finding.explanation
    assert dialog.plot.getPlotItem().getAxis("bottom").logMode
    assert window.model.trainer is None          # it trained its own copy, not the session's model
    qtbot.mouseClick(dialog.use_button, Qt.LeftButton)
    assert window.panel.lr.value() == pytest.approx(suggested, rel=1e-3)
    assert window.panel.current().lr == pytest.approx(suggested, rel=1e-3)
    window.close()


@pytest.mark.slow
def test_a_failed_range_test_is_explained_not_raised(qtbot, tmp_path):
    window = _window(qtbot, TrainConfig(dataset="mnist", data_dir=str(tmp_path / "none"), device="cpu"))
    dialog_config = window.panel.current().replace(data_dir=str(tmp_path / "none"))
    window.tools.find_lr(dialog_config)
    dialog = window.tools.lr_finder
    qtbot.waitUntil(lambda: dialog.explanation.text().startswith("The range test stopped"), timeout=60_000)
    assert not dialog.use_button.isEnabled()
    window.close()


@pytest.mark.slow
def test_export_writes_the_script_and_the_loaded_weights(qtbot, tmp_path):
    config = TrainConfig(dataset="moons", hidden=(6,), dropout=(0.0,), device="cpu")
    ckpt = tmp_path / "m.pt"
    model = build_model(config, 2, 2, torch.Generator().manual_seed(0))
    save_checkpoint(ckpt, config, model, 2, ["class 0", "class 1"], "points", [])
    window = MainWindow(str(ckpt))
    qtbot.addWidget(window)
    assert window.tools.export_action.text().startswith("Export as Python script")
    script = tmp_path / "out" / "run.py"
    assert window.tools.export_script(script)
    saved = torch.load(weights_path_for(script), weights_only=True)
    assert torch.equal(saved["fc1.weight"], model.fc1.weight)
    assert "START_FROM = Path(__file__)" in script.read_text()
    assert not window.tools.export_script(tmp_path / "bad.txt")
    assert window.feedback.banner_box.isVisibleTo(window)
    window.close()
