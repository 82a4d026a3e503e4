"""Training speed inside the window against headless, and the event loop's responsiveness while it trains.

Trains the same config headless (engine only) and inside the real MainWindow (worker thread, live
plots), and while the window trains, a 5 ms QTimer records the gaps between its ticks.
Prints: median epoch seconds both ways, their ratio (window speed as a fraction of headless,
target >= 0.90 as the median of 5 pairs), and the tick-gap p50/p99/max (target p99 <= 50 ms, aim 16 ms).

Usage: QT_QPA_PLATFORM=offscreen python -m bench.window_speed [--defaults --epochs 2 --pairs 5] [--dataset ...]
(or run it under xvfb-run to include real X11 painting).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import statistics
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from playground.engine.config import TrainConfig  # noqa: E402
from playground.engine.datasets import load_dataset  # noqa: E402
from playground.engine.train.records import EpochRecord  # noqa: E402
from playground.engine.train.training import Trainer  # noqa: E402


# The seeds' classic MNIST MLP setting, the default config of the window benchmarks.
SEEDS_SETTING = dict(hidden=(200, 200), dropout=(0.0,), optimizer="sgd", lr=0.01, batch_size=200, augment=False,
                     init="default")


def window_training(config: TrainConfig, dataset=None):
    """A shown MainWindow set to `config`, whose event loop will press Train when it starts and quit when the
    run ends. Returns (app, window); the caller runs app.exec(). Without `dataset` the window loads it on its
    training thread, as the app does (the GUI thread never computes with torch's thread pool: see
    playground/engine/train/threads.py); a dataset loaded on this thread beforehand leaves it holding one."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.app import MainWindow

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.resize(1400, 900)
    window.show()
    window.panel.set_config(config)
    window._on_config(window.panel.current())
    if dataset is not None:
        window.model.provide_dataset(dataset, config)
    window.session.state_changed.connect(lambda state: state == "idle" and app.quit())
    QTimer.singleShot(0, window.train_button.click)
    return app, window


def headless(config: TrainConfig, dataset) -> list[float]:
    return [r.seconds for r in Trainer(config, dataset).run() if isinstance(r, EpochRecord)]


def in_window(config: TrainConfig, probe: bool) -> tuple[list[float], list[float]]:
    from PySide6.QtCore import QElapsedTimer, QTimer

    app, window = window_training(config)
    epochs: list[float] = []
    gaps: list[float] = []
    window.session.records.connect(lambda rs: epochs.extend(r.seconds for r in rs if isinstance(r, EpochRecord)))
    clock = QElapsedTimer()
    last = [0]

    def tick() -> None:
        now = clock.nsecsElapsed()
        if window.session.state == "running" and window.model.trainer is not None and last[0]:
            gaps.append((now - last[0]) / 1e6)
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    clock.start()
    if probe:
        timer.start()
    app.exec()
    timer.stop()
    window.close()
    return epochs, gaps


def _side(args: argparse.Namespace, side: str) -> list[float]:
    """Run one side in a fresh process: a process that trained on its main thread makes a later
    worker-thread run slower (two OpenMP thread teams on two cores), which the app never does."""
    cmd = [sys.executable, __file__, "--side", side, "--epochs", str(args.epochs), "--dataset", args.dataset]
    if args.defaults:
        cmd.append("--defaults")
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--dataset", default="synthetic-digits")
    parser.add_argument("--defaults", action="store_true", help="the playground defaults instead of the seeds' setting")
    parser.add_argument("--side", choices=["headless", "window", "probe"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    base = TrainConfig(dataset=args.dataset, epochs=args.epochs, device="cpu")
    config = base if args.defaults else base.replace(**SEEDS_SETTING)
    if args.side:
        if args.side == "headless":
            print(json.dumps(headless(config, load_dataset(config))))
        else:   # the window loads the (cached) data on its training thread, as the app does
            epochs, gaps = in_window(config, probe=args.side == "probe")
            print(json.dumps(gaps if args.side == "probe" else epochs))
        return 0
    load_dataset(config)  # build the cache once, outside the timings
    # This machine's speed drifts by tens of percent within a minute, so the two sides alternate and
    # the ratio is taken pair by pair (median of the pairs), not from two distant single runs.
    ratios, heads, wins = [], [], []
    for _ in range(args.pairs):
        h = statistics.median(_side(args, "headless"))
        w = statistics.median(_side(args, "window"))
        heads.append(h)
        wins.append(w)
        ratios.append(h / w)
    gaps = sorted(_side(args, "probe"))
    p = lambda q: gaps[min(len(gaps) - 1, int(q * len(gaps)))]  # noqa: E731
    print(f"config: {config.dataset}, {'-'.join(map(str, config.hidden))}, {config.optimizer}, batch "
          f"{config.batch_size}, augment {config.augment}; platform {os.environ['QT_QPA_PLATFORM']}")
    print(f"headless median epoch seconds per pair: {', '.join(f'{s:.2f}' for s in heads)}")
    print(f"window median epoch seconds per pair:   {', '.join(f'{s:.2f}' for s in wins)}")
    print(f"window speed / headless speed per pair: {', '.join(f'{r:.2f}' for r in ratios)}; "
          f"median {statistics.median(ratios):.3f} (target >= 0.90)")
    print(f"event loop 5 ms tick gaps while training: p50 {p(0.5):.1f} ms, p99 {p(0.99):.1f} ms, "
          f"max {gaps[-1]:.1f} ms over {len(gaps)} ticks (target p99 <= 50, aim 16)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
