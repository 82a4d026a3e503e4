"""Issue 6's target: real handwriting drawn on the canvas with real mouse events is read correctly.

Two models are trained with the CLI defaults for 5 epochs: one on the built-in digits, one on 8,000 real
MNIST digits (the first 8,000 of the test set in ../shared/data, the only real digits available here).
Then digits from the other 2,000, never seen by either model, are drawn on the Draw tab's canvas the way
a person would: each at a random size (ink about half to most of the canvas) and a random position,
replayed stroke by stroke (one stroke per run of ink in each pixel row, pen as wide as a pixel) through
QTest mouse press/move/release on the widget. The figure is the accuracy of what `predictedDigit` shows.
For contrast it also prints the accuracy of naive canvas scaling (280 -> 28 area average, no cropping or
centring), and the latency of one prediction (preprocess + forward).

Since issue 12 the canvas reads its stroke vectors redrawn with a fixed pen, so this scan-line replay no
longer resembles pen input; bench/pen_accuracy.py is the pen-input benchmark (see bench/README.md).

Usage: QT_QPA_PLATFORM=offscreen python bench/draw_accuracy.py [--digits 500] [--mnist-dir ../shared/data]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from playground.engine.datasets.idx import read_idx, write_idx  # noqa: E402

N_TRAIN_REAL = 8000


def train(tmp: Path, name: str, extra: list[str]) -> str:
    ckpt = str(tmp / f"{name}.pt")
    subprocess.run([sys.executable, "-m", "playground", "train", "--epochs", "5", "--save", ckpt, "--json",
                    *extra], check=True, cwd=ROOT, capture_output=True)
    return ckpt


def replay(canvas, image: np.ndarray, scale: float, ox: float, oy: float) -> None:
    """Draw a 28x28 digit on the canvas: one mouse stroke per run of ink in each pixel row."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    canvas.pen_width = scale
    ink = image >= 128
    for r in range(28):
        c = 0
        while c < 28:
            if not ink[r, c]:
                c += 1
                continue
            start = c
            while c < 28 and ink[r, c]:
                c += 1
            y = int(oy + (r + 0.5) * scale)
            xs = np.linspace(ox + (start + 0.5) * scale, ox + (c - 0.5) * scale, max(2, c - start + 1))
            QTest.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(int(xs[0]), y))
            for x in xs[1:]:
                QTest.mouseMove(canvas, QPoint(int(x), y))
            QTest.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(int(xs[-1]), y))


def measure(ckpt: str, images: np.ndarray, labels: np.ndarray, seed: int) -> tuple[float, float, list[float]]:
    import torch
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from playground.app import MainWindow
    from playground.engine.datasets import to_features

    app = QApplication.instance() or QApplication([])
    window = MainWindow(checkpoint=ckpt)
    window.show()
    window.tabs.setCurrentWidget(window.draw)
    draw = window.draw
    model = window.model.loaded.model
    rng = np.random.default_rng(seed)
    right = naive_right = 0
    latencies = []
    for image, label in zip(images, labels):
        ink_rows = np.nonzero((image > 0).any(1))[0]
        ink_cols = np.nonzero((image > 0).any(0))[0]
        extent = max(ink_rows[-1] - ink_rows[0], ink_cols[-1] - ink_cols[0]) + 1
        target = rng.uniform(0.5, 0.9) * 280                      # ink size on the canvas
        scale = target / extent
        ox = rng.uniform(-ink_cols[0] * scale, 280 - (ink_cols[-1] + 1) * scale)
        oy = rng.uniform(-ink_rows[0] * scale, 280 - (ink_rows[-1] + 1) * scale)
        replay(draw.canvas, image, scale, ox, oy)
        app.processEvents()
        if draw.predicted.text() == str(int(label)):
            right += 1
        t0 = time.perf_counter()
        draw.predict()
        latencies.append((time.perf_counter() - t0) * 1000)
        naive = torch.nn.functional.avg_pool2d(torch.from_numpy(draw.canvas.pixels()).float()[None, None], 10)[0, 0]
        with torch.no_grad():
            pred = model(to_features(naive.round().clamp(0, 255).to(torch.uint8)[None])).argmax(1).item()
        naive_right += int(pred == label)
        QTest.keyClick(draw.canvas, Qt.Key_Escape)
        assert draw.predicted.text() == ""
    window.close()
    return right / len(labels), naive_right / len(labels), latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--digits", type=int, default=500)
    parser.add_argument("--mnist-dir", default=str(ROOT.parent / "shared" / "data"))
    args = parser.parse_args()
    raw = Path(args.mnist_dir) / "MNIST" / "raw"
    x = read_idx(raw / "t10k-images-idx3-ubyte.gz").numpy()
    y = read_idx(raw / "t10k-labels-idx1-ubyte.gz").numpy()
    held_x, held_y = x[N_TRAIN_REAL:], y[N_TRAIN_REAL:]
    pick = np.random.default_rng(0).choice(len(held_y), size=min(args.digits, len(held_y)), replace=False)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        real = tmp / "real" / "MNIST" / "raw"
        real.mkdir(parents=True)
        write_idx(real / "train-images-idx3-ubyte", x[:N_TRAIN_REAL])
        write_idx(real / "train-labels-idx1-ubyte", y[:N_TRAIN_REAL])
        write_idx(real / "t10k-images-idx3-ubyte", held_x)
        write_idx(real / "t10k-labels-idx1-ubyte", held_y)
        models = {"built-in digits": train(tmp, "builtin", []),
                  f"{N_TRAIN_REAL:,} real MNIST digits": train(tmp, "real", ["--dataset", "mnist", "--data-dir",
                                                                             str(tmp / "real")])}
        print(f"drawing {len(pick)} held-out real MNIST digits at random sizes and positions, through mouse events")
        for name, ckpt in models.items():
            acc, naive, lat = measure(ckpt, held_x[pick], held_y[pick], seed=1)
            lat.sort()
            print(f"model trained on {name}: predictedDigit accuracy {acc:.4f}; naive 280->28 scaling {naive:.4f}; "
                  f"prediction latency median {statistics.median(lat):.1f} ms, p95 {lat[int(0.95 * len(lat))]:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
