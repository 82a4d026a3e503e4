"""Accuracy on your own data (CSV tables), on freshly generated files the tests do not contain.

    python -m bench.own_data_check [SEED]

Writes into a temporary folder (deleted afterwards):
- a 2-D CSV of two interleaved classes (two interleaved spiral arms with label words), trained from the CLI;
- a 5-feature, 3-class CSV (three overlapping Gaussian clusters in 5-D, a header row, labels 1/2/3 in the
  first column), trained from the CLI with --label-column;
- a continuous-target CSV (regression through --task regression);
and prints each run's final test figures with the exact command used.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from playground.engine.datasets.csv_table import to_csv_text


def interleaved(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = np.sqrt(rng.uniform(0.05, 1, n)) * 3 * np.pi
    arm = rng.integers(0, 2, n)
    angle = t + arm * np.pi
    x = np.column_stack([t * np.cos(angle), t * np.sin(angle)]) + rng.normal(0, 0.35, (n, 2))
    return x, np.where(arm == 0, "red", "blue")


def clusters(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    centres = rng.normal(0, 1.6, (3, 5))
    label = rng.integers(0, 3, n)
    return centres[label] + rng.normal(0, 1.0, (n, 5)), label + 1


def run(args: list[str]) -> dict:
    command = [sys.executable, "-m", "playground", "train", *args, "--json", "--device", "cpu"]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"failed ({out.returncode}): {' '.join(command)}\n{out.stderr}")
    last = json.loads(out.stdout.strip().splitlines()[-1])
    print("$ mlp-playground train " + " ".join(args) + " --json --device cpu")
    print("  last epoch:", {k: round(v, 4) if isinstance(v, float) else v for k, v in last.items()})
    return last


def main() -> None:
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 2026
    rng = np.random.default_rng(seed)
    with tempfile.TemporaryDirectory() as folder:
        two_d = Path(folder) / "interleaved.csv"
        x, y = interleaved(rng, 3000)
        two_d.write_text(to_csv_text(x, y, ["x", "y", "colour"]))
        a = run(["--dataset", f"csv:{two_d}", "--hidden", "32,32", "--dropout", "0", "--lr", "0.01",
                 "--batch-size", "32", "--epochs", "40"])
        five = Path(folder) / "five.csv"
        x, y = clusters(rng, 3000)
        rows = [",".join([str(label)] + [f"{v:.5f}" for v in row]) for label, row in zip(y, x)]
        five.write_text("kind,a,b,c,d,e\n" + "\n".join(rows) + "\n")    # the label column first
        b = run(["--dataset", f"csv:{five}", "--label-column", "kind", "--hidden", "32", "--dropout", "0",
                 "--epochs", "15"])
        reg = Path(folder) / "reg.csv"
        x = rng.uniform(-2, 2, (2000, 3))
        reg.write_text(to_csv_text(x, (np.sin(x[:, 0]) + x[:, 1] * x[:, 2]).round(5), ["p", "q", "r", "t"]))
        c = run(["--dataset", f"csv:{reg}", "--task", "regression", "--hidden", "64,64", "--dropout", "0",
                 "--lr", "0.003", "--epochs", "40"])
    print(f"2-D interleaved: test accuracy {a['test_accuracy']:.4f} (target >= 0.90)")
    print(f"5-feature 3-class: test accuracy {b['test_accuracy']:.4f} (target >= 0.85)")
    print(f"3-feature regression: test R² {c['test_r2']:.4f}")


if __name__ == "__main__":
    main()
