"""Real people's pen digits (UNIPEN), shipped with the package, drawn by the canvas's renderer.

`resources/pen_digits.npz` holds 15,279 isolated digits that 505 writers' files from 12 research sites
wrote on tablets (UNIPEN train_r01_v07 section 1a, CC BY 4.0; see `assets.PEN_DATA_CREDIT` and
bench/make_pen_set.py, which made the file): int16 trajectories, one point every 20 ms, about 1 MB.

`render` draws any of them with stroke-level augmentation, the way different people and pens would give
the same digit: an affine change (rotation, slant, width), a small jitter of every point, a pen speed
(the tablet or mouse records a point every 20-100 ms: sparser polylines with corners), and the pen
width, edge and pressure of the built-in digits, through `stroke_render.render_segments`, the function
that draws the Draw tab's strokes. Everything runs on whole batches.

MLP_PLAYGROUND_PEN_LEAVE_OUT=site,site leaves sites out of the set entirely (bench/pen_accuracy.py measures
the built-in model on sites it never trained on this way).
"""
from __future__ import annotations

import functools
import io
import os
from dataclasses import dataclass

import numpy as np
import torch

from playground.engine import assets
from playground.engine.errors import PlaygroundError

RESOURCE = "pen_digits.npz"
LEAVE_OUT_ENV = "MLP_PLAYGROUND_PEN_LEAVE_OUT"
TEST_WRITER_EVERY = 10     # every 10th writer's file is the test split's: its digits never train
ROTATE_DEG = 8.0
SLANT_SIGMA = 0.15
ASPECT_SIGMA = 0.12        # log aspect ratio
JITTER_MAX = 0.012         # per-point jitter sigma, unit box, up to
SKIP_CHOICES = (1, 1, 2, 3, 5)   # keep every k-th point: a point every 20, 40, 60 or 100 ms


@dataclass(frozen=True)
class PenSet:
    """Digits as padded trajectories: points (N, P, 2) in the unit box (longer side 1, y down)."""
    points: torch.Tensor      # (N, P, 2) float32
    valid: torch.Tensor       # (N, P) bool
    stroke: torch.Tensor      # (N, P) int64, the stroke each point belongs to (-1: padding)
    position: torch.Tensor    # (N, P) int64, the point's index within its stroke
    last: torch.Tensor        # (N, P) bool, the last point of its stroke
    labels: torch.Tensor      # (N,) int64
    writer: np.ndarray        # (N,) writer (file) names, "site/file"

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def sites(self) -> np.ndarray:
        return np.array([w.split("/")[0] for w in self.writer])

    def subset(self, index) -> "PenSet":
        index = torch.as_tensor(index, dtype=torch.long)
        return PenSet(self.points[index], self.valid[index], self.stroke[index], self.position[index],
                      self.last[index], self.labels[index], self.writer[index.numpy()])


def leave_out_sites() -> frozenset[str]:
    return frozenset(s.strip() for s in os.environ.get(LEAVE_OUT_ENV, "").split(",") if s.strip())


def unpack(arrays) -> PenSet:
    """The padded set from the stored arrays (see bench/make_pen_set.py for the layout)."""
    points = np.asarray(arrays["points"], dtype=np.float32)
    stroke_ends = np.asarray(arrays["stroke_ends"], dtype=np.int64)
    digit_ends = np.asarray(arrays["digit_ends"], dtype=np.int64)
    labels = np.asarray(arrays["labels"], dtype=np.int64)
    writers = np.asarray(arrays["writers"]).astype(str)
    writer = writers[np.asarray(arrays["writer"], dtype=np.int64)]
    if len(labels) != len(digit_ends) or len(writer) != len(labels) or (
            len(stroke_ends) and stroke_ends[-1] != len(points)) or (
            len(digit_ends) and digit_ends[-1] != len(stroke_ends)) or (labels > 9).any():
        raise PlaygroundError("the pen digit set is damaged (its arrays do not fit together)")
    stroke_starts = np.concatenate([[0], stroke_ends[:-1]])
    digit_starts = np.concatenate([[0], digit_ends[:-1]])
    first_point = stroke_starts[digit_starts]                     # of each digit
    n_points = stroke_ends[digit_ends - 1] - first_point
    n, p = len(labels), int(n_points.max()) if len(labels) else 1
    # every point's digit, stroke within the digit and position within the stroke
    stroke_len = stroke_ends - stroke_starts
    stroke_of_point = np.repeat(np.arange(len(stroke_ends)), stroke_len)
    digit_of_stroke = np.repeat(np.arange(n), digit_ends - digit_starts)
    digit_of_point = digit_of_stroke[stroke_of_point]
    slot = np.arange(len(points)) - first_point[digit_of_point]
    padded = np.zeros((n, p, 2), np.float32)
    padded[digit_of_point, slot] = points
    stroke = np.full((n, p), -1, np.int64)
    stroke[digit_of_point, slot] = stroke_of_point - digit_starts[digit_of_stroke][stroke_of_point]
    position = np.zeros((n, p), np.int64)
    position[digit_of_point, slot] = np.arange(len(points)) - stroke_starts[stroke_of_point]
    last = np.zeros((n, p), bool)
    last[digit_of_point, slot] = np.arange(len(points)) == stroke_ends[stroke_of_point] - 1
    valid = stroke >= 0
    # to the unit box: longer side 1 (the file keeps each digit's aspect ratio)
    big = np.where(valid[..., None], padded, -np.inf).max(1)
    small = np.where(valid[..., None], padded, np.inf).min(1)
    extent = np.maximum((big - small).max(1), 1e-6)
    padded = np.where(valid[..., None], (padded - small[:, None]) / extent[:, None, None], 0).astype(np.float32)
    return PenSet(torch.from_numpy(padded), torch.from_numpy(valid), torch.from_numpy(stroke),
                  torch.from_numpy(position), torch.from_numpy(last), torch.from_numpy(labels), writer)


def load_pen_set(leave_out: frozenset[str] | None = None) -> PenSet:
    """The shipped set, less the sites in `leave_out` (default: those named by MLP_PLAYGROUND_PEN_LEAVE_OUT).
    Read once per process (about 1 s; the launch warm-up reads it while the window opens)."""
    return _load(leave_out_sites() if leave_out is None else frozenset(leave_out))


@functools.lru_cache(maxsize=2)
def _load(leave_out: frozenset[str]) -> PenSet:
    try:
        with np.load(io.BytesIO(assets.read_bytes(RESOURCE)), allow_pickle=False) as arrays:
            pen = unpack(arrays)
    except (OSError, ValueError, KeyError) as exc:
        raise PlaygroundError(f"the shipped pen digit set cannot be read ({exc}); reinstall the package") from None
    if leave_out:
        pen = pen.subset(np.flatnonzero(~np.isin(pen.sites, sorted(leave_out))))
    return pen


def split(pen: PenSet) -> tuple[PenSet, PenSet]:
    """Training and test digits, by writer: every TEST_WRITER_EVERY-th writer's file is for testing."""
    names = sorted(set(pen.writer.tolist()))
    test_writers = set(names[TEST_WRITER_EVERY - 1::TEST_WRITER_EVERY])
    is_test = np.array([w in test_writers for w in pen.writer], dtype=bool)
    return pen.subset(np.flatnonzero(~is_test)), pen.subset(np.flatnonzero(is_test))


def _bounded(shape, g: torch.Generator, limit: float = 2.0) -> torch.Tensor:
    return torch.randn(*shape, generator=g).clamp(-limit, limit)


def _segments(pen: PenSet, g: torch.Generator):
    """Augmented segments a, b (n, S, 2), valid (n, S) and each segment's place along the digit (n, S)."""
    n, p, _ = pen.points.shape
    pts = pen.points - 0.5
    pts = pts + _bounded((n, p, 2), g) * (JITTER_MAX * torch.rand(n, 1, 1, generator=g))
    aspect = torch.exp(ASPECT_SIGMA * _bounded((n,), g))
    slant = SLANT_SIGMA * _bounded((n,), g)
    angle = torch.deg2rad(ROTATE_DEG * _bounded((n,), g))
    x, y = pts[..., 0] * aspect[:, None], pts[..., 1]
    x = x - slant[:, None] * y
    c, s = torch.cos(angle)[:, None], torch.sin(angle)[:, None]
    pts = torch.stack([c * x - s * y, s * x + c * y], -1)
    # pen speed: keep every k-th point of each stroke (and its ends)
    skip = torch.tensor(SKIP_CHOICES)[torch.randint(len(SKIP_CHOICES), (n, 1), generator=g)]
    keep = pen.valid & ((pen.position % skip == 0) | pen.last)
    order = torch.sort((~keep).float(), dim=1, stable=True).indices
    count = max(int(keep.sum(1).max()), 1)
    order = order[:, :count]
    kept = torch.gather(pts, 1, order[..., None].expand(-1, -1, 2))
    kept_valid = torch.gather(keep, 1, order)
    sid = torch.gather(pen.stroke, 1, order)
    a, b = kept[:, :-1], kept[:, 1:]
    valid = kept_valid[:, :-1] & kept_valid[:, 1:] & (sid[:, :-1] == sid[:, 1:])
    # a stroke of one point is a dot, as on the canvas
    alone = kept_valid.clone()
    alone[:, 1:] &= sid[:, 1:] != sid[:, :-1]
    alone[:, :-1] &= sid[:, :-1] != sid[:, 1:]
    along = torch.linspace(0, 1, count)[None].expand(n, -1)
    return (torch.cat([a, kept], 1), torch.cat([b, kept], 1), torch.cat([valid, alone], 1),
            torch.cat([along[:, :-1], along], 1))


def render(pen: PenSet, g: torch.Generator) -> torch.Tensor:
    """One augmented rendering of every digit of `pen` -> (N, 28, 28) float in [0, 1]."""
    from playground.engine.drawing.stroke_render import render_random_pen

    a, b, valid, along = _segments(pen, g)
    return render_random_pen(a, b, valid, along, g)


def trimmed(pen: PenSet) -> PenSet:
    """The same digits with the padding that none of them uses cut off (cheaper to render)."""
    p = max(int(pen.valid.sum(1).max()) if len(pen) else 1, 1)
    return PenSet(pen.points[:, :p], pen.valid[:, :p], pen.stroke[:, :p], pen.position[:, :p], pen.last[:, :p],
                  pen.labels, pen.writer)
