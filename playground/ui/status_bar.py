"""A status bar whose message never runs into the read-outs on its right: a message too long for the room
left is cut with "…", and the whole text is in its tooltip."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QStatusBar, QWidget


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full_message = ""
        self._readouts: list[QWidget] = []
        self._lasting = False

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:   # noqa: N802 (Qt's name)
        self._readouts.append(widget)
        super().addPermanentWidget(widget, stretch)

    def room(self) -> int:
        """Pixels for the message: from the left edge up to the first read-out (QStatusBar's message rect)."""
        right = self.width() - 12
        for widget in self._readouts:
            if widget.isVisible() and widget.width() > 0:
                right = min(right, widget.x() - 6)
        return max(0, right - 6)

    def showMessage(self, message: str, timeout: int = 0) -> None:   # noqa: N802 (Qt's name)
        self.full_message, self._lasting = message, timeout == 0
        elided = self.fontMetrics().elidedText(message, Qt.ElideRight, self.room()) if message else message
        self.setToolTip(message if elided != message else "")
        super().showMessage(elided, timeout)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self._lasting and self.currentMessage():
            self.showMessage(self.full_message)
