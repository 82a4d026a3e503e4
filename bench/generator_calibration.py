"""How close each class of the built-in digits comes to real handwriting, and the fit of its style means.

The figure is the mean absolute difference (0-255 scale) between the mean image of a class of generated
digits and the mean image of the same class of real MNIST digits (the first 8,000 of the test set; the
last 2,000 are left to the pen benchmark's traced digits). A class whose generated digits lean, stand or
spread differently from real ones shows it here: the 6s were worst before (16: the templates' 6s leaned
right where real 6s stand upright) and were the largest loss in `synthetic_transfer.py` (6 read as 4).

`--fit` searches, class by class, the mean slant, log aspect ratio and waist of synthetic_digits.py's
`CLASS_STYLE` (coordinate descent from the old uniform style (0.15, 0, 0), within BOUNDS, which keep
every allograph what it is: a 1's flag stays a flag, an 8 does not become a bar) and prints the table.
Only class means are fitted, three numbers per class: no real digit is copied into the generator.

Usage: python -m bench.generator_calibration [--fit] [--mnist-dir ../shared/data] [--per-form 80]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]

from playground.engine.datasets import mnist_family  # noqa: E402
from playground.engine.datasets import synthetic_digits as sd  # noqa: E402

N_REAL = 8000
UNIFORM = (0.15, 0.0, 0.0)       # the style every class had before the fit
BOUNDS = ((-0.2, 0.35), (-0.1, 0.15), (-0.1, 0.1))   # slant, log aspect, waist
# 0s keep their width and their waist moves at most 0.04: that is the pen-input exception, measured on the
# pen benchmark's hand-written source (960 replays, 3 seeds). Widened (the fit's log aspect 0.1), narrow
# drawn 0s read as 8 (0s 0.92 instead of 0.98); with the waist of both 0s and 8s moved down 0.08, 8s
# crossing above the middle read as 0 (8s 0.90 instead of 0.94). Real MNIST 0s read 0.99 either way.
CLASS_BOUNDS = {0: (BOUNDS[0], (0.0, 0.0), (BOUNDS[2][0], 0.04))}
STEPS = (0.05, 0.05, 0.04)


def real_means(mnist_dir: str) -> torch.Tensor:
    real = mnist_family.load("mnist", mnist_dir, need_train=False, allow_download=False)
    x, y = real.test_x[:N_REAL].float() / 255, real.test_y[:N_REAL]
    return torch.stack([x[y == d].mean(0) for d in range(10)])


def distance(digit: int, style: tuple[float, float, float], target: torch.Tensor, per_form: int) -> float:
    """Mean |generated class mean - real class mean| (0-255) with `style` for this class, fixed seed."""
    saved = sd.CLASS_STYLE[digit]
    sd.CLASS_STYLE[digit] = style
    try:
        g = torch.Generator().manual_seed(digit)
        images = torch.cat([sd._render_readable(form, per_form, g) for form in sd.ALLOGRAPHS[digit]])
    finally:
        sd.CLASS_STYLE[digit] = saved
    return float((images.mean(0) - target).abs().mean() * 255)


def fit(digit: int, target: torch.Tensor, per_form: int) -> tuple[tuple[float, float, float], float]:
    bounds = CLASS_BOUNDS.get(digit, BOUNDS)
    style = list(UNIFORM)
    best = distance(digit, tuple(style), target, per_form)
    improved = True
    while improved:
        improved = False
        for i, step in enumerate(STEPS):
            for move in (-step, step):
                trial = list(style)
                trial[i] = round(trial[i] + move, 3)
                if not bounds[i][0] <= trial[i] <= bounds[i][1]:
                    continue
                d = distance(digit, tuple(trial), target, per_form)
                if d < best - 0.02:
                    best, style, improved = d, trial, True
    return tuple(style), best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mnist-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--per-form", type=int, default=80, help="generated digits per allograph")
    parser.add_argument("--fit", action="store_true", help="search CLASS_STYLE and print it")
    parser.add_argument("--classes", default="0123456789", help="the digits to report (and fit)")
    args = parser.parse_args()
    targets = real_means(args.mnist_dir)
    torch.set_num_threads(1)        # as the generator runs (synthetic_digits.generate)
    print("class  uniform style  current CLASS_STYLE" + ("  fitted (slant, log aspect, waist)" if args.fit else ""))
    totals = [0.0, 0.0]
    fitted = {}
    classes = [int(c) for c in args.classes]
    for d in classes:
        before = distance(d, UNIFORM, targets[d], args.per_form)
        now = distance(d, sd.CLASS_STYLE[d], targets[d], args.per_form)
        totals[0] += before / len(classes)
        totals[1] += now / len(classes)
        line = f"{d:>5}  {before:13.1f}  {now:19.1f}"
        if args.fit:
            fitted[d], best = fit(d, targets[d], args.per_form)
            line += f"  {best:.1f} at {fitted[d]}"
        print(line, flush=True)
    print(f" mean  {totals[0]:13.1f}  {totals[1]:19.1f}")
    if args.fit:
        print("CLASS_STYLE = {" + ", ".join(f"{d}: {s}" for d, s in fitted.items()) + "}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
