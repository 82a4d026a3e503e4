"""Builds the QApplication and the main window: the only place where the engine and Qt meet."""
from __future__ import annotations

import sys

from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.train.warmup import start_warm_up
from playground.ui.window.main_window import MainWindow

__all__ = ["MainWindow", "run_app"]

WARM_UP_DELAY_MS = 100


def run_app(checkpoint: str | None = None, loaded: LoadedModel | None = None, run: str | None = None) -> int:
    """Run the window; `checkpoint` (with its `loaded` model) or `run` ('12' or '12:best', a stored run) opens
    that model at launch."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MLP Playground")
    app.setOrganizationName("mlp-playground")
    app.setDesktopFileName("mlp-playground")   # Wayland/X11 match the window to the .desktop launcher
    window = MainWindow(checkpoint, loaded, run=run)
    window.show()
    # once the window is on screen, import what the first Train needs in the background
    QTimer.singleShot(WARM_UP_DELAY_MS, start_warm_up)
    return app.exec()
