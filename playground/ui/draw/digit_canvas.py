"""A square drawing canvas: white ink on black, a round anti-aliased pen, undo of whole strokes."""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

SIZE = 280   # canvas pixels (10x MNIST's 28)


class DigitCanvas(QWidget):
    changed = Signal()       # while drawing
    stroke_finished = Signal()
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("digitCanvas")
        self.setFixedSize(SIZE, SIZE)
        self.setSizePolicy(QSizePolicy.Fixed, QSizePolicy.Fixed)
        self.setCursor(Qt.CrossCursor)
        self.setToolTip("Draw a digit with the mouse. It can be small, large or off-centre: its strokes are "
                        "cropped, scaled to 20x20, redrawn with an MNIST-like pen and centred by their centre "
                        "of mass, as MNIST's digits were.")
        self.pen_width = 18.0
        self.hint = ""
        self._strokes: list[tuple[float, list[QPointF]]] = []
        self._current: list[QPointF] | None = None
        self._image = QImage(SIZE, SIZE, QImage.Format_Grayscale8)
        self._image.fill(0)

    # --- drawing -------------------------------------------------------------------------------
    def mousePressEvent(self, event) -> None:
        if event.button() != Qt.LeftButton:
            return
        self._current = [event.position()]
        self._strokes.append((self.pen_width, self._current))
        self._paint_segment(self._current, 0)
        self.changed.emit()

    def mouseMoveEvent(self, event) -> None:
        if self._current is None:
            return
        self._current.append(event.position())
        self._paint_segment(self._current, len(self._current) - 2)
        self.changed.emit()

    def mouseReleaseEvent(self, event) -> None:
        if self._current is None or event.button() != Qt.LeftButton:
            return
        self._current = None
        self.stroke_finished.emit()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Escape:
            self.clear()
        else:
            super().keyPressEvent(event)

    def _pen(self, width: float) -> QPen:
        return QPen(QColor(255, 255, 255), width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)

    def _paint_segment(self, points: list[QPointF], start: int) -> None:
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self._pen(self.pen_width))
        if len(points) == 1:
            painter.drawPoint(points[0])
        else:
            painter.drawLine(points[max(start, 0)], points[max(start, 0) + 1])
        painter.end()
        self.update()

    def _repaint_all(self) -> None:
        self._image.fill(0)
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        for width, points in self._strokes:
            painter.setPen(self._pen(width))
            if len(points) == 1:
                painter.drawPoint(points[0])
            else:
                path = QPainterPath(points[0])
                for p in points[1:]:
                    path.lineTo(p)
                painter.drawPath(path)
        painter.end()
        self.update()

    # --- commands --------------------------------------------------------------------------------
    def clear(self) -> None:
        self._strokes.clear()
        self._current = None
        self._image.fill(0)
        self.update()
        self.cleared.emit()

    def undo(self) -> None:
        if self._strokes:
            self._strokes.pop()
            self._current = None
            self._repaint_all()
            self.stroke_finished.emit() if self._strokes else self.cleared.emit()

    def is_empty(self) -> bool:
        return not self._strokes

    def strokes(self) -> list[list[tuple[float, float]]]:
        """The drawing as stroke vectors: per stroke its points (x, y) in canvas pixels, in drawing order."""
        return [[(p.x(), p.y()) for p in points] for _, points in self._strokes]

    def pixels(self) -> np.ndarray:
        """The canvas as a (SIZE, SIZE) uint8 array, ink bright on black."""
        ptr = self._image.constBits()
        stride = self._image.bytesPerLine()
        return np.frombuffer(ptr, dtype=np.uint8).reshape(SIZE, stride)[:, :SIZE].copy()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.drawImage(0, 0, self._image)
        if self.hint and self.is_empty():
            painter.setPen(QColor(170, 170, 170))
            painter.drawText(self.rect().adjusted(16, 16, -16, -16), Qt.AlignCenter | Qt.TextWordWrap, self.hint)
        painter.setPen(QColor(90, 90, 90))
        painter.drawRect(0, 0, SIZE - 1, SIZE - 1)
        painter.end()
