"""File > Export as Python script… and the "Find learning rate" dialog, hooked onto the main window.

The window creates one `WindowTools`; it holds the menu action, opens the finder when the panel asks for
it and puts a chosen rate back in the learning-rate box. Export uses the panel's settings, and the
model's trained (or loaded) weights (`AppModel.weights_copy`) when the settings still fit them.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QWidget

from playground.engine.app_model import AppModel

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.export.script_export import write_script
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.training.lr_finder_dialog import LrFinderDialog
from playground.ui.window.feedback import Feedback

EXPORT_TIP = ("Write a standalone PyTorch script that trains this network exactly as the app does (same seed, "
              "data, init and loop), with the trained weights beside it when there are any. Run it with plain "
              "python and change its constants to experiment outside the app.")


class WindowTools(QObject):
    """File > Export as Python script… (`export_action`, placed by the menus) and the learning-rate finder."""

    def __init__(self, window: QWidget, model: AppModel, panel: ConfigPanel, feedback: Feedback) -> None:
        super().__init__(window)
        self.window, self.model, self.panel, self.feedback = window, model, panel, feedback
        self.lr_finder: LrFinderDialog | None = None
        self.export_action = QAction("Export as Python script…", window)
        self.export_action.setObjectName("exportScriptAction")
        self.export_action.setToolTip(EXPORT_TIP)
        self.export_action.setStatusTip(EXPORT_TIP)
        self.export_action.triggered.connect(self._export_dialog)
        panel.find_lr_requested.connect(self.find_lr)

    def find_lr(self, config: TrainConfig) -> None:
        if self.lr_finder is None:
            self.lr_finder = LrFinderDialog(self.window)
            self.lr_finder.lr_chosen.connect(self.panel.lr.setValue)
        self.lr_finder.show()
        self.lr_finder.raise_()
        self.lr_finder.start(config)

    def export_script(self, path: str | Path) -> bool:
        weights = self.model.weights_copy()   # None: the settings no longer fit the trained weights
        try:
            written = write_script(path, self.panel.current(), weights, source="the window")
        except PlaygroundError as exc:
            self.feedback.show_error(str(exc))
            return False
        self.feedback.note(f"Wrote {', '.join(p.name for p in written)}: " + (
            "it starts from the trained weights" if weights is not None else "it trains from fresh weights"), 8000)
        return True

    def _export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self.window, "Export as Python script", "run.py",
                                              "Python script (*.py)")
        if path:
            self.export_script(path)

    def shutdown(self, timeout_ms: int | None = 2000) -> bool:
        """Join a running range test (or let it go after timeout_ms); then the dialog is deleted by Qt now, not
        later by the garbage collector."""
        if self.lr_finder is None:
            return True
        joined = self.lr_finder.shutdown(timeout_ms)
        dialog, self.lr_finder = self.lr_finder, None
        dialog.close()
        dialog.deleteLater()
        return joined
