"""MNIST-style normalisation of digit images, shared by the drawing canvas and the built-in digits.

MNIST's recipe: crop to the ink, scale so the longer side is 20 px keeping the aspect ratio (anti-aliased),
then place in 28x28 so that the centre of mass sits at the centre. Measured on the real test set, the
centre of mass is at pixel index 14.0 (+-0.3) in both axes and the ink's longer side is 20 px.
Doing exactly this for drawn digits is what makes a small, large or off-centre drawing readable.
"""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F

OUT_SIZE = 28
BOX = 20.0
CENTRE = 14.5          # continuous coordinate of pixel index 14's centre
INK_THRESHOLD = 0.05   # fraction of the image's brightest value that counts as ink


def _ink_boxes(img: torch.Tensor, threshold: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Per image the ink's (top, left) and (height, width) in continuous pixel units."""
    ink = img > threshold[:, None, None]
    rows, cols = ink.any(2), ink.any(1)
    h, w = img.shape[1:]
    top = rows.float().argmax(1)
    bottom = h - rows.flip(1).float().argmax(1)
    left = cols.float().argmax(1)
    right = w - cols.flip(1).float().argmax(1)
    start = torch.stack([top, left], 1).float()
    size = torch.stack([bottom - top, right - left], 1).float().clamp(min=1.0)
    return start, size


def normalize_digits(images: torch.Tensor) -> torch.Tensor:
    """(B, H, W) grayscale, ink bright on black, any range -> (B, 28, 28) float in [0, 1].

    Blank images stay blank. Works on whole batches at once (one grid_sample), so the built-in digits
    generator can normalise tens of thousands of renders in a few seconds.
    """
    if images.dim() == 2:
        return normalize_digits(images[None])[0]
    img = images.float()
    b, h, w = img.shape
    peak = img.flatten(1).amax(1)
    blank = peak <= 0
    peak = torch.where(blank, torch.ones_like(peak), peak)
    img = img / peak[:, None, None]
    _, size = _ink_boxes(img, torch.full((b,), INK_THRESHOLD))
    scale = BOX / size.amax(1)                       # output px per input px
    # input px per output px decides how much to pre-shrink and how many samples per output pixel
    ratio = float((1.0 / scale).max())
    factor = max(1, int(ratio // 4))
    if factor > 1:
        pad_h, pad_w = (-h) % factor, (-w) % factor
        img = F.avg_pool2d(F.pad(img[:, None], (0, pad_w, 0, pad_h)), factor)[:, 0]
        scale = scale * factor
        h, w = img.shape[1:]
    grid_y = torch.arange(h, dtype=torch.float32) + 0.5
    grid_x = torch.arange(w, dtype=torch.float32) + 0.5
    mass = img.sum((1, 2)).clamp(min=1e-8)
    com_y = (img.sum(2) * grid_y).sum(1) / mass
    com_x = (img.sum(1) * grid_x).sum(1) / mass
    k = min(8, max(1, math.ceil(ratio / factor)))     # supersamples per output pixel and axis
    n = OUT_SIZE * k
    sub = (torch.arange(n, dtype=torch.float32) + 0.5) / k   # output continuous coordinates
    # output coordinate u maps to input (u - CENTRE) / scale + com
    ys = (sub[None, :] - CENTRE) / scale[:, None] + com_y[:, None]
    xs = (sub[None, :] - CENTRE) / scale[:, None] + com_x[:, None]
    gy = (ys / h) * 2 - 1
    gx = (xs / w) * 2 - 1
    grid = torch.stack([gx[:, None, :].expand(b, n, n), gy[:, :, None].expand(b, n, n)], -1)
    out = F.grid_sample(img[:, None], grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    if k > 1:
        out = F.avg_pool2d(out, k)
    out = out[:, 0]
    top = out.flatten(1).amax(1).clamp(min=1e-8)
    out = (out / top[:, None, None]).clamp(0, 1)
    out[blank] = 0
    return out


def to_uint8(images: torch.Tensor) -> torch.Tensor:
    return (images.clamp(0, 1) * 255 + 0.5).to(torch.uint8)


def preprocess_drawing(image) -> torch.Tensor:
    """A drawn or loaded image (H x W, ink bright on dark, numpy or tensor) -> uint8 28 x 28 as MNIST."""
    tensor = torch.as_tensor(image).float()
    if tensor.dim() == 3:  # colour: average the channels
        tensor = tensor[..., :3].mean(-1)
    return to_uint8(normalize_digits(tensor))
