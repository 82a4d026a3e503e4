import math

import pytest
import torch

from playground.engine.drawing.stroke_render import (BOX, PEN_WIDTH, render_drawing, render_segments,
                                             strokes_to_segments)

SEVEN = [[(10, 10), (90, 10), (40, 100)], [(30, 55), (75, 55)]]


def _scaled(strokes, k, dx=0.0, dy=0.0):
    return [[(x * k + dx, y * k + dy) for x, y in s] for s in strokes]


def _com(img):
    img = img.float()
    idx = torch.arange(28).float()
    m = img.sum()
    return float((img.sum(1) * idx).sum() / m), float((img.sum(0) * idx).sum() / m)


def test_the_same_strokes_drawn_small_large_or_anywhere_read_alike():
    small = render_drawing(_scaled(SEVEN, 0.9, 150, 160)).float()
    large = render_drawing(_scaled(SEVEN, 2.6, 5, 3)).float()
    assert (small - large).abs().max() <= 2        # identical up to rounding


TWO = [[(10, 20), (50, 0), (90, 20), (10, 100), (90, 100)]]


def test_mnist_recipe_twenty_pixel_box_and_centre_of_mass():
    img = render_drawing(TWO)
    cy, cx = _com(img)
    assert abs(cy - 14) < 0.25 and abs(cx - 14) < 0.25
    ink = img > 0
    rows = ink.any(1).nonzero().flatten()
    cols = ink.any(0).nonzero().flatten()
    longest = max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1
    assert BOX - 1 <= longest <= BOX + 2


@pytest.mark.parametrize("width", [1.5, PEN_WIDTH, 3.5])
def test_stroke_width_is_the_pen_width_in_28x28_pixels(width):
    line = [[(0, 0), (0, 100)], [(50, 0), (50, 100)]]      # two vertical strokes, 20 px tall
    img = render_drawing(line, width=width).float() / 255
    length = 2 * (BOX - width)
    # ink per unit length: the pen's width plus its soft edge and round caps, whatever the drawing size
    assert width <= float(img.sum() / length) <= 1.4 * width + 0.3
    assert render_drawing(line, width=3.0).float().sum() > render_drawing(line, width=1.5).float().sum()


def test_a_top_heavy_digit_is_centred_without_cutting_it_off():
    heavy_seven = [[(0, 0), (100, 0), (100, 8), (0, 8), (0, 16), (100, 16), (60, 100)]]
    img = render_drawing(heavy_seven)
    assert int(img[-1].max()) < 100 and int(img[:, -1].max()) < 100     # the stem's tip is not cut off
    cy, _ = _com(img)
    assert 14 - cy > 1.5                                                # but moved towards the centre


def test_dots_render_alone_and_beside_a_stroke():
    dot = render_drawing([[(40, 40)]])
    assert int(dot.max()) == 255 and int((dot > 0).sum()) < 30
    with_dot = render_drawing([[(50, 0), (50, 100)], [(90, 100)]])
    without = render_drawing([[(50, 0), (50, 100)]])
    assert (with_dot.float() - without.float()).abs().sum() > 255    # the dot adds ink


def test_blank_drawing_is_blank():
    assert int(render_drawing([]).sum()) == 0
    a, b, valid = strokes_to_segments([])
    assert int(render_segments(a, b, valid, 2.0).sum()) == 0


def test_a_batch_renders_like_its_samples_one_by_one():
    drawings = [SEVEN, [[(0, 0), (30, 40), (10, 90)]], [[(5, 5)]], [[(0, 50), (100, 50)], [(50, 0), (50, 100)]]]
    singles = [strokes_to_segments(d) for d in drawings]
    s_max = max(s[0].shape[1] for s in singles)
    pad = lambda t, fill: torch.cat([t, fill.expand(1, s_max - t.shape[1], *t.shape[2:])], 1)  # noqa: E731
    a = torch.cat([pad(s[0], torch.zeros(1, 1, 2)) for s in singles])
    b = torch.cat([pad(s[1], torch.zeros(1, 1, 2)) for s in singles])
    valid = torch.cat([pad(s[2], torch.zeros(1, 1, dtype=torch.bool)) for s in singles])
    widths = torch.tensor([1.5, 2.0, 2.5, 3.0])
    batch = render_segments(a, b, valid, widths)
    for i, s in enumerate(singles):
        diff = (batch[i] - render_segments(*s, widths[i])[0]).abs()
        assert float(diff.max()) < 0.03, (i, float(diff.max()))   # blur kernels cut at the batch radius


def test_pressure_widens_the_stroke():
    a, b, valid = strokes_to_segments([[(0, 0), (0, 100)]])
    light = render_segments(a, b, valid, 2.0, ink=torch.full((1, 1), 0.6))
    heavy = render_segments(a, b, valid, 2.0, ink=torch.full((1, 1), 1.6))
    assert heavy.sum() > light.sum()
    assert math.isfinite(float(heavy.sum()))
