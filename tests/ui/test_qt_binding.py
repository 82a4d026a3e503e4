"""Guards against a Qt binding that leaks references to None (PySide6 6.12.0 on Python 3.11 does: a
live-plotting window then dies with 'deallocating None' after a few thousand repaints)."""
import sys

import pyqtgraph as pg


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
    # on Python >= 3.12 None is immortal and its count is constant; before that a leak shows as a drop
    assert before - sys.getrefcount(None) < 100
