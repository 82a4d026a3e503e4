"""Make the shipped real pen-digit set (playground/resources/pen_digits.npz) from a copy of UNIPEN.

UNIPEN train_r01_v07 section 1a (isolated digits; CC BY 4.0, https://doi.org/10.5281/zenodo.1195803, a
git copy at https://github.com/GreenCappuccino/train_r01_v07) is read by unipen_digits.py: 15,279
labelled digits of 12 sites (the five sites whose segments cut across characters are left out there).
Each digit is thinned to the points a tablet sampling every `--ms` milliseconds would record (the site's
declared rate; files without any rate keep their points), moved to its bounding box's corner and scaled
so that its longer side is SCALE units, and stored as int16 coordinates:

- points (P, 2) int16, x right and y down; stroke_ends (S,) int32: the end of each stroke in points;
  digit_ends (N,) int32: the end of each digit in strokes; labels (N,) uint8; writer (N,) uint16, an
  index into writers (site/file names: one writer each).

The engine reads it with playground.engine.datasets.pen_digits. Usage:
    python -m bench.make_pen_set --unipen DIR [--ms 20] [-o playground/resources/pen_digits.npz]
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]

from bench.lib.unipen_digits import every_ms, load_unipen_digits  # noqa: E402

SCALE = 1000


def pack(digits: list, ms: float) -> dict[str, np.ndarray]:
    writers = sorted({d.writer for d in digits})
    index = {w: i for i, w in enumerate(writers)}
    points, stroke_ends, digit_ends = [], [], []
    n_points = n_strokes = 0
    for d in digits:
        strokes = [s for s in every_ms(d, ms, declared=True) if len(s)]
        allp = np.concatenate(strokes)
        lo, extent = allp.min(0), max(float(np.ptp(allp, 0).max()), 1e-9)
        for s in strokes:
            q = np.round((s - lo) * (SCALE / extent)).astype(np.int16)
            # consecutive duplicates carry nothing for a renderer
            keep = np.ones(len(q), bool)
            keep[1:] = (q[1:] != q[:-1]).any(1)
            q = q[keep]
            points.append(q)
            n_points += len(q)
            stroke_ends.append(n_points)
        n_strokes += len(strokes)
        digit_ends.append(n_strokes)
    return {"points": np.concatenate(points), "stroke_ends": np.array(stroke_ends, np.int32),
            "digit_ends": np.array(digit_ends, np.int32),
            "labels": np.array([d.label for d in digits], np.uint8),
            "writer": np.array([index[d.writer] for d in digits], np.uint16),
            "writers": np.array(writers)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--unipen", required=True, metavar="DIR")
    parser.add_argument("--ms", type=float, default=20, help="keep a point every MS milliseconds (0: all)")
    parser.add_argument("-o", "--output", default=str(ROOT / "playground" / "resources" / "pen_digits.npz"))
    args = parser.parse_args()
    digits = load_unipen_digits(args.unipen)
    arrays = pack(digits, args.ms)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    Path(args.output).write_bytes(buffer.getvalue())
    sites = sorted({w.split("/")[0] for w in arrays["writers"]})
    print(f"{len(digits):,} digits, {len(arrays['writers'])} writers' files of {len(sites)} sites "
          f"({', '.join(sites)}), {len(arrays['points']):,} points: {len(buffer.getvalue()) / 1e6:.2f} MB "
          f"-> {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
