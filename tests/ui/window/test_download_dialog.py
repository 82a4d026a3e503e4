import pytest
from PySide6.QtCore import Qt

from playground.engine.config import TrainConfig
from playground.engine.datasets import mnist_family

from tests.mirror_server import served  # noqa: F401  (the fixture)

from tests.ui.conftest import use_config, wait_idle


@pytest.mark.slow
def test_train_asks_then_downloads_with_progress_and_trains(qtbot, window, served, data_home):
    asked = []
    window.data.ask_download = lambda name: asked.append(name) or True
    use_config(window, TrainConfig(dataset="mnist", hidden=(8,), epochs=1, device="cpu", augment=False))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    assert asked == ["mnist"]
    dialog = window.data.download_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: window.model.runs.current is not None and window.model.runs.current.status == "finished",
                    timeout=60000)
    assert mnist_family.is_available("mnist")
    assert dialog.last is not None and dialog.last.finished and dialog.last.file_index == 4
    assert window.data.download_dialog is None   # closed (and deleted) once the files are in place


@pytest.mark.slow
def test_no_means_no_download(qtbot, window, served, data_home):
    window.data.ask_download = lambda name: False
    use_config(window, TrainConfig(dataset="kmnist", hidden=(8,), epochs=1, device="cpu"))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    assert window.session.state == "idle" and window.data.download_dialog is None and served[0]["requests"] == 0


@pytest.mark.slow
def test_cancel_leaves_nothing_and_keeps_the_window_usable(qtbot, window, served, data_home):
    served[0]["mode"] = "slow"
    window.data.ask_download = lambda name: True
    use_config(window, TrainConfig(dataset="mnist", hidden=(8,), epochs=1, device="cpu"))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    dialog = window.data.download_dialog
    qtbot.waitUntil(lambda: dialog.last is not None and dialog.last.done > 0, timeout=20000)
    qtbot.mouseClick(dialog.cancel, Qt.LeftButton)
    wait_idle(qtbot, window)
    raw = data_home / "MNIST" / "raw"
    assert not any(p.suffix == ".part" or p.name.startswith(".") for p in raw.iterdir())
    assert not mnist_family.is_available("mnist")
    assert "cancelled" in window.statusBar().currentMessage() and window.feedback.banner_box.isHidden()
    assert window.model.runs.current is None
