"""The pen benchmark's stroke sources (bench/lib/pen_traces.py): thinning, tracing, the hand-written set."""

import numpy as np

from bench.lib.pen_traces import hand_written, place, simplify, thin, trace

from playground.engine.drawing.stroke_render import render_drawing


def test_thinning_leaves_a_one_pixel_line():
    img = np.zeros((1, 28, 28), bool)
    img[0, 4:24, 12:16] = True                   # a bar 4 px wide
    skel = thin(img)[0]
    assert skel.sum() >= 14 and skel[4:24].sum(1).max() == 1


def test_a_traced_ring_redraws_as_a_ring():
    yy, xx = np.mgrid[:28, :28]
    r = np.hypot(yy - 14, xx - 14)
    ring = (((r > 6) & (r < 9)) * 255).astype(np.uint8)
    strokes = trace(ring[None])[0]
    assert 1 <= len(strokes) <= 3
    assert sum(len(s) for s in strokes) < 30     # sparse polylines, not every pixel
    redrawn = render_drawing([s.tolist() for s in strokes]).numpy()
    assert redrawn[14, 14] == 0 and redrawn[14, 3:8].max() > 128     # hollow, with ink on the ring


def test_simplify_keeps_corners_and_drops_collinear_points():
    pts = np.array([[0, 0], [1, 0], [2, 0], [3, 0], [3, 1], [3, 2]], float)
    assert simplify(pts, 0.1).tolist() == [[0, 0], [3, 0], [3, 2]]


def test_hand_written_digits_cover_every_class_and_fit_the_canvas():
    strokes, labels, names = hand_written()
    assert np.bincount(labels, minlength=10).min() >= 8
    rng = np.random.default_rng(0)
    for drawing in strokes:
        placed = np.concatenate(place(drawing, rng))
        assert placed.min() >= 0 and placed.max() < 280
        extent = (placed.max(0) - placed.min(0)).max()
        assert 0.45 * 280 - 1 <= extent <= 0.8 * 280 + 1
