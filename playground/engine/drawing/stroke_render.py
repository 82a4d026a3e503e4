"""Pen strokes (polylines) rendered straight into a 28x28 digit, normalised the way MNIST's digits were.

MNIST's recipe is kept: the strokes are cropped to their bounding box, scaled so that the ink's longer
side is 20 px (keeping the aspect ratio), drawn anti-aliased, and placed so that the centre of mass of
the ink sits at the centre of the 28x28 image. What differs from normalising a drawn *picture*
(`preprocess.normalize_digits`) is the pen: the stroke is drawn at the normalised scale with a width
given in 28x28 pixels, so a digit drawn small with a thick pen and one drawn large with a thin pen
reach the network alike.

The drawing canvas renders its stroke vectors with `render_drawing` (one pen width, `PEN_WIDTH`), and
the built-in digits generator renders its pen trajectories with `render_segments` (a pen width and
edge per sample): training data and canvas input come from this one renderer.

How a stroke is drawn: points are laid along each segment (weighted by length, so ink per unit length
is constant), splatted bilinearly onto a 2x supersampled grid, blurred with a Gaussian and passed
through a soft clamp. The clamp makes the blurred line a flat-topped stroke of the requested width whose
edge softness is set by `sharp` (half-width over the Gaussian's sigma); where strokes cross, the ink
does not add up beyond full. Everything runs on whole batches with tensor operations.
"""
from __future__ import annotations

import math
from typing import Sequence

import torch
import torch.nn.functional as F

OUT = 28
BOX = 20.0            # the ink's longer side, px (MNIST)
CENTRE = 14.5         # continuous coordinate of pixel index 14's centre: where the centre of mass goes
SUPER = 2             # supersamples per output pixel and axis
STEP = 0.3            # spacing of the points laid along a segment, output px
# The canvas pen, in 28x28 pixels, chosen by measurement on real MNIST (bench/pen_accuracy.py
# --measure-width): its test digits traced to skeletons and redrawn with this renderer match the
# originals best (mean absolute pixel difference) at 2.2 px; matching ink mass alone gives a median of
# about 1.9 px (interquartile range about 1.5-2.4 px), skeletons being a little shorter than the ink.
PEN_WIDTH = 2.2
SHARP = 2.6           # the canvas pen's edge: half-width over blur sigma (higher = crisper)
HALO_CUT = 0.05       # MNIST has almost no faint halo pixels
MAX_SHIFT = 3.0       # the most the centre of mass may move the 20 px box, px: ink stays inside 28x28


def _gaussian_kernels(sigma: torch.Tensor, radius: int) -> torch.Tensor:
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-x[None] ** 2 / (2 * sigma[:, None] ** 2))
    return k / k.sum(1, keepdim=True)


def render_segments(a: torch.Tensor, b: torch.Tensor, valid: torch.Tensor, width, sharp=SHARP,
                    ink: torch.Tensor | None = None) -> torch.Tensor:
    """Draw line segments a[i, s] -> b[i, s] (where valid[i, s]) as n normalised 28x28 digits.

    a, b: (n, S, 2) float, x right and y down, in any unit; valid: (n, S) bool. A segment whose ends
    coincide is a dot. width: pen width in 28x28 px, a number or (n,); sharp: edge crispness, a number or
    (n,); ink: optional (n, S) factor on the ink of each segment (pen pressure: more ink, a wider line).
    Returns (n, 28, 28) float in [0, 1]; a sample without segments stays blank.
    """
    n, s_count, _ = a.shape
    if n == 0:
        return torch.zeros(0, OUT, OUT)
    a, b = a.float(), b.float()
    width = torch.as_tensor(width, dtype=torch.float32).expand(n)
    sharp = torch.as_tensor(sharp, dtype=torch.float32).expand(n)
    valid = valid.bool()
    blank = ~valid.any(1)
    # crop and fit: the skeleton's longer side plus the pen makes BOX px, centred in the image
    ends = torch.cat([a, b], 1)
    ends_valid = torch.cat([valid, valid], 1)[..., None]
    lo = torch.where(ends_valid, ends, torch.full_like(ends, math.inf)).amin(1)
    hi = torch.where(ends_valid, ends, torch.full_like(ends, -math.inf)).amax(1)
    lo = torch.where(blank[:, None], torch.zeros_like(lo), lo)
    hi = torch.where(blank[:, None], torch.zeros_like(hi), hi)
    extent = (hi - lo).amax(1)
    scale = torch.where(extent > 1e-6, (BOX - width) / extent.clamp(min=1e-6), torch.ones_like(extent))
    centre = (lo + hi) / 2
    to_super = lambda p: ((p - centre[:, None]) * scale[:, None, None] + OUT / 2) * SUPER  # noqa: E731
    a_s, b_s = to_super(a), to_super(b)
    # lay points at equal steps along the strokes, each carrying the length it stands for
    half = width * SUPER / 2
    sigma = half / sharp
    step = STEP * SUPER
    seg = (b_s - a_s).norm(dim=2) * valid
    cum = seg.cumsum(1)
    total = cum[:, -1] if s_count else torch.zeros(n)
    count = max(1, math.ceil(float(total.max()) / step))
    u = ((torch.arange(count, dtype=torch.float32) + 0.5) * step).expand(n, count).contiguous()
    idx = torch.searchsorted(cum, u, right=True).clamp(max=max(s_count - 1, 0))
    seg_at = torch.gather(seg, 1, idx)
    t = ((u - (torch.gather(cum, 1, idx) - seg_at)) / seg_at.clamp(min=1e-6)).clamp(0, 1)[..., None]
    gather2 = lambda v: torch.gather(v, 1, idx[..., None].expand(-1, -1, 2))  # noqa: E731
    pts = gather2(a_s) + t * (gather2(b_s) - gather2(a_s))
    weight = torch.where(u < total[:, None], torch.full_like(u, step), torch.zeros_like(u))
    weight = torch.minimum(weight, (total[:, None] - u + step / 2).clamp(min=0))   # the last, partial step
    if ink is not None:
        weight = weight * torch.gather(ink, 1, idx)
    # a dot (or a very short segment) gets the extra ink that makes a round dot of the pen's width
    extra = (math.sqrt(2 * math.pi) * sigma[:, None] - seg).clamp(min=0) * valid
    if ink is not None:
        extra = extra * ink
    pts = torch.cat([pts, (a_s + b_s) / 2], 1)
    weight = torch.cat([weight, extra], 1)
    pts = pts - 0.5                             # pixel centres at whole numbers
    side = OUT * SUPER
    img = torch.zeros(n, side * side)
    x0 = pts[..., 0].floor().clamp(0, side - 2)
    y0 = pts[..., 1].floor().clamp(0, side - 2)
    fx = (pts[..., 0] - x0).clamp(0, 1)
    fy = (pts[..., 1] - y0).clamp(0, 1)
    base = (y0 * side + x0).long()
    for dy, dx, w in ((0, 0, (1 - fx) * (1 - fy)), (0, 1, fx * (1 - fy)), (1, 0, (1 - fx) * fy),
                      (1, 1, fx * fy)):
        img.scatter_add_(1, base + dy * side + dx, weight * w)
    img = img.view(1, n, side, side)
    # per-sample Gaussian blur (depthwise), then the soft clamp that turns the blurred line into a stroke
    radius = int(math.ceil(3 * float(sigma.max())))
    kern = _gaussian_kernels(sigma, radius)
    img = F.conv2d(F.pad(img, (radius, radius, 0, 0)), kern.view(n, 1, 1, -1), groups=n)
    img = F.conv2d(F.pad(img, (0, 0, radius, radius)), kern.view(n, 1, -1, 1), groups=n)
    gain = math.sqrt(2 * math.pi) * sigma * torch.exp(sharp ** 2 / 2)
    img = (img[0] * gain[:, None, None]).clamp(0, 1)                                  # (n, side, side)
    # centre of mass to the centre (a sub-pixel shift), then down to 28x28 by area averaging
    grid = (torch.arange(side, dtype=torch.float32) + 0.5) / SUPER                     # output units
    mass_total = img.sum((1, 2)).clamp(min=1e-8)
    com_y = (img.sum(2) * grid).sum(1) / mass_total
    com_x = (img.sum(1) * grid).sum(1) / mass_total
    # ...but never so far that ink leaves the frame (a 7's heavy top would push its stem's tip out)
    src_y = grid[None, :] + (com_y - CENTRE).clamp(-MAX_SHIFT, MAX_SHIFT)[:, None]
    src_x = grid[None, :] + (com_x - CENTRE).clamp(-MAX_SHIFT, MAX_SHIFT)[:, None]
    gy, gx = src_y / OUT * 2 - 1, src_x / OUT * 2 - 1
    sample_grid = torch.stack([gx[:, None, :].expand(n, side, side), gy[:, :, None].expand(n, side, side)], -1)
    img = F.grid_sample(img[:, None], sample_grid, mode="bilinear", padding_mode="zeros", align_corners=False)
    out = F.avg_pool2d(img, SUPER)[:, 0]
    top = out.flatten(1).amax(1).clamp(min=1e-8)
    out = ((out / top[:, None, None] - HALO_CUT) / (1 - HALO_CUT)).clamp(0, 1)
    out[blank] = 0
    return out


def strokes_to_segments(strokes: Sequence[Sequence[Sequence[float]]]) -> tuple[torch.Tensor, torch.Tensor,
                                                                                 torch.Tensor]:
    """One drawing's strokes (each a list of (x, y) points) -> a, b (1, S, 2) and valid (1, S).

    Consecutive points of a stroke are joined; a stroke of a single point is a dot."""
    a, b = [], []
    for stroke in strokes:
        pts = [(float(p[0]), float(p[1])) for p in stroke]
        if len(pts) == 1:
            a.append(pts[0])
            b.append(pts[0])
        for p, q in zip(pts[:-1], pts[1:]):
            a.append(p)
            b.append(q)
    if not a:
        return torch.zeros(1, 1, 2), torch.zeros(1, 1, 2), torch.zeros(1, 1, dtype=torch.bool)
    return (torch.tensor(a, dtype=torch.float32)[None], torch.tensor(b, dtype=torch.float32)[None],
            torch.ones(1, len(a), dtype=torch.bool))


def render_drawing(strokes: Sequence[Sequence[Sequence[float]]], width: float = PEN_WIDTH) -> torch.Tensor:
    """A drawing's strokes in canvas coordinates -> the uint8 28x28 digit the network reads.

    Independent of how large or where the digit was drawn, and of the canvas pen's width."""
    a, b, valid = strokes_to_segments(strokes)
    out = render_segments(a, b, valid, width)[0]
    return (out * 255 + 0.5).to(torch.uint8)


# A random pen for training images (the generated and the real pen digits alike): width, edge sharpness and
# pressure drawn per digit, over the range that people's pens and the canvas give (width in 28x28 px: the canvas
# draws at PEN_WIDTH; MNIST's strokes are ~1.5-2.4 px).
WIDTH_MIN, WIDTH_MAX, WIDTH_SKEW = 1.3, 3.0, 1.3
SHARP_MIN, SHARP_MAX = 2.0, 3.2
PRESSURE = 0.3         # ink varies along the stroke by up to this fraction


def render_random_pen(a: torch.Tensor, b: torch.Tensor, valid: torch.Tensor, along: torch.Tensor,
                      g: torch.Generator) -> torch.Tensor:
    """`render_segments` of n digits' segments, each digit with its own random pen -> (n, 28, 28) in [0, 1];
    `along` is each segment's position along its digit's path (the pressure varies with it)."""
    n = a.shape[0]
    width = WIDTH_MIN + (WIDTH_MAX - WIDTH_MIN) * torch.rand(n, generator=g) ** WIDTH_SKEW
    sharp = SHARP_MIN + (SHARP_MAX - SHARP_MIN) * torch.rand(n, generator=g)
    phase = torch.rand(n, 1, generator=g) * 2 * math.pi
    cycles = 0.5 + 1.5 * torch.rand(n, 1, generator=g)
    ink = 1 + PRESSURE * torch.sin(phase + 2 * math.pi * cycles * along)
    return render_segments(a, b, valid, width, sharp, ink)
