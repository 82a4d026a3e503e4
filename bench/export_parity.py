"""Epoch-1 test accuracy of `train --json` and of the exported script, side by side on the CPU.

    MLP_PLAYGROUND_DATA=/tmp/some-data python -m bench.export_parity [MNIST_ROOT]

The script runs without this package (no site processing; only torch's site-packages on the path).
Moons, the built-in digits (through export-data) and, when MNIST_ROOT holds MNIST/raw/, MNIST.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

SITE = str(Path(torch.__file__).resolve().parents[1])


def cli(*argv: str) -> str:
    done = subprocess.run([sys.executable, "-m", "playground", *argv], capture_output=True, text=True, check=True)
    return done.stdout


def isolated(script: Path) -> str:
    code = (f"import sys, runpy; sys.path.append({SITE!r}); sys.argv=[{script.name!r}]; "
            f"runpy.run_path({str(script)!r}, run_name='__main__')")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=script.parent, env=env,
                          capture_output=True, text=True, check=True).stdout


def compare(name: str, flags: list[str], folder: Path) -> None:
    script = folder / f"{name}.py"
    cli("export-script", *flags, "--device", "cpu", "-o", str(script))
    app = json.loads(cli("train", *flags, "--device", "cpu", "--json").splitlines()[0])["test_accuracy"]
    out = isolated(script)
    got = float(re.search(r"^epoch 1/\d+ .*test accuracy (\d\.\d{4})", out, re.M).group(1))
    print(f"{name:8s} train --json epoch 1 test_accuracy {app:.4f}   script {got:.4f}   "
          f"difference {abs(app - got):.1e}", flush=True)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        compare("moons", ["--dataset", "moons", "--epochs", "1"], folder)
        cli("export-data", "synthetic-digits", str(folder / "digits"))
        compare("digits", ["--data-dir", str(folder / "digits"), "--epochs", "1"], folder)
        if len(sys.argv) > 1 and (Path(sys.argv[1]) / "MNIST" / "raw").is_dir():
            compare("mnist", ["--dataset", "mnist", "--data-dir", sys.argv[1], "--epochs", "1"], folder)


if __name__ == "__main__":
    main()
