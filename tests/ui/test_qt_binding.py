"""Guards against a Qt binding that leaks references to None (PySide6 6.12.0 on Python 3.11 does: a
live-plotting window then dies with 'deallocating None' after a few thousand repaints)."""
import sys
from importlib.metadata import version

import pytest
import pyqtgraph as pg


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12: a leak cannot show")
def test_repainting_a_plot_keeps_none_alive(qtbot):
    plot = pg.PlotWidget()
    qtbot.addWidget(plot)
    plot.plot([1, 2, 3], [3, 1, 2])
    plot.resize(400, 300)
    plot.show()
    plot.grab()
    before = sys.getrefcount(None)
    for _ in range(100):
        plot.grab()
    # before Python 3.12 a leak of one reference per void call shows as a drop of hundreds
    assert before - sys.getrefcount(None) < 100


def test_installed_binding_respects_the_pin():
    """pyproject pins PySide6 below 6.12 before Python 3.12; a newer one there is the crashing binding."""
    major, minor = (int(p) for p in version("PySide6-Essentials").split(".")[:2])
    if sys.version_info < (3, 12):
        assert (major, minor) < (6, 12)
    else:
        assert (major, minor) >= (6, 5)
