"""The controls around the runs table that reach the run store: the filter box, Open model (last or best), the
notes dialog, and the line that says how much the kept runs take on disk."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QMenu, QPlainTextEdit, QToolButton,
                               QVBoxLayout, QWidget)


def filter_box() -> QLineEdit:
    box = QLineEdit()
    box.setObjectName("runsFilter")
    box.setPlaceholderText("filter runs: name, dataset or status (e.g. moons finished)")
    box.setClearButtonEnabled(True)
    box.setToolTip("Show only the runs whose name, dataset or status contain every word you type, e.g. "
                   "'mnist finished' or 'interrupted'. Clear it to list every run again.")
    return box


def open_button() -> QToolButton:
    """Click: open the selected run's last model; the arrow: choose its last or its best."""
    b = QToolButton()
    b.setObjectName("openRunButton")
    b.setText("Open model")
    b.setPopupMode(QToolButton.MenuButtonPopup)
    b.setToolButtonStyle(Qt.ToolButtonTextOnly)
    b.setToolTip("Use the selected run's model (its last epoch's; the arrow offers its best epoch's) in the "
                 "Draw, Network and Mistakes tabs. Train then continues that same run: raise Epochs to train a "
                 "finished run further. Double-clicking a run does the same.")
    menu = QMenu(b)
    menu.setToolTipsVisible(True)
    b.last_action = menu.addAction("Last model")
    b.last_action.setToolTip("The model after the run's last completed epoch.")
    b.best_action = menu.addAction("Best model")
    b.best_action.setToolTip("The model of the epoch with the best test accuracy (R² for a regression): "
                             "training it further starts a branch of the run from that epoch.")
    b.setMenu(menu)
    return b


def store_label() -> QLabel:
    label = QLabel("")
    label.setObjectName("storeSizeLabel")
    label.setToolTip("Every run is kept as it trains (its curves, settings, notes, and its last and best model) "
                     "in the run store of your data folder; deleting a run frees its space when the window "
                     "closes. 'mlp-playground runs list' shows the same runs.")
    label.setTextInteractionFlags(Qt.TextSelectableByMouse)
    return label


class NotesDialog(QDialog):
    """Edit one run's notes: plain text, kept with the run in the store."""

    def __init__(self, run_name: str, notes: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runNotesDialog")
        self.setWindowTitle(f"Notes on {run_name}")
        self.edit = QPlainTextEdit(notes)
        self.edit.setObjectName("runNotesEdit")
        self.edit.setPlaceholderText("What did you try, what did you expect, what happened?")
        self.edit.setToolTip("Your notes on this run: kept with it, shown in the runs table's notes column (first "
                             "line) and by 'mlp-playground runs show'.")
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.setObjectName("runNotesButtons")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"Notes on “{run_name}”"))
        layout.addWidget(self.edit, 1)
        layout.addWidget(buttons)
        self.resize(480, 280)

    def notes(self) -> str:
        return self.edit.toPlainText()
