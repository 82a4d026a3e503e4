"""First-layer weights as images: each hidden unit's 784 incoming weights laid out as a 28x28 tile."""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

from playground.engine.model import linear_layers

MAX_TILES = 256
GAP = 2   # pixels between tiles


def first_layer_units(model: nn.Module) -> int:
    layers = linear_layers(model)
    return layers[0][1].out_features if layers else 0


def first_layer_weights(model: nn.Module, max_units: int | None = None) -> np.ndarray:
    """A CPU copy of the first Linear layer's weight rows (units, inputs), the first `max_units` of them."""
    layers = linear_layers(model)
    if not layers:
        return np.zeros((0, 0), dtype=np.float32)
    with torch.no_grad():
        return layers[0][1].weight[:max_units].detach().float().cpu().numpy().copy()


def weight_mosaic(weights: np.ndarray, image_shape: tuple[int, int],
                  max_tiles: int = MAX_TILES) -> tuple[np.ndarray, int]:
    """Tiles of the first `max_tiles` units in a near-square grid, with NaN in the gaps.

    Each tile is scaled by three of its own standard deviations and clipped to [-1, 1]: every unit's pattern
    shows whatever its overall size, and a few extreme weights do not wash out the rest.

    Returns the mosaic (rows, cols) in row-major image order and the number of tiles shown.
    """
    h, w = image_shape
    units = min(len(weights), max_tiles)
    if units == 0 or weights.shape[1] != h * w:
        return np.full((h, w), np.nan, dtype=np.float32), 0
    tiles = weights[:units].reshape(units, h, w).astype(np.float32)
    scale = 3 * tiles.reshape(units, -1).std(1)
    tiles = np.clip(tiles / np.where(scale > 0, scale, 1.0)[:, None, None], -1.0, 1.0)
    return mosaic(tiles, GAP), units


def mosaic(tiles: np.ndarray, gap: int = 1) -> np.ndarray:
    """(n, h, w) -> one row-major image of near-square tiles, NaN between them (row 0 at the top)."""
    n, h, w = tiles.shape
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan, dtype=np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = tiles[i]
    return out


def tile_at(row: int, col: int, units: int, image_shape: tuple[int, int]) -> int | None:
    """The unit whose tile covers mosaic pixel (row, col), or None for a gap or outside."""
    h, w = image_shape
    if units <= 0 or row < 0 or col < 0:
        return None
    cols = math.ceil(math.sqrt(units))
    r, rr = divmod(row, h + GAP)
    c, cc = divmod(col, w + GAP)
    if rr >= h or cc >= w or c >= cols:
        return None
    unit = r * cols + c
    return unit if unit < units else None
