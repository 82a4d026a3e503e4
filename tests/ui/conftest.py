import pytest

from playground.engine.config import TrainConfig

MOONS = TrainConfig(dataset="moons", hidden=(16, 16), epochs=3, batch_size=64, device="cpu")


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts as a first launch: no settings saved by an earlier window."""
    from PySide6.QtCore import QSettings
    QSettings("mlp-playground", "mlp-playground").clear()
    yield


@pytest.fixture
def window(qtbot):
    from playground.app import MainWindow
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    yield w
    w.session.shutdown(2000)


def use_config(window, config: TrainConfig) -> None:
    """Set the panel's widgets from a config, as a user would, and let the window react."""
    window.panel.set_config(config)
    window._on_config(window.panel.current())


def wait_idle(qtbot, window, timeout=30000) -> None:
    qtbot.waitUntil(lambda: window.session.state == "idle", timeout=timeout)
