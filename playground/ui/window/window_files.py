"""The main window's file actions: configs, checkpoints and their dialogs (downloads and your own data are in
data_actions.py)."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from playground.engine.runs.checkpoint import LoadedModel
from playground.engine.config import TrainConfig
from playground.engine.datasets import is_on_disk
from playground.engine.errors import PlaygroundError


class FileActions:
    """Mixin for MainWindow: File menu actions. Failures go to the banner."""

    def save_config(self, path: str | Path) -> None:
        try:
            self.panel.config().save(path)
            self.statusBar().showMessage(f"Saved config to {path}", 5000)
        except (PlaygroundError, OSError) as exc:
            self.show_error(f"Could not save the config: {exc}")

    def load_config(self, path: str | Path) -> None:
        try:
            config = TrainConfig.load(path)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return
        self.panel.set_config(config)
        self._on_config(self.panel.current())
        self.statusBar().showMessage(f"Loaded config from {path}", 5000)

    def save_checkpoint(self, path: str | Path) -> bool:
        try:
            self.model.save_checkpoint(path)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return False
        self.statusBar().showMessage(f"Saved checkpoint to {path}", 5000)
        return True

    def load_checkpoint(self, path: str | Path, loaded: LoadedModel | None = None) -> bool:
        """The app model takes the checkpoint (model, run and curves); the window shows it."""
        if self.session.is_busy:
            self.show_error("Stop the current run (or let the current job finish) before loading a checkpoint.")
            return False
        try:
            loaded = self.model.load_checkpoint(path, loaded)
        except PlaygroundError as exc:
            self.show_error(str(exc))
            return False
        self.mistakes.set_dataset(None)
        self.panel.set_config(loaded.config)
        self.plots.set_epochs(max(loaded.config.epochs, len(loaded.metrics)))
        self.plots.refresh()
        self.boundary.set_points(None)
        if is_on_disk(loaded.config.dataset, loaded.config.data_dir):
            self.session.evaluate_loaded()
        last = loaded.metrics[-1] if loaded.metrics else None
        self.progress.setValue(0)
        self.progress.setFormat(f"loaded: {len(loaded.metrics)} epochs trained" if last else "loaded")
        self.clear_error()
        self.statusBar().showMessage(f"Loaded {Path(path).name}" +
                                     (f": {last.summary()}" if last else ""))
        return True

    def _dialog_path(self, save: bool, title: str, pattern: str) -> str | None:
        fn = QFileDialog.getSaveFileName if save else QFileDialog.getOpenFileName
        path, _ = fn(self, title, "", pattern)
        return path or None

    def _save_config_dialog(self) -> None:
        if path := self._dialog_path(True, "Save config", "Config (*.json)"):
            self.save_config(path)

    def _load_config_dialog(self) -> None:
        if path := self._dialog_path(False, "Load config", "Config (*.json);;All files (*)"):
            self.load_config(path)

    def _save_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(True, "Save checkpoint", "Checkpoint (*.pt)"):
            self.save_checkpoint(path)

    def _load_checkpoint_dialog(self) -> None:
        if path := self._dialog_path(False, "Load checkpoint", "Checkpoint (*.pt);;All files (*)"):
            self.load_checkpoint(path)
