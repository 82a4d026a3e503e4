"""Built-in handwritten digits: pen strokes rendered in batches and normalised exactly like MNIST.

Every digit is an allograph from `digit_strokes`, bent by a smooth random displacement field (so shared
points of two strokes stay joined), slanted, rotated, stretched, drawn with a random pen width and
pressure, rendered anti-aliased, and finally passed through `preprocess.normalize_digits`, the same
function the drawing canvas uses. The whole set is made with tensor operations over thousands of
digits at a time and cached in the user data folder.
"""
from __future__ import annotations

import hashlib
import io
import math
from pathlib import Path

import torch
import torch.nn.functional as F

from ..files import atomic_write_bytes, user_data_dir
from ..preprocess import normalize_digits, to_uint8
from .base import Dataset
from .digit_strokes import DIGITS, Stroke

GENERATOR_VERSION = 1
DATASET_SEED = 0
N_TRAIN = 60_000
N_TEST = 10_000
RENDER = 48            # render canvas side, px
FIT = 32.0             # the stroke skeleton's longer side in the render, px
CHUNK = 4096
SHAPE_AMP = 0.1
WOBBLE_AMP = 0.015
WAIST = 0.12
WIDTH_MIN, WIDTH_MAX, WIDTH_SKEW = 1.2, 3.6, 1.8
SHARP_MIN, SHARP_MAX = 2.2, 3.2   # stroke half-width over edge blur: higher = crisper edges
HALO_CUT = 0.05                  # MNIST has almost no faint halo pixels
SPACING = 0.5          # template units per render px are FIT; points every ~SPACING px


def _catmull_rom_basis(n_ctrl: int, counts: list[int]) -> torch.Tensor:
    """Rows of weights over the control points for points along a uniform Catmull-Rom curve."""
    rows = []
    for seg, count in enumerate(counts):
        last = seg == len(counts) - 1
        for j in range(count + (1 if last else 0)):
            t = j / count
            w = [0.5 * (-t**3 + 2 * t**2 - t), 0.5 * (3 * t**3 - 5 * t**2 + 2),
                 0.5 * (-3 * t**3 + 4 * t**2 + t), 0.5 * (t**3 - t**2)]
            row = torch.zeros(n_ctrl)
            for k, weight in zip((seg - 1, seg, seg + 1, seg + 2), w):
                row[min(max(k, 0), n_ctrl - 1)] += weight
            rows.append(row)
    return torch.stack(rows)


def _polyline_basis(n_ctrl: int, counts: list[int]) -> torch.Tensor:
    rows = []
    for seg, count in enumerate(counts):
        last = seg == len(counts) - 1
        for j in range(count + (1 if last else 0)):
            t = j / count
            row = torch.zeros(n_ctrl)
            row[seg] += 1 - t
            row[min(seg + 1, n_ctrl - 1)] += t
            rows.append(row)
    return torch.stack(rows)


class _Allograph:
    """One way of writing one digit, precomputed as a linear map from control points to dense points."""

    def __init__(self, strokes: list[Stroke]) -> None:
        ctrl, bases, stroke_ids = [], [], []
        offset = 0
        total_ctrl = sum(len(p) for _, p in strokes)
        for sid, (kind, pts) in enumerate(strokes):
            p = torch.tensor(pts, dtype=torch.float32)
            seg_len = (p[1:] - p[:-1]).norm(dim=1)
            counts = [max(2, math.ceil(float(l) * FIT * 1.4 / SPACING)) for l in seg_len]
            local = (_catmull_rom_basis if kind == "c" else _polyline_basis)(len(pts), counts)
            basis = torch.zeros(local.shape[0], total_ctrl)
            basis[:, offset:offset + len(pts)] = local
            bases.append(basis)
            stroke_ids.append(torch.full((local.shape[0],), sid))
            ctrl.append(p)
            offset += len(pts)
        self.ctrl = torch.cat(ctrl)
        self.basis = torch.cat(bases)
        self.stroke_id = torch.cat(stroke_ids)
        # segments joining consecutive dense points of the same stroke
        self.same_stroke = (self.stroke_id[1:] == self.stroke_id[:-1]).float()


ALLOGRAPHS: dict[int, list[_Allograph]] = {d: [_Allograph(a) for a in forms] for d, forms in DIGITS.items()}


def _smooth_field(points: torch.Tensor, g: torch.Generator, amplitude: float, freq: tuple[float, float],
                  waves: int = 4) -> torch.Tensor:
    """A random smooth displacement of (n, M, 2) points: a sum of plane waves per sample."""
    n = points.shape[0]
    direction = torch.rand(n, waves, generator=g) * 2 * math.pi
    k = freq[0] + (freq[1] - freq[0]) * torch.rand(n, waves, generator=g)
    wave_vec = torch.stack([torch.cos(direction), torch.sin(direction)], -1) * (2 * math.pi * k[..., None])
    phase = torch.rand(n, waves, generator=g) * 2 * math.pi
    amp = torch.randn(n, waves, 2, generator=g) * amplitude / math.sqrt(waves)
    arg = torch.einsum("nmd,nwd->nmw", points, wave_vec) + phase[:, None, :]
    return torch.einsum("nmw,nwd->nmd", torch.sin(arg), amp)


def _gaussian_kernels(sigma: torch.Tensor, radius: int) -> torch.Tensor:
    x = torch.arange(-radius, radius + 1, dtype=torch.float32)
    k = torch.exp(-x[None] ** 2 / (2 * sigma[:, None] ** 2))
    return k / k.sum(1, keepdim=True)


def _render(form: _Allograph, n: int, g: torch.Generator) -> torch.Tensor:
    """n random renderings of one allograph -> (n, RENDER, RENDER) float in [0, 1]."""
    ctrl = form.ctrl.expand(n, -1, -1) + 0.012 * torch.randn(n, *form.ctrl.shape, generator=g)
    pts = torch.einsum("mk,nkd->nmd", form.basis, ctrl)
    template = pts.clone()
    pts = pts + _smooth_field(template, g, SHAPE_AMP, (0.3, 0.9))     # overall shape
    pts = pts + _smooth_field(template, g, WOBBLE_AMP, (1.0, 2.2))    # wobble
    # proportions: move the waist up or down and bulge or pinch the sides (y' = y + a y (1 - y))
    waist = WAIST * torch.randn(n, 1, generator=g)
    bulge = WAIST * torch.randn(n, 1, generator=g)
    px, py = pts[..., 0], pts[..., 1]
    pts = torch.stack([px + bulge * (px - 0.5) * py * (1 - py) * 4, py + waist * py * (1 - py) * 4], -1)
    # affine about the centre: aspect, slant (shear), rotation
    pts = pts - 0.5
    aspect = torch.exp(0.16 * torch.randn(n, generator=g))
    slant = 0.18 + 0.32 * torch.randn(n, generator=g)
    angle = torch.deg2rad(9 * torch.randn(n, generator=g)).clamp(-0.45, 0.45)
    x, y = pts[..., 0] * aspect[:, None], pts[..., 1]
    x = x - slant[:, None] * y
    c, s = torch.cos(angle)[:, None], torch.sin(angle)[:, None]
    pts = torch.stack([c * x - s * y, s * x + c * y], -1)
    # fit the skeleton in the render canvas
    lo, hi = pts.amin(1), pts.amax(1)
    scale = FIT / (hi - lo).amax(1).clamp(min=1e-3)
    pts = (pts - (lo + hi)[:, None] / 2) * scale[:, None, None] + RENDER / 2
    # pen: width (in final 28x28 px), pressure along the stroke, edge softness
    width = WIDTH_MIN + (WIDTH_MAX - WIDTH_MIN) * torch.rand(n, generator=g) ** WIDTH_SKEW
    half = width * FIT / (40 - 2 * width)                       # half-width in render px
    sharp = SHARP_MIN + (SHARP_MAX - SHARP_MIN) * torch.rand(n, generator=g)              # half-width in units of sigma
    sigma = half / sharp
    seg = (pts[:, 1:] - pts[:, :-1]).norm(dim=2) * form.same_stroke
    weight = torch.zeros(n, pts.shape[1])
    weight[:, 1:] += seg / 2
    weight[:, :-1] += seg / 2
    m = pts.shape[1]
    phase = torch.rand(n, 1, generator=g) * 2 * math.pi
    cycles = 0.5 + 1.5 * torch.rand(n, 1, generator=g)
    pressure = 1 + 0.25 * torch.sin(phase + 2 * math.pi * cycles * torch.arange(m) / m)
    weight = weight * pressure
    # bilinear splat of the points
    img = torch.zeros(n, RENDER * RENDER)
    x0 = pts[..., 0].floor().clamp(0, RENDER - 2)
    y0 = pts[..., 1].floor().clamp(0, RENDER - 2)
    fx = (pts[..., 0] - x0).clamp(0, 1)
    fy = (pts[..., 1] - y0).clamp(0, 1)
    base = (y0 * RENDER + x0).long()
    for dy, dx, w in ((0, 0, (1 - fx) * (1 - fy)), (0, 1, fx * (1 - fy)), (1, 0, (1 - fx) * fy), (1, 1, fx * fy)):
        img.scatter_add_(1, base + dy * RENDER + dx, weight * w)
    img = img.view(1, n, RENDER, RENDER)
    # per-sample Gaussian blur (depthwise conv), then a soft clamp turns the blurred line into a stroke
    radius = int(math.ceil(3 * float(sigma.max())))
    k = _gaussian_kernels(sigma, radius)
    img = F.conv2d(F.pad(img, (radius, radius, 0, 0)), k.view(n, 1, 1, -1), groups=n)
    img = F.conv2d(F.pad(img, (0, 0, radius, radius)), k.view(n, 1, -1, 1), groups=n)
    gain = math.sqrt(2 * math.pi) * sigma * torch.exp(sharp**2 / 2)
    return (img[0] * gain[:, None, None]).clamp(0, 1)


def generate(n: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """n digits (uint8, n x 28 x 28) and labels, balanced over the classes, deterministic from seed."""
    g = torch.Generator().manual_seed(seed)
    labels = torch.arange(n) % 10
    labels = labels[torch.randperm(n, generator=g)]
    images = torch.empty(n, 28, 28, dtype=torch.uint8)
    for digit, forms in ALLOGRAPHS.items():
        where = (labels == digit).nonzero().flatten()
        choice = torch.randint(len(forms), (len(where),), generator=g)
        for f, form in enumerate(forms):
            idx = where[choice == f]
            for start in range(0, len(idx), CHUNK):
                part = idx[start:start + CHUNK]
                digits = normalize_digits(_render(form, len(part), g))
                images[part] = to_uint8((digits - HALO_CUT).clamp(min=0) / (1 - HALO_CUT))
    return images, labels


# --- cache ------------------------------------------------------------------------------------------
def generator_fingerprint() -> str:
    """Changes whenever the generator's code or templates change, so a stale cache is never reused."""
    from .. import preprocess
    from . import digit_strokes
    h = hashlib.sha256(str(GENERATOR_VERSION).encode())
    for module in (digit_strokes, preprocess, __import__(__name__, fromlist=["_"])):
        h.update(Path(module.__file__).read_bytes())
    return h.hexdigest()[:12]


def cache_path(seed: int = DATASET_SEED, n_train: int = N_TRAIN, n_test: int = N_TEST) -> Path:
    return (user_data_dir() / "synthetic-digits" /
            f"{generator_fingerprint()}-seed{seed}-{n_train}-{n_test}.pt")


def _digest(tensors: list[torch.Tensor]) -> str:
    h = hashlib.sha256()
    for t in tensors:
        h.update(t.contiguous().numpy().tobytes())
    return h.hexdigest()


def _read_cache(path: Path, n_train: int, n_test: int) -> list[torch.Tensor] | None:
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
        tensors = [payload[k] for k in ("train_x", "train_y", "test_x", "test_y")]
        shapes_ok = (tuple(tensors[0].shape) == (n_train, 28, 28) and tuple(tensors[1].shape) == (n_train,)
                     and tuple(tensors[2].shape) == (n_test, 28, 28) and tuple(tensors[3].shape) == (n_test,))
        if (payload.get("version") != GENERATOR_VERSION or not shapes_ok
                or tensors[0].dtype != torch.uint8 or payload.get("digest") != _digest(tensors)):
            return None
        return tensors
    except Exception:  # any unreadable cache is simply rebuilt
        return None


def load(seed: int = DATASET_SEED, n_train: int = N_TRAIN, n_test: int = N_TEST,
         use_cache: bool = True, need_train: bool = True) -> Dataset:
    path = cache_path(seed, n_train, n_test)
    tensors = _read_cache(path, n_train, n_test) if use_cache and path.exists() else None
    if tensors is None and not need_train:
        # the test split alone (the same digits as in the full set: each split has its own seed), uncached
        test_x, test_y = generate(n_test, seed * 2 + 1)
        return Dataset("synthetic-digits", "image", None, None, test_x, test_y.long(), [str(i) for i in range(10)])
    if tensors is None:
        train_x, train_y = generate(n_train, seed * 2)
        test_x, test_y = generate(n_test, seed * 2 + 1)
        tensors = [train_x, train_y, test_x, test_y]
        if use_cache:
            buffer = io.BytesIO()
            torch.save({"version": GENERATOR_VERSION, "digest": _digest(tensors),
                        **dict(zip(("train_x", "train_y", "test_x", "test_y"), tensors))}, buffer)
            try:
                atomic_write_bytes(path, buffer.getvalue())
                for old in path.parent.glob(f"*-seed{seed}-{n_train}-{n_test}.pt"):
                    if old != path:  # made by an older generator: never read again
                        old.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only data folder only costs the next launch a regeneration
    train_x, train_y, test_x, test_y = tensors
    return Dataset("synthetic-digits", "image", train_x, train_y.long(), test_x, test_y.long(),
                   [str(i) for i in range(10)])


def sample_sheet(per_class: int = 8, seed: int = 123) -> torch.Tensor:
    """A (10*28, per_class*28) uint8 grid of fresh samples, one row per digit (for the docs)."""
    images, labels = generate(per_class * 10 * 3, seed)
    rows = []
    for d in range(10):
        picks = images[labels == d][:per_class]
        rows.append(torch.cat(list(picks), 1))
    return torch.cat(rows, 0)


