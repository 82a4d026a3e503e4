"""How well a model trained only on the built-in digits reads real MNIST handwriting (target >= 0.92).

Runs exactly the two CLI commands (train with the CLI defaults, then evaluate on the real test set) and
prints the accuracy. Usage: python -m bench.synthetic_transfer [--mnist-dir ../shared/data] [--epochs 5]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mnist-dir", default=str(ROOT.parent / "shared" / "data"))
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--fresh-cache", action="store_true", help="regenerate the digits (times generation)")
    parser.add_argument("extra", nargs="*", help="extra train flags after --")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "playground"]
    env = dict(os.environ)
    with tempfile.TemporaryDirectory() as tmp:
        if args.fresh_cache:
            env["MLP_PLAYGROUND_DATA"] = tmp
        ckpt = str(Path(tmp) / "m.pt")
        t0 = time.perf_counter()
        subprocess.run([*cli, "train", "--dataset", "synthetic-digits", "--epochs", str(args.epochs),
                        "--save", ckpt, "--json", *args.extra], check=True, env=env, cwd=ROOT)
        train_s = time.perf_counter() - t0
        out = subprocess.run([*cli, "evaluate", "--load", ckpt, "--dataset", "mnist", "--data-dir",
                              args.mnist_dir, "--json"], check=True, env=env, cwd=ROOT,
                             capture_output=True, text=True).stdout
    result = json.loads(out)
    print(f"train (incl. process start{' and generation' if args.fresh_cache else ''}): {train_s:.1f} s")
    print(f"accuracy on {result['samples']} real MNIST test digits: {result['accuracy']:.4f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
