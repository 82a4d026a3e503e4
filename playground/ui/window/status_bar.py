"""A status bar whose message never runs into the read-outs on its right: a message too long for the room
left is drawn cut with "…" (the message itself stays whole: `currentMessage()`), and the whole text is in
the bar's tooltip."""
from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStatusBar, QStyle, QStyleOption, QWidget


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._readouts: list[QWidget] = []
        self.messageChanged.connect(lambda _text: self._update_tip())

    def addPermanentWidget(self, widget: QWidget, stretch: int = 0) -> None:   # noqa: N802 (Qt's name)
        self._readouts.append(widget)
        super().addPermanentWidget(widget, stretch)

    def message_rect(self) -> QRect:
        """From the left edge up to the first read-out (as QStatusBar's own message rect)."""
        right = self.width() - 12
        for widget in self._readouts:
            if widget.isVisible() and widget.width() > 0:
                right = min(right, widget.x() - 6)
        return QRect(6, 0, max(0, right - 6), self.height())

    def shown_text(self) -> str:
        """The message as drawn: cut with "…" where it would reach the read-outs."""
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.ElideRight, self.message_rect().width())

    def _update_tip(self) -> None:
        message = self.currentMessage()
        self.setToolTip(message if message and self.shown_text() != message else "")

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._update_tip()

    def paintEvent(self, event) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        for widget in self._readouts:   # what QStatusBar draws around its items, then the message, elided
            if widget.isVisible():
                option.rect = widget.geometry().adjusted(-1, -1, 1, 1)
                self.style().drawPrimitive(QStyle.PE_FrameStatusBarItem, option, painter, widget)
        painter.setPen(self.palette().windowText().color())
        painter.drawText(self.message_rect(), Qt.AlignLeading | Qt.AlignVCenter | Qt.TextSingleLine,
                         self.shown_text())
