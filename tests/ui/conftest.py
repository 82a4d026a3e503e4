import gc

import pytest

from playground.engine.config import TrainConfig

MOONS = TrainConfig(dataset="moons", hidden=(16, 16), epochs=3, batch_size=64, device="cpu")


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts as a first launch: no settings saved by an earlier window."""
    from PySide6.QtCore import QSettings
    QSettings("mlp-playground", "mlp-playground").clear()
    yield


@pytest.fixture(autouse=True)
def collect_qt_garbage(qapp):
    """Delete the widgets a test left behind on the GUI thread, between tests.

    Otherwise Python's cyclic collector may free pyqtgraph/Qt wrappers at a random moment of a later test,
    on whichever thread happens to allocate (a job runner's worker too), which can crash the process."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture(autouse=True)
def run_store(request, tmp_path, monkeypatch):
    """Each test's windows keep their runs in a store of the test's own (the data folder is shared by the whole
    session, and a window lists every stored run): the folder, to fill a store before a window opens. A test
    with its own data folder (data_home) keeps its store there."""
    from playground.engine.runs.store import RunStore
    if "data_home" in request.fixturenames:
        return tmp_path
    folder = tmp_path / "run-store"
    folder.mkdir()
    opener = RunStore.open.__func__
    monkeypatch.setattr(RunStore, "open", classmethod(lambda cls, where=None: opener(cls, where or folder)))
    return folder


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


def stroke(canvas, points) -> None:
    """Draw one stroke through `points` on a canvas with real mouse events."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    QTest.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(*points[0]))
    for p in points[1:]:
        QTest.mouseMove(canvas, QPoint(*p))
    QTest.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(*points[-1]))


def line(a, b, n: int = 12) -> list[tuple[int, int]]:
    """n points evenly along the segment a-b, in whole pixels."""
    import numpy as np
    return [(int(a[0] + (b[0] - a[0]) * t), int(a[1] + (b[1] - a[1]) * t)) for t in np.linspace(0, 1, n)]
