"""The window's file actions: configs and checkpoints, and their dialogs (downloads and your own data are in
data_actions.py). Failures go to the banner."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QFileDialog, QWidget

from playground.engine.app_model import AppModel
from playground.engine.config import TrainConfig
from playground.engine.datasets import is_on_disk
from playground.engine.errors import PlaygroundError
from playground.engine.runs.checkpoint import LoadedModel
from playground.ui.session import TrainingSession
from playground.ui.training.config_panel import ConfigPanel
from playground.ui.window.feedback import Feedback


class FileActions(QObject):
    def __init__(self, window: QWidget, model: AppModel, session: TrainingSession, panel: ConfigPanel,
                 feedback: Feedback, apply_config: Callable[[TrainConfig], None]) -> None:
        super().__init__(window)
        self.window, self.model, self.session, self.panel, self.feedback = window, model, session, panel, feedback
        self.apply_config = apply_config          # the window's reaction to a new config from the panel

    def save_config(self, path: str | Path) -> None:
        try:
            self.panel.config().save(path)
            self.feedback.note(f"Saved config to {path}", 5000)
        except (PlaygroundError, OSError) as exc:
            self.feedback.show_error(f"Could not save the config: {exc}")

    def load_config(self, path: str | Path) -> None:
        try:
            config = TrainConfig.load(path)
        except PlaygroundError as exc:
            self.feedback.show_error(str(exc))
            return
        self.panel.set_config(config)
        self.apply_config(self.panel.current())
        self.feedback.note(f"Loaded config from {path}", 5000)

    def save_checkpoint(self, path: str | Path) -> bool:
        try:
            self.model.save_checkpoint(path)
        except PlaygroundError as exc:
            self.feedback.show_error(str(exc))
            return False
        self.feedback.note(f"Saved checkpoint to {path}", 5000)
        return True

    def load_checkpoint(self, path: str | Path, loaded: LoadedModel | None = None) -> bool:
        """The app model takes the checkpoint (model, run and curves) and tells the views; this measures it on
        its test split when that is on disk."""
        if self.session.is_busy:
            self.feedback.show_error("Stop the current run (or let the current job finish) before loading a "
                                     "checkpoint.")
            return False
        try:
            loaded = self.model.load_checkpoint(path, loaded)
        except PlaygroundError as exc:
            self.feedback.show_error(str(exc))
            return False
        self.panel.set_config(loaded.config)
        if is_on_disk(loaded.config.dataset, loaded.config.data_dir):
            self.session.evaluate_loaded()
        last = loaded.metrics[-1] if loaded.metrics else None
        self.feedback.clear_error()
        self.feedback.note(f"Loaded {Path(path).name}" + (f": {last.summary()}" if last else ""))
        return True

    def _dialog_path(self, save: bool, title: str, pattern: str) -> str | None:
        fn = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = fn(self.window, title, "", pattern)
        return path or None

    def save_config_dialog(self) -> None:
        if path := self._dialog_path(True, "Save config", "Config (*.json)"):
            self.save_config(path)

    def load_config_dialog(self) -> None:
        if path := self._dialog_path(False, "Load config", "Config (*.json);;All files (*)"):
            self.load_config(path)

    def save_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(True, "Save checkpoint", "Checkpoint (*.pt)"):
            self.save_checkpoint(path)

    def load_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(False, "Load checkpoint", "Checkpoint (*.pt);;All files (*)"):
            self.load_checkpoint(path)
