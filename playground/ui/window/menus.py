"""The window's menus: File (configs, checkpoints, data, exports, Quit), Training (Train / pause, Reset) and Help
(About, with the shipped data's credit), built from the parts that own the actions. View > Theme is added by
theme.install_theme_menu."""
from __future__ import annotations

from typing import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMessageBox

from playground.engine import assets

from playground.ui.network.network_tab import NetworkView
from playground.ui.session import TrainingSession
from playground.ui.window.data_actions import DataActions
from playground.ui.window.script_export_action import WindowTools
from playground.ui.window.window_files import FileActions


def build_menus(window: QMainWindow, files: FileActions, data: DataActions, tools: WindowTools,
                network: NetworkView, session: TrainingSession, train: Callable[[], None]) -> None:
    file_menu = window.menuBar().addMenu("&File")
    actions = [
        ("Save config…", None, files.save_config_dialog),
        ("Load config…", None, files.load_config_dialog),
        ("Save checkpoint…", QKeySequence.Save, files.save_checkpoint_dialog),
        ("Load checkpoint…", QKeySequence.Open, files.load_checkpoint_dialog),
        ("Open data…", None, data.open_data_dialog),
        ("Open image folder…", None, data.open_folder_dialog),
        ("Export network view (PNG)…", None, network._export_png_dialog),
        ("Export network view as JSON…", None, network._export_json_dialog),
        (None, None, None),
        (tools.export_action, None, None),
        (None, None, None),
        ("Quit", QKeySequence.Quit, window.close),
    ]
    for text, key, slot in actions:
        if text is None:
            file_menu.addSeparator()
        elif isinstance(text, QAction):
            file_menu.addAction(text)
        else:
            action = QAction(text, window)
            if key is not None:
                action.setShortcut(key)
            action.triggered.connect(slot)
            file_menu.addAction(action)
    train_menu = window.menuBar().addMenu("&Training")
    for text, key, slot in (("Train / pause", "Space", train), ("Reset weights", "Ctrl+R", session.reset)):
        action = QAction(text, window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        train_menu.addAction(action)
    window.addActions(train_menu.actions())
    help_menu = window.menuBar().addMenu("&Help")
    about = QAction("About MLP Playground…", window)
    about.setObjectName("aboutAction")
    about.setToolTip("What this app is, and the data it ships with: who made it and under which licence.")
    about.triggered.connect(lambda: QMessageBox.about(window, "About MLP Playground", assets.ABOUT_TEXT))
    help_menu.addAction(about)
