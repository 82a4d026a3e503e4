"""Reading a picture of a digit from disk into the canvas's convention: bright ink on a dark background."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.engine.errors import PlaygroundError


def ink_on_dark(gray: np.ndarray) -> np.ndarray:
    """A (H, W) grey image as float32 0-255 with bright ink, like MNIST: dark ink on light paper is inverted.

    A mostly light picture (mean above mid-grey) is taken to be paper, since ink covers little of a page.
    """
    image = np.asarray(gray, dtype=np.float32)
    if image.ndim != 2:
        raise PlaygroundError(f"expected a grey image of shape (H, W), got {image.shape}")
    return 255.0 - image if image.mean() > 127 else image


def load_drawing(path: str | Path) -> np.ndarray:
    """The picture at `path` as (H, W) float32 bright ink on dark; PlaygroundError when unreadable or blank."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    try:
        with Image.open(path) as picture:
            picture = picture.convert("RGBA")
            # transparent pixels are paper: flatten onto white before going grey
            paper = Image.new("RGBA", picture.size, (255, 255, 255, 255))
            gray = np.asarray(Image.alpha_composite(paper, picture).convert("L"))
    except (OSError, UnidentifiedImageError, ValueError):
        raise PlaygroundError(f"Could not read {path} as an image (PNG or JPG).") from None
    image = ink_on_dark(gray)
    if image.max() <= 0:
        raise PlaygroundError("The image is blank.")
    return image
