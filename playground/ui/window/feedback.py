"""The window's two ways of telling the user something: the error banner above the tabs (stays until dismissed)
and the status bar (a short note). Every window part that can fail gets this object, not the window."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStatusBar, QWidget


class Feedback:
    def __init__(self, status_bar: QStatusBar) -> None:
        self.status_bar = status_bar
        self.banner = QLabel()
        self.banner.setObjectName("errorBanner")
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.banner_close = QPushButton("Dismiss")
        self.banner_close.setObjectName("dismissErrorButton")
        self.banner_close.setToolTip("Hide this message; the next error shows here again.")
        self.banner_close.clicked.connect(self.clear_error)
        row = QHBoxLayout()
        row.addWidget(self.banner, 1)
        row.addWidget(self.banner_close)
        self.banner_box = QWidget()        # the window puts it above the tabs
        self.banner_box.setLayout(row)
        self.banner_box.hide()

    def show_error(self, message: str) -> None:
        self.banner.setText(message)
        self.banner_box.show()
        self.status_bar.showMessage(message.split(". ")[0], 8000)

    def clear_error(self) -> None:
        self.banner.clear()
        self.banner_box.hide()

    def note(self, text: str, timeout_ms: int = 0) -> None:
        self.status_bar.showMessage(text, timeout_ms)
