"""The push button every tab builds: found by its objectName, and teaching through its tooltip."""
from __future__ import annotations

from PySide6.QtWidgets import QPushButton


def button(name: str, text: str, tip: str) -> QPushButton:
    b = QPushButton(text)
    b.setObjectName(name)
    b.setToolTip(tip)
    return b
