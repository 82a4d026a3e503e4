"""Does 'Teach it your handwriting' work? One writer's digits before and after teaching 3 of each.

The writer is simulated by hand-authored stroke trajectories with one person's habits: a European 1 with a
long flag, a crossed 7 with a hooked top, an open-top 4, a flat-topped 3, a 2 with a loop, a 5 whose top
bar is a separate stroke, a narrow 8, a 9 whose stem hooks to the left, a right slant throughout. Each
drawing varies like a person's do: size (45-80 % of the canvas), place on the canvas, a little rotation,
wobble and mouse sampling. Everything goes through the real window: QTest mouse strokes on `digitCanvas`,
the reading from `predictedDigit`, teaching with `teachDigitN`, fine-tuning with `fineTuneButton`.

    QT_QPA_PLATFORM=offscreen python -m bench.teach_writer [--load CKPT] [--teach 3] [--test 20] [--seed 0]
        [--unipen DIR --writer SITE/NAME]

Without --load it trains the CLI default model (built-in digits, 5 epochs) first. Prints per-class
accuracy on the writer's other drawings (never the taught ones) before and after.

With --unipen and --writer the writer is a real person: their own pen digits from UNIPEN (see
unipen_digits.py; e.g. gmd/kast, syn/rcw-dig15, uqb/ja: 15 writers there have 8 or more of every digit),
the first --teach of each digit taught, up to --test of the others measured, each placed at 45-80 % of
the canvas like pen_accuracy.py's.
"""
from __future__ import annotations

import argparse
import math
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


Point = tuple[float, float]


# --- the writer's glyphs: strokes of points in a unit box (x right, y down) ----------------------
def arc(cx: float, cy: float, rx: float, ry: float, a0: float, a1: float, n: int = 24) -> list[Point]:
    """An elliptic arc; angles in degrees, 0 = right, 90 = down (screen coordinates)."""
    return [(cx + rx * math.cos(math.radians(a)), cy + ry * math.sin(math.radians(a)))
            for a in np.linspace(a0, a1, n)]


def line(*points: Point, n: int = 10) -> list[Point]:
    out: list[Point] = []
    for a, b in zip(points, points[1:]):
        out += [(a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t) for t in np.linspace(0, 1, n)][bool(out):]
    return out


def writer_glyph(digit: int) -> list[list[Point]]:
    if digit == 0:
        return [arc(0.5, 0.5, 0.26, 0.46, -100, 285, 40)]            # a narrow oval, closed with an overlap
    if digit == 1:
        return [line((0.22, 0.38), (0.6, 0.04), (0.6, 0.96))]      # long European flag
    if digit == 2:
        return [arc(0.5, 0.3, 0.3, 0.25, 190, 390) + line((0.76, 0.42), (0.22, 0.86))[1:] +
                arc(0.3, 0.84, 0.09, 0.07, 180, 540, 14)[1:] + line((0.3, 0.91), (0.88, 0.9))[1:]]
    if digit == 3:
        return [line((0.2, 0.07), (0.8, 0.07), (0.44, 0.42)) + arc(0.5, 0.67, 0.3, 0.27, 260, 520)[1:]]
    if digit == 4:
        return [line((0.46, 0.04), (0.12, 0.62), (0.9, 0.62)), line((0.7, 0.22), (0.7, 0.97))]   # open top
    if digit == 5:
        return [line((0.3, 0.1), (0.25, 0.46)) + arc(0.48, 0.68, 0.3, 0.26, 225, 510)[1:],
                line((0.36, 0.06), (0.84, 0.04))]                          # top bar: a second stroke
    if digit == 6:
        return [line((0.72, 0.04), (0.45, 0.2), (0.28, 0.46), (0.24, 0.7)) + arc(0.5, 0.72, 0.26, 0.24, 180, 530)[1:]]
    if digit == 7:
        return [line((0.14, 0.22), (0.16, 0.08), (0.86, 0.08), (0.42, 0.96)), line((0.36, 0.52), (0.8, 0.5))]
    if digit == 8:
        return [arc(0.5, 0.27, 0.17, 0.22, 90, 450, 28) + arc(0.5, 0.72, 0.2, 0.24, 270, -90, 28)[1:]]
    if digit == 9:
        return [arc(0.5, 0.3, 0.25, 0.22, 0, 370, 30) +
                line((0.75, 0.32), (0.74, 0.56), (0.67, 0.8), (0.54, 0.95), (0.38, 0.96))[1:]]
    raise ValueError(digit)


SLANT = 0.18           # the writer's right slant: x shifts by -SLANT * (y - 0.5)


def draw_variant(digit: int, rng: np.random.Generator, canvas: int) -> list[list[tuple[int, int]]]:
    """One drawing of `digit` by the writer, as mouse positions on a canvas of `canvas` pixels."""
    strokes = writer_glyph(digit)
    height = rng.uniform(0.45, 0.8) * canvas
    width = height * rng.uniform(0.62, 0.72)
    angle = math.radians(rng.normal(0, 4))
    cos, sin = math.cos(angle), math.sin(angle)
    margin_x, margin_y = (canvas - width) / 2 - 8, (canvas - height) / 2 - 8
    cx = canvas / 2 + rng.uniform(-margin_x, margin_x)
    cy = canvas / 2 + rng.uniform(-margin_y, margin_y)
    wobble = rng.normal(0, 0.015, (len(strokes), 2, 2))     # per stroke: slow offsets, start and end
    out = []
    for s, stroke in enumerate(strokes):
        pts = np.array(stroke, dtype=float)
        t = np.linspace(0, 1, len(pts))[:, None]
        pts = pts + wobble[s, 0] * (1 - t) + wobble[s, 1] * t + rng.normal(0, 0.004, pts.shape)
        x = (pts[:, 0] - 0.5) - SLANT * (pts[:, 1] - 0.5)
        y = pts[:, 1] - 0.5
        px = cx + (x * width) * cos - (y * height) * sin
        py = cy + (x * width) * sin + (y * height) * cos
        # a mouse reports a position every few pixels: resample the path at 3-7 px steps
        seg = np.hypot(np.diff(px), np.diff(py))
        dist = np.concatenate([[0], np.cumsum(seg)])
        steps = np.cumsum(rng.uniform(3, 7, int(dist[-1] / 3) + 2))
        at = np.concatenate([[0], steps[steps < dist[-1]], [dist[-1]]])
        qx, qy = np.interp(at, dist, px), np.interp(at, dist, py)
        points = [(int(round(a)), int(round(b))) for a, b in zip(qx, qy)]
        out.append([p for i, p in enumerate(points) if i == 0 or p != points[i - 1]])
    return out


# --- the window ---------------------------------------------------------------------------------
def draw_on(canvas, strokes) -> None:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    for stroke in strokes:
        QTest.mousePress(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(*stroke[0]))
        for p in stroke[1:]:
            QTest.mouseMove(canvas, QPoint(*p))
        QTest.mouseRelease(canvas, Qt.LeftButton, Qt.NoModifier, QPoint(*stroke[-1]))


def read_all(window, drawings) -> list[np.ndarray]:
    """Per digit, whether each of its drawings was read right (a real writer has more of some digits)."""
    from PySide6.QtWidgets import QLabel
    label = window.findChild(QLabel, "predictedDigit")
    correct = [np.zeros(len(variants), dtype=bool) for variants in drawings]
    for digit, variants in enumerate(drawings):
        for i, strokes in enumerate(variants):
            window.draw.canvas.clear()
            draw_on(window.draw.canvas, strokes)
            correct[digit][i] = label.text() == str(digit)
    window.draw.canvas.clear()
    return correct


def real_writer(root: str, writer: str, teach: int, test: int, seed: int, pendigits: bool = False):
    """A UNIPEN (or, with `pendigits`, a pendigits training) writer's own digits as mouse strokes: (taught,
    tests), each a list per digit."""
    from bench.pen_accuracy import placed
    from bench.lib.pendigits_writers import load_pendigits_writers
    from bench.lib.unipen_digits import every_ms, load_unipen_digits
    from playground.ui.draw.digit_canvas import SIZE
    everyone = load_pendigits_writers(root) if pendigits else load_unipen_digits(root)
    mine = [d for d in everyone if d.writer == writer]
    ordered = [d for digit in range(10) for d in mine if d.label == digit]
    flat = iter(placed([every_ms(d, 100) for d in ordered], seed, SIZE))
    drawings = [[[[tuple(map(int, p)) for p in s] for s in next(flat)] for d in ordered if d.label == digit]
                for digit in range(10)]
    if min(len(d) for d in drawings) < teach + 1:
        raise SystemExit(f"{writer} has fewer than {teach + 1} of some digit: {[len(d) for d in drawings]}")
    return [d[:teach] for d in drawings], [d[teach:teach + test] for d in drawings]


def wait_idle(app, window) -> None:
    while window.session.is_busy:
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()


def default_model(path: Path) -> None:
    from playground.engine.runs.checkpoint import save_checkpoint
    from playground.engine.config import TrainConfig
    from playground.engine.train.training import Trainer
    t0 = time.perf_counter()
    trainer = Trainer(TrainConfig(device="cpu"))
    for _ in trainer.run():
        pass
    d = trainer.dataset
    save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names, d.kind, trainer.history)
    print(f"trained the CLI default model in {time.perf_counter() - t0:.0f} s: test accuracy "
          f"{trainer.history[-1].test_accuracy:.4f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--load", help="a digit checkpoint (default: train the CLI default model)")
    parser.add_argument("--teach", type=int, default=3, help="drawings taught per digit")
    parser.add_argument("--test", type=int, default=20, help="other drawings per digit measured")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unipen", metavar="DIR", help="a UNIPEN train_r01_v07 copy, for --writer")
    parser.add_argument("--pendigits", metavar="DIR", help="a folder with pendigits-orig.tra, for --writer "
                        "pendigits/wN (one of its 30 training writers)")
    parser.add_argument("--writer", help="a real writer's digits instead of the simulated one (SITE/NAME)")
    args = parser.parse_args()
    if bool(args.unipen or args.pendigits) != bool(args.writer):
        parser.error("--unipen or --pendigits and --writer go together")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MLP_PLAYGROUND_DATA"] = os.environ.get("MLP_PLAYGROUND_DATA") or tempfile.mkdtemp()
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp()      # never the user's window settings
    store_folder = Path(tempfile.mkdtemp(prefix="teach-writer-"))
    checkpoint = Path(args.load) if args.load else Path(tempfile.mkdtemp()) / "default.pt"
    if not args.load:
        default_model(checkpoint)

    from PySide6.QtWidgets import QApplication, QLabel, QPushButton
    from playground.app import MainWindow
    from playground.engine.drawing.my_digits import MyDigitsStore
    from playground.ui.draw.digit_canvas import SIZE
    app = QApplication.instance() or QApplication([])
    window = MainWindow(checkpoint=str(checkpoint))
    window.draw.teach.store = MyDigitsStore(store_folder)     # an empty set of my digits, not the user's
    window.draw.teach.refresh_counts()
    window.show()
    window.tabs.setCurrentWidget(window.draw)
    wait_idle(app, window)      # the window measures a loaded checkpoint on its test split first

    if args.writer:
        taught, tests = real_writer(args.pendigits or args.unipen, args.writer, args.teach, args.test, args.seed,
                                    pendigits=bool(args.pendigits))
    else:
        rng = np.random.default_rng(args.seed)
        taught = [[draw_variant(d, rng, SIZE) for _ in range(args.teach)] for d in range(10)]
        tests = [[draw_variant(d, rng, SIZE) for _ in range(args.test)] for d in range(10)]
    before = read_all(window, tests)

    for digit, variants in enumerate(taught):
        button = window.findChild(QPushButton, f"teachDigit{digit}")
        for strokes in variants:
            draw_on(window.draw.canvas, strokes)
            button.click()
    counts = window.draw.teach.store.counts()
    assert counts == [args.teach] * 10, counts
    tune = window.findChild(QPushButton, "fineTuneButton")
    t0 = time.perf_counter()
    tune.click()
    if not window.session.is_busy:
        raise SystemExit(f"fine-tuning did not start: {window.findChild(QLabel, 'teachMessage').text()}")
    wait_idle(app, window)
    seconds = time.perf_counter() - t0
    print(f"fine-tuning: {seconds:.1f} s in the background; "
          f"{window.findChild(QLabel, 'teachMessage').text()}")
    after = read_all(window, tests)

    who = args.writer or "the simulated writer"
    print(f"\n{who}: other drawings read right (up to {args.test} per digit, {args.teach} per digit taught)")
    print("digit      n  before  after")
    for d in range(10):
        print(f"{d:5d}  {len(before[d]):5d}  {before[d].mean():6.2f}  {after[d].mean():5.2f}")
    # the mean over digits, each digit weighing the same whatever the writer's count of it
    b, a = np.mean([x.mean() for x in before]), np.mean([x.mean() for x in after])
    print(f"{'mean':>5s}  {sum(map(len, before)):5d}  {b:6.3f}  {a:5.3f}   (change {a - b:+.3f})")
    window.session.shutdown(None)
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
