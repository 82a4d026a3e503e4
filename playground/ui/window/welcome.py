"""The first-run hint: what to do first, shown at the first launch until it is dismissed (then never again)."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QWidget

from playground.ui.buttons import button
from playground.ui.settings import settings

DISMISSED_KEY = "view/welcome_dismissed"
WELCOME = ("<b>Welcome!</b> Press <b>Train</b> to teach a network to read digits, then draw one in the "
           "<b>Draw</b> tab. Or pick a tutorial experiment under <b>Presets</b> (top left): each sets up one "
           "lesson and says what to watch.")


def welcome_dismissed() -> bool:
    return settings().value(DISMISSED_KEY, False) in (True, "true", "1", 1)


class WelcomeHint(QFrame):
    """A one-line strip above the tabs: the first steps, a button that opens the presets, and Dismiss."""
    dismissed = Signal()

    def __init__(self, presets: QComboBox | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeHint")
        self.setFrameShape(QFrame.StyledPanel)
        self.presets = presets
        self.text = QLabel(WELCOME)
        self.text.setObjectName("welcomeText")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.RichText)
        self.show_presets = button("welcomePresetsButton", "Show the presets",
                                   "Open the list of tutorial experiments in the settings panel: each one sets "
                                   "the data and the network for a lesson (overfitting, dead ReLUs, ...).")
        self.dismiss_button = button("dismissWelcomeButton", "Got it",
                                     "Hide this hint for good (it will not come back at the next launch).")
        row = QHBoxLayout(self)
        row.addWidget(self.text, 1)
        row.addWidget(self.show_presets)
        row.addWidget(self.dismiss_button)
        self.show_presets.setVisible(presets is not None)
        self.show_presets.clicked.connect(self._open_presets)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.setVisible(not welcome_dismissed())

    def _open_presets(self) -> None:
        self.presets.setFocus(Qt.OtherFocusReason)
        self.presets.showPopup()

    def dismiss(self) -> None:
        settings().setValue(DISMISSED_KEY, True)
        settings().sync()
        self.hide()
        self.dismissed.emit()
