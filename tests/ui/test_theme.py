"""View > Theme: switching recolours the plots, banners and palette, and the choice is remembered."""
import pytest
from PySide6.QtGui import QPalette

from playground.ui import theme


def _colours(plot):
    axis = plot.getAxis("left")
    return plot.backgroundBrush().color().name(), axis.pen().color().name(), axis.textPen().color().name()


@pytest.mark.slow
def test_switching_theme_recolours_the_plots(window):
    plot = window.plots.loss_plot
    window.theme.actions["light"].trigger()
    light = _colours(plot)
    assert light[0] == theme.LIGHT.background
    window.theme.actions["dark"].trigger()
    dark = _colours(plot)
    assert dark[0] == theme.DARK.background and dark[1] == theme.DARK.foreground
    assert all(a != b for a, b in zip(light, dark))
    legend = plot.getPlotItem().legend
    assert legend.brush().color().red() == 0x2b
    # every pyqtgraph view follows, not only the training plots
    assert window.activation_lab.plot.backgroundBrush().color().name() == theme.DARK.background
    assert window.weights.view.backgroundBrush().color().name() == theme.DARK.background


@pytest.mark.slow
def test_dark_theme_reaches_the_palette_and_banner(window, qapp):
    window.theme.actions["dark"].trigger()
    assert qapp.palette().color(QPalette.Window).name() == theme.DARK.window
    assert theme.DARK.banner_bg in qapp.styleSheet()
    window.feedback.show_error("boom")
    banner = window.feedback.banner
    banner.resize(200, 40)
    # the banner is drawn in the dark theme's colours: sample a pixel of its background
    assert banner.grab().toImage().pixelColor(2, 2).name() == theme.DARK.banner_bg
    window.theme.actions["light"].trigger()
    assert theme.LIGHT.banner_bg in qapp.styleSheet() and theme.DARK.banner_bg not in qapp.styleSheet()


@pytest.mark.slow
def test_choice_is_remembered_and_bad_values_fall_back(window):
    window.theme.actions["dark"].trigger()
    assert theme.remembered_choice() == "dark"
    theme.settings().setValue(theme.SETTINGS_KEY, "purple")
    assert theme.remembered_choice() == "system"
    window.theme.actions["system"].trigger()
    assert theme.remembered_choice() == "system"


@pytest.mark.slow
def test_system_choice_follows_the_reported_scheme(window, monkeypatch):
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    assert theme.colours_for("system") is theme.DARK
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    assert theme.colours_for("system") is theme.LIGHT
    assert theme.colours_for("dark") is theme.DARK


@pytest.mark.slow
def test_window_has_the_app_icon(window):
    assert not window.windowIcon().isNull()
    assert window.windowIcon().availableSizes()


@pytest.mark.slow
def test_switching_theme_recolours_the_network_links_which_stay_opaque(window):
    """Links are opaque pens mixed with the background (a translucent pen rasterises far slower)."""
    def link_colours():
        return {key: item.opts["pen"].color() for key, item in window.network.scene._link_items.items()}
    window.theme.actions["light"].trigger()
    light = link_colours()
    window.theme.actions["dark"].trigger()
    dark = link_colours()
    assert all(c.alpha() == 255 for c in (*light.values(), *dark.values()))
    assert all(light[key].name() != dark[key].name() for key in light)
    assert light[1, 0].name() != light[-1, 0].name()      # the two signs stay apart
    assert window.network.graphics.backgroundBrush().color().name() == theme.DARK.background
