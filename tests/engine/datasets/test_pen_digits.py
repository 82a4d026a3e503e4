"""The shipped real pen digits: the reader of the stored arrays, leaving sites out, the writer split, rendering."""
import numpy as np
import pytest
import torch

from playground.engine import assets
from playground.engine.datasets import pen_digits as pd
from playground.engine.errors import PlaygroundError


def tiny_arrays() -> dict:
    """Two digits: a "1" of one stroke (3 points) and a "7" of two strokes (2 + 1 points: a dot)."""
    return {"points": np.array([[0, 0], [0, 500], [0, 1000], [0, 0], [1000, 0], [500, 500]], np.int16),
            "stroke_ends": np.array([3, 5, 6], np.int32), "digit_ends": np.array([1, 3], np.int32),
            "labels": np.array([1, 7], np.uint8), "writer": np.array([1, 0], np.uint16),
            "writers": np.array(["abc/w0", "xyz/w1"])}


def test_unpack_pads_each_digit_and_numbers_its_strokes():
    pen = pd.unpack(tiny_arrays())
    assert len(pen) == 2 and pen.points.shape == (2, 3, 2)
    assert pen.labels.tolist() == [1, 7] and pen.writer.tolist() == ["xyz/w1", "abc/w0"]
    assert pen.valid.tolist() == [[True, True, True], [True, True, True]]
    assert pen.stroke.tolist() == [[0, 0, 0], [0, 0, 1]]
    assert pen.position.tolist() == [[0, 1, 2], [0, 1, 0]]
    assert pen.last.tolist() == [[False, False, True], [False, True, True]]
    # each digit in the unit box, longer side 1
    assert torch.allclose(pen.points[0, :, 1], torch.tensor([0.0, 0.5, 1.0]))
    assert float(pen.points[1].max()) == 1.0 and float(pen.points[1].min()) == 0.0


def test_damaged_arrays_are_refused_with_one_line():
    bad = tiny_arrays()
    bad["stroke_ends"] = np.array([3, 5, 9], np.int32)
    with pytest.raises(PlaygroundError, match="damaged"):
        pd.unpack(bad)
    bad = tiny_arrays()
    bad["labels"] = np.array([1, 12], np.uint8)
    with pytest.raises(PlaygroundError, match="damaged"):
        pd.unpack(bad)


def test_the_shipped_set_is_small_and_holds_every_class():
    assert len(assets.read_bytes(pd.RESOURCE)) < 3_000_000
    pen = pd.load_pen_set(leave_out=frozenset())
    assert len(pen) > 15_000
    counts = torch.bincount(pen.labels, minlength=10)
    assert int(counts.min()) > 1000
    assert {"ced", "imp", "art", "syn"} <= set(pen.sites.tolist())


def test_sites_can_be_left_out_by_argument_or_environment(monkeypatch):
    without = pd.load_pen_set(leave_out=frozenset({"ced", "imp", "art"}))
    assert not {"ced", "imp", "art"} & set(without.sites.tolist())
    monkeypatch.setenv(pd.LEAVE_OUT_ENV, "ced, imp,art")
    assert len(pd.load_pen_set()) == len(without)


def test_the_split_is_by_writer():
    train, test = pd.split(pd.load_pen_set(leave_out=frozenset()))
    assert not set(train.writer.tolist()) & set(test.writer.tolist())
    assert 0.05 < len(test) / (len(train) + len(test)) < 0.2


def test_render_draws_every_digit_within_the_frame_and_differently_each_time():
    pen = pd.trimmed(pd.unpack(tiny_arrays()))
    g = torch.Generator().manual_seed(0)
    a, b = pd.render(pen, g), pd.render(pen, g)
    assert a.shape == (2, 28, 28) and float(a.min()) >= 0 and float(a.max()) <= 1
    assert bool((a.flatten(1).amax(1) > 0.9).all())
    assert not torch.equal(a, b)
    # the 1 is tall and narrow; the bar of the "7" is its heaviest row, with the dot well below it
    assert float(a[0, :, :10].sum() + a[0, :, 18:].sum()) < float(a[0, :, 10:18].sum())
    rows = a[1].sum(1)
    assert int(rows.argmax()) + 3 < int(rows.nonzero().max())


def test_the_credit_names_the_source_licence_and_changes_and_the_about_text_holds_it():
    credit = assets.PEN_DATA_CREDIT
    assert "UNIPEN" in credit.upper() and "CC BY 4.0" in credit and "10.5281/zenodo.1195803" in credit
    assert "Changes" in credit and credit in assets.ABOUT_TEXT
