"""Light and dark: the palette, the stylesheet and the plots follow the system or the user's choice.

View > Theme offers System, Light and Dark (remembered in the settings). "System" follows
QStyleHints.colorScheme where Qt reports it, else the lightness of the platform's window colour.
Plots are recoloured in place: backgrounds, axes (and their grid lines), legends and guide lines.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from string import Template

import pyqtgraph as pg
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor, QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from playground.engine import assets
from playground.ui.settings import settings

SETTINGS_KEY = "view/theme"
CHOICES = {"system": "&System", "light": "&Light", "dark": "&Dark"}


@dataclass(frozen=True)
class Colours:
    name: str
    window: str
    base: str
    text: str
    background: str        # plot background
    foreground: str        # plot axes, tick labels and grid
    legend_bg: str         # #rrggbbaa: translucent so a curve behind the legend still shows
    legend_border: str
    banner_bg: str
    banner_fg: str
    banner_border: str
    error: str
    muted: str
    button: str
    highlight: str


LIGHT = Colours("light", window="#efefef", base="#ffffff", text="#1a1a1a", background="#ffffff",
                foreground="#404040", legend_bg="#ffffffa0", legend_border="#c8c8c8", banner_bg="#fdecea",
                banner_fg="#611a15", banner_border="#f5c2c0", error="#b00020", muted="#555555",
                button="#e4e4e4", highlight="#2a6fdb")
DARK = Colours("dark", window="#2b2b2e", base="#1e1e20", text="#e6e6e6", background="#1e1e20",
               foreground="#c8c8c8", legend_bg="#2b2b2ea0", legend_border="#5a5a5a", banner_bg="#4a1c1a",
               banner_fg="#ffd9d4", banner_border="#8c3a33", error="#ff7b72", muted="#a8a8a8",
               button="#3a3a3e", highlight="#4f8ff7")


def remembered_choice() -> str:
    value = settings().value(SETTINGS_KEY)
    return value if value in CHOICES else "system"


def system_is_dark() -> bool:
    app = QGuiApplication.instance()
    if app is None:
        return False
    hints = app.styleHints()
    scheme = hints.colorScheme() if hasattr(hints, "colorScheme") else None
    if scheme == Qt.ColorScheme.Dark:
        return True
    if scheme == Qt.ColorScheme.Light:
        return False
    palette = _ThemeState.system_palette or app.palette()
    return palette.color(QPalette.Window).lightness() < 128


def colours_for(choice: str) -> Colours:
    if choice == "dark" or (choice == "system" and system_is_dark()):
        return DARK
    return LIGHT


def current() -> Colours:
    """The colours in use now (before any theme is applied: those of the remembered choice)."""
    return _ThemeState.colours or colours_for(remembered_choice())


def plot_background() -> str:
    return current().background


class _ThemeState:
    colours: Colours | None = None
    system_palette: QPalette | None = None


class ThemeManager(QObject):
    """Applies a choice to the whole application and says so (`changed`)."""
    changed = Signal(object)   # Colours

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.choice = remembered_choice()
        app = QApplication.instance()
        if _ThemeState.system_palette is None:
            _ThemeState.system_palette = QPalette(app.palette())
        hints = app.styleHints()
        if hasattr(hints, "colorSchemeChanged"):
            hints.colorSchemeChanged.connect(self._on_system_change)

    def _on_system_change(self, *_args) -> None:
        if self.choice == "system":
            self.apply("system", remember=False)

    def apply(self, choice: str, remember: bool = True) -> Colours:
        if choice not in CHOICES:
            choice = "system"
        self.choice = choice
        if remember:
            settings().setValue(SETTINGS_KEY, choice)
        app = QApplication.instance()
        colours = colours_for(choice)
        _ThemeState.colours = colours
        # Setting the same palette or style sheet again re-polishes every widget of the application (each
        # window a process opens would restyle all the others): only a change is applied.
        palette = _ThemeState.system_palette if choice == "system" else palette_of(colours)
        if app.palette() != palette:
            app.setPalette(palette)
        sheet = stylesheet(colours)
        if app.styleSheet() != sheet:
            app.setStyleSheet(sheet)
        pg.setConfigOptions(background=colours.background, foreground=colours.foreground)
        # Only the plots of this manager's window: app.allWidgets() also lists widgets of closed windows
        # whose deletion is pending, and touching their half-destroyed scenes can crash.
        owner = self.parent()
        views = owner.findChildren(pg.GraphicsView) if isinstance(owner, QWidget) else []
        for view in views:
            style_view(view, colours)
        self.changed.emit(colours)
        return colours


def palette_of(c: Colours) -> QPalette:
    p = QPalette()
    roles = {QPalette.Window: c.window, QPalette.WindowText: c.text, QPalette.Base: c.base,
             QPalette.AlternateBase: c.window, QPalette.Text: c.text, QPalette.Button: c.button,
             QPalette.ButtonText: c.text, QPalette.ToolTipBase: c.base, QPalette.ToolTipText: c.text,
             QPalette.Highlight: c.highlight, QPalette.HighlightedText: "#ffffff", QPalette.PlaceholderText: c.muted,
             QPalette.BrightText: c.error, QPalette.Link: c.highlight}
    for role, colour in roles.items():
        p.setColor(role, QColor(colour))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        p.setColor(QPalette.Disabled, role, QColor(c.muted))
    return p


def stylesheet(c: Colours) -> str:
    return Template(assets.read_text("style.qss")).substitute(asdict(c))


def _rgba(hex_colour: str) -> QColor:
    """'#rrggbbaa' (CSS order) -> QColor; Qt itself reads 8 hex digits as #aarrggbb."""
    if len(hex_colour) == 9:
        r, g, b, a = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5, 7))
        return QColor(r, g, b, a)
    return QColor(hex_colour)


def style_view(view: pg.GraphicsView, c: Colours) -> None:
    """Recolour one pyqtgraph widget: background, axes with their grid, legends and guide lines."""
    view.setBackground(c.background)
    scene = view.scene()
    if scene is None:
        return
    guide = QColor(c.foreground)
    guide.setAlpha(80)
    for item in scene.items():
        if isinstance(item, pg.AxisItem):
            item.setPen(pg.mkPen(c.foreground))
            item.setTextPen(pg.mkPen(c.foreground))
        elif isinstance(item, pg.LegendItem):
            item.setBrush(pg.mkBrush(_rgba(c.legend_bg)))
            item.setPen(pg.mkPen(c.legend_border))
            item.setLabelTextColor(c.text)
            for _sample, label in item.items:   # pyqtgraph stores the new colour but repaints no label itself
                label.setText(label.text, color=c.text)
        elif isinstance(item, pg.InfiniteLine) and getattr(item, "themed_guide", False):
            item.setPen(pg.mkPen(guide))


def guide_line(angle: int) -> pg.InfiniteLine:
    """A faint axis line at 0 that follows the theme."""
    colour = QColor(current().foreground)
    colour.setAlpha(80)
    line = pg.InfiniteLine(0, angle=angle, pen=pg.mkPen(colour))
    line.themed_guide = True
    return line


def app_icon() -> QIcon:
    """The app icon, from the SVG (crisp at every size) with the PNG as a fallback."""
    icon = QIcon()
    for name in ("mlp-playground.svg", "mlp-playground.png"):
        pixmap = QPixmap()
        if pixmap.loadFromData(assets.read_bytes(name)):
            icon.addPixmap(pixmap)
    return icon


def install_theme_menu(window: QMainWindow) -> ThemeManager:
    """View > Theme (System / Light / Dark) on `window`, with the remembered choice applied."""
    manager = ThemeManager(window)
    menu = window.menuBar().addMenu("&View").addMenu("&Theme")
    menu.setObjectName("themeMenu")
    menu.setToolTipsVisible(True)
    group = QActionGroup(menu)
    tips = {"system": "Follow the desktop's light or dark setting.",
            "light": "Dark text and curves on white: best for screenshots and printing.",
            "dark": "Light text and curves on a dark background: easier on the eyes at night."}
    manager.actions = {}
    for key, text in CHOICES.items():
        action = QAction(text, menu, checkable=True)
        action.setObjectName(f"theme_{key}")
        action.setToolTip(tips[key])
        action.setChecked(key == manager.choice)
        action.triggered.connect(lambda _=False, k=key: manager.apply(k))
        group.addAction(action)
        menu.addAction(action)
        manager.actions[key] = action
    manager.apply(manager.choice, remember=False)
    return manager
