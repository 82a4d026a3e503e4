"""How well could this network read real pen digits if it were trained on real pen digits?

A reference for pen_accuracy.py's `unipen` figures. UNIPEN's sites are split by writer group: the digits of
DEV_SITES are rendered exactly as the Draw tab renders a drawing (placed at 45-80 % of the canvas, one
point every 100 ms, stroke_render.render_drawing) and written as an MNIST-layout data set; the CLI then
trains the default network on them (5 epochs, like the other models) and tests on the other sites'
digits. Those held-out sites are the ones pen_accuracy.py --unipen-sites held reads. If the built-in
digits' model reads them about as well as this reference does, the remaining errors are not the generator's
to fix: they are what this MLP can make of those writers.

Usage: python -m bench.pen_reference --unipen DIR [--ms 100] [--train-flags "--augment"]
"""
from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]

from bench.pen_accuracy import placed  # noqa: E402
from bench.lib.unipen_digits import DEV_SITES, every_ms, load_unipen_digits, site_group  # noqa: E402

from playground.engine.datasets.idx import write_idx  # noqa: E402
from playground.engine.drawing.stroke_render import render_drawing  # noqa: E402

torch.set_num_threads(1)   # many tiny renders: threads only wait on each other (and on a busy machine, much longer)


def rendered(digits: list, ms: float, seed: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    drawings = placed([every_ms(d, ms) for d in digits], seed)
    images = [render_drawing([s.tolist() for s in drawing]) for drawing in drawings]
    return torch.stack(images), torch.tensor([d.label for d in digits], dtype=torch.uint8)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--unipen", required=True, metavar="DIR", help="a UNIPEN train_r01_v07 copy")
    parser.add_argument("--ms", type=float, default=100, help="thin to a point every MS (0: all)")
    parser.add_argument("--train-flags", default="", help="extra CLI flags, e.g. --augment or --seed 1")
    args = parser.parse_args()
    digits = load_unipen_digits(args.unipen)
    dev, held = site_group(digits, "dev"), site_group(digits, "held")
    with tempfile.TemporaryDirectory() as tmp:
        raw = Path(tmp) / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for part, group in (("train", dev), ("t10k", held)):
            x, y = rendered(group, args.ms)
            write_idx(raw / f"{part}-images-idx3-ubyte", x)
            write_idx(raw / f"{part}-labels-idx1-ubyte", y)
        run = subprocess.run([sys.executable, "-m", "playground", "train", "--dataset", "mnist", "--data-dir", tmp,
                              "--epochs", "5", "--json", *shlex.split(args.train_flags)],
                             cwd=ROOT, capture_output=True, text=True, check=True)
    last = json.loads(run.stdout.strip().splitlines()[-1])
    print(f"default network trained on {len(dev):,} real pen digits of sites {', '.join(sorted(DEV_SITES))} "
          f"({args.train_flags or 'CLI defaults'}, 5 epochs)")
    print(f"reads the {len(held):,} digits of the other sites at {last['test_accuracy']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
