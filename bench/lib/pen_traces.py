"""Pen trajectories for the pen-input benchmark, from two sources that are not the built-in generator.

1. Real MNIST digits traced back into strokes: thinned to a one-pixel skeleton (Zhang-Suen), the
   skeleton split into paths between its ends and junctions (short spurs dropped), and each path
   simplified (Ramer-Douglas-Peucker) into a sparse polyline with corners, as a tablet sampling every
   ~100 ms records it.
2. Digits written by hand as point lists (`pen_digits.json`, authored for this benchmark: many styles
   per digit, the way a person draws them with a mouse or pen, sparse points).

Both give strokes as lists of (x, y) points, x right and y down, in a 28-unit (traced) or 100-unit
(hand-written) box. `place` maps them to a random size and position on the 280x280 canvas.
Pure numpy; no Qt and no scikit-image needed.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent


# --- thinning -------------------------------------------------------------------------------------
def thin(images: np.ndarray) -> np.ndarray:
    """Zhang-Suen thinning of a batch of binary images (N, H, W) -> one-pixel-wide skeletons."""
    img = np.pad(images.astype(bool), ((0, 0), (1, 1), (1, 1)))
    while True:
        changed = False
        for step in (0, 1):
            p = img.astype(np.uint8)
            c = p[:, 1:-1, 1:-1]
            n2, n3, n4 = p[:, :-2, 1:-1], p[:, :-2, 2:], p[:, 1:-1, 2:]
            n5, n6, n7 = p[:, 2:, 2:], p[:, 2:, 1:-1], p[:, 2:, :-2]
            n8, n9 = p[:, 1:-1, :-2], p[:, :-2, :-2]
            seq = [n2, n3, n4, n5, n6, n7, n8, n9, n2]
            b = n2 + n3 + n4 + n5 + n6 + n7 + n8 + n9
            a = sum(((seq[i] == 0) & (seq[i + 1] == 1)).astype(np.uint8) for i in range(8))
            if step == 0:
                cond = (n2 * n4 * n6 == 0) & (n4 * n6 * n8 == 0)
            else:
                cond = (n2 * n4 * n8 == 0) & (n2 * n6 * n8 == 0)
            remove = (c == 1) & (b >= 2) & (b <= 6) & (a == 1) & cond
            if remove.any():
                img[:, 1:-1, 1:-1] &= ~remove
                changed = True
        if not changed:
            return img[:, 1:-1, 1:-1]


# --- skeleton -> paths ----------------------------------------------------------------------------
_FOUR = ((-1, 0), (1, 0), (0, -1), (0, 1))
_DIAG = ((-1, -1), (-1, 1), (1, -1), (1, 1))


def _neighbours(skel: np.ndarray, r: int, c: int) -> list[tuple[int, int]]:
    """m-adjacency: 4-neighbours, and diagonal ones not already reachable through a 4-neighbour."""
    h, w = skel.shape
    out = []
    for dr, dc in _FOUR:
        rr, cc = r + dr, c + dc
        if 0 <= rr < h and 0 <= cc < w and skel[rr, cc]:
            out.append((rr, cc))
    for dr, dc in _DIAG:
        rr, cc = r + dr, c + dc
        if 0 <= rr < h and 0 <= cc < w and skel[rr, cc] and not skel[r + dr, c] and not skel[r, c + dc]:
            out.append((rr, cc))
    return out


def skeleton_paths(skel: np.ndarray, spur: int = 3) -> list[list[tuple[int, int]]]:
    """Split a skeleton into pixel paths running between ends and junctions (closed loops whole)."""
    pixels = list(zip(*np.nonzero(skel)))
    adj = {p: _neighbours(skel, *p) for p in pixels}
    used: set[frozenset] = set()
    paths = []

    def walk(start, nxt):
        path = [start, nxt]
        used.add(frozenset((start, nxt)))
        while len(adj[path[-1]]) == 2:
            cand = [q for q in adj[path[-1]] if frozenset((path[-1], q)) not in used]
            if not cand:
                break
            used.add(frozenset((path[-1], cand[0])))
            path.append(cand[0])
        return path

    for p in pixels:
        if len(adj[p]) != 2:
            for q in adj[p]:
                if frozenset((p, q)) not in used:
                    paths.append(walk(p, q))
    for p in pixels:                          # loops: every pixel has two neighbours
        for q in adj[p]:
            if frozenset((p, q)) not in used:
                paths.append(walk(p, q))
    for p in pixels:                          # isolated pixels are dots
        if not adj[p]:
            paths.append([p])
    # drop short spurs: a path from a free end to a junction, a few pixels long
    def is_spur(path):
        ends = [len(adj[path[0]]), len(adj[path[-1]])]
        return len(path) <= spur and 1 in ends and any(e >= 3 for e in ends)
    kept = [path for path in paths if not is_spur(path)]
    return kept or paths


def simplify(points: np.ndarray, eps: float) -> np.ndarray:
    """Ramer-Douglas-Peucker: the fewest points that stay within eps of the polyline."""
    if len(points) <= 2:
        return points
    a, b = points[0], points[-1]
    ab = b - a
    norm = np.hypot(*ab)
    rel = points - a
    if norm < 1e-9:
        dist = np.hypot(rel[:, 0], rel[:, 1])
    else:
        dist = np.abs(ab[0] * rel[:, 1] - ab[1] * rel[:, 0]) / norm
    i = int(dist.argmax())
    if dist[i] <= eps:
        return np.stack([a, b])
    left = simplify(points[:i + 1], eps)
    return np.concatenate([left[:-1], simplify(points[i:], eps)])


def trace(images: np.ndarray, threshold: int = 100, eps: float = 0.6) -> list[list[np.ndarray]]:
    """uint8 digits (N, 28, 28) -> per digit a list of strokes ((k, 2) float arrays of x, y)."""
    skeletons = thin(images >= threshold)
    out = []
    for skel in skeletons:
        strokes = []
        for path in skeleton_paths(skel):
            pts = np.array([(c + 0.5, r + 0.5) for r, c in path], dtype=float)
            strokes.append(simplify(pts, eps))
        out.append(strokes)
    return out


def skeleton_length(strokes: list[np.ndarray]) -> float:
    return float(sum(np.hypot(*np.diff(s, axis=0).T).sum() for s in strokes if len(s) > 1))


# --- hand-written trajectories --------------------------------------------------------------------
def hand_written(path: Path = HERE / "pen_digits.json") -> tuple[list[list[np.ndarray]], np.ndarray, list[str]]:
    """The authored digits: strokes (100-unit box), labels and each one's style name."""
    data = json.loads(path.read_text())
    strokes, labels, names = [], [], []
    for digit, styles in data["digits"].items():
        for name, drawing in styles.items():
            strokes.append([np.array(s, dtype=float) for s in drawing])
            labels.append(int(digit))
            names.append(f"{digit}:{name}")
    return strokes, np.array(labels), names


def jitter(strokes: list[np.ndarray], rng: np.random.Generator, amount: float = 0.015,
           slant: float = 0.12, aspect: float = 0.08) -> list[np.ndarray]:
    """A mildly varied copy of a drawing (slant, aspect, per-point jitter), as the same writer repeats it."""
    allp = np.concatenate(strokes)
    lo, hi = allp.min(0), allp.max(0)
    size = float((hi - lo).max()) or 1.0
    centre = (lo + hi) / 2
    sh = rng.normal(0, slant)
    asp = np.exp(rng.normal(0, aspect))
    out = []
    for s in strokes:
        p = (s - centre) / size
        p = np.stack([p[:, 0] * asp - sh * p[:, 1], p[:, 1]], 1)
        p = p + rng.normal(0, amount, p.shape)
        out.append(p * size + centre)
    return out


def place(strokes: list[np.ndarray], rng: np.random.Generator, canvas: int = 280,
          size: tuple[float, float] = (0.45, 0.8)) -> list[np.ndarray]:
    """Scale a drawing so its longer side is a random fraction of the canvas, at a random position."""
    allp = np.concatenate(strokes)
    lo, hi = allp.min(0), allp.max(0)
    extent = float((hi - lo).max()) or 1.0
    target = rng.uniform(*size) * canvas
    scale = target / extent
    span = (hi - lo) * scale
    origin = np.array([rng.uniform(2, canvas - 3 - span[0]), rng.uniform(2, canvas - 3 - span[1])])
    return [(s - lo) * scale + origin for s in strokes]
