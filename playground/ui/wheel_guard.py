"""Scrolling a panel must never change a setting: a combo or spin box in a scroll area takes the mouse wheel
only once it has focus (clicked or tabbed into).

The Qt idiom, applied to each such control (`guard_controls` on a panel, `guard` on a control added later):
Qt.StrongFocus, so the wheel no longer gives them focus, and a wheel event that reaches one without focus goes
to the scroll area instead, which scrolls on as the user meant. The filter sits on the guarded controls
alone: an application-wide Python filter would be called for every event of every widget.
"""
from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

GUARDED = (QComboBox, QAbstractSpinBox)


def scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and not isinstance(parent, GUARDED):
            return parent
        parent = parent.parentWidget()
    return None


class WheelGuard(QObject):
    """The event filter of each guarded control: a wheel event without focus is passed to its scroll area."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            area = scroll_area_of(obj)
            if area is not None:
                QCoreApplication.sendEvent(area.verticalScrollBar(), event)
                return True
        return False


_GUARD = WheelGuard()


def guard(control: QWidget) -> None:
    """Make one combo or spin box take the wheel only with focus (a control outside a scroll area keeps it)."""
    control.setFocusPolicy(Qt.StrongFocus)
    control.installEventFilter(_GUARD)


def guard_controls(root: QWidget) -> None:
    """Guard every combo and spin box under `root` (a settings panel)."""
    for kind in GUARDED:
        for control in root.findChildren(kind):
            guard(control)
