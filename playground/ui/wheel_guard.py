"""Scrolling a panel must never change a setting: a combo or spin box in a scroll area takes the mouse wheel
only once it has focus (clicked or tabbed into).

The Qt idiom, applied to every such control of the application at once (hidden-layer rows added later
included): Qt.StrongFocus, so the wheel no longer gives them focus, and a wheel event that reaches one
without focus goes to the scroll area instead, which scrolls on as the user meant.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QApplication, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


def scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, GUARDED):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """An application event filter: focus policy on polish, wheel events without focus passed on."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Polish and isinstance(obj, GUARDED) and scroll_area_of(obj) is not None:
            obj.setFocusPolicy(Qt.StrongFocus)
        elif kind == QEvent.Type.Wheel and isinstance(obj, GUARDED) and not obj.hasFocus():
            area = scroll_area_of(obj)
            if area is not None:
                QCoreApplication.sendEvent(area.verticalScrollBar(), event)
                return True
        return False


def install_wheel_guard() -> WheelGuard | None:
    """Guard the running application's controls (once; later calls return the same guard)."""
    app = QApplication.instance()
    if app is None:
        return None
    global _GUARD
    if _GUARD is None or _GUARD.parent() is not app:
        _GUARD = WheelGuard(app)
        app.installEventFilter(_GUARD)
    return _GUARD


_GUARD: WheelGuard | None = None
