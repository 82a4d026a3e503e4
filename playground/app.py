"""Builds the QApplication and the main window: the only place where the engine and Qt meet."""
from __future__ import annotations

import sys

from .engine.checkpoint import LoadedModel
from .ui.main_window import MainWindow

__all__ = ["MainWindow", "run_app"]


def run_app(checkpoint: str | None = None, loaded: LoadedModel | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("MLP Playground")
    app.setOrganizationName("mlp-playground")
    window = MainWindow(checkpoint, loaded)
    window.show()
    return app.exec()
