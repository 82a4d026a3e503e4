"""Loading a picture of a digit: dark ink on paper becomes bright ink on dark, like MNIST."""
import numpy as np
import pytest
from PIL import Image

from playground.engine.drawing.drawings import ink_on_dark, load_drawing
from playground.engine.errors import PlaygroundError


def test_light_paper_is_inverted_and_dark_paper_kept():
    paper = np.full((10, 10), 250, np.uint8)
    paper[4:6, 2:8] = 10
    out = ink_on_dark(paper)
    assert out[5, 5] == 245 and out[0, 0] == 5
    dark = 255 - paper
    assert np.array_equal(ink_on_dark(dark), dark.astype(np.float32))


def test_load_reads_png_and_transparent_background(tmp_path):
    rgba = np.zeros((20, 20, 4), np.uint8)
    rgba[8:12, 4:16] = (0, 0, 0, 255)        # black strokes on a transparent page
    Image.fromarray(rgba, "RGBA").save(tmp_path / "d.png")
    out = load_drawing(tmp_path / "d.png")
    assert out.shape == (20, 20) and out[10, 10] == 255 and out[0, 0] == 0


def test_unreadable_and_blank_images_are_clear_errors(tmp_path):
    (tmp_path / "x.png").write_bytes(b"not an image")
    with pytest.raises(PlaygroundError, match="Could not read"):
        load_drawing(tmp_path / "x.png")
    with pytest.raises(PlaygroundError, match="Could not read"):
        load_drawing(tmp_path / "missing.png")
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "blank.png")
    with pytest.raises(PlaygroundError, match="blank"):
        load_drawing(tmp_path / "blank.png")
