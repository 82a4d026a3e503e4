"""The Network tab's cost: GUI-thread time per refresh (target <= 30 ms), and training speed with the tab visible.

1. Refresh: the engine computes a picture (on the view's worker thread in the app; here, beforehand) and the
   GUI thread draws it: item placement, setImage/setData, and one repaint of the diagram. Measured for
   784-256-128-10 with a 28x28 input (target <= 30 ms) and for a 2-D net of 6 hidden layers of 8 with
   heatmaps (target <= 30 ms). The engine time per picture (worker thread) is printed beside it.
2. Training speed: the window trains with the Network tab current (refreshing up to 4 times a second), against
   headless, pair by pair in fresh processes, as bench/window_speed.py measures (target >= 0.90).

Usage: QT_QPA_PLATFORM=offscreen python -m bench.network_view_speed [--refreshes 40] [--pairs 3] [--epochs 3]
       [--skip-training] [--baseline] [--defaults]   (--baseline also times the window on its Training tab;
       --defaults trains the playground defaults, as window_speed.py --defaults does, for the same comparison)
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from playground.engine.config import TrainConfig  # noqa: E402
from playground.engine.model import build_model  # noqa: E402
from playground.engine.inspect.network_probe import picture_image, picture_plane, weights_of  # noqa: E402


def _pictures(kind: str, n: int) -> list:
    """n pictures with different inputs (image net) or different weights (2-D net), computed beforehand."""
    torch.manual_seed(0)
    if kind == "image":
        model = build_model(TrainConfig(), 784, 10)
        weights = weights_of(model, "relu")
        rng = np.random.default_rng(0)
        images = [(rng.random((28, 28)) ** 4 * 255).astype(np.uint8) for _ in range(n)]
        start = time.perf_counter()
        pics = [picture_image(weights, image, [str(i) for i in range(10)]) for image in images]
    else:
        config = TrainConfig(dataset="moons", hidden=(8,) * 6, dropout=(0.0,), activation="tanh")
        models = [build_model(config, 2, 2, torch.Generator().manual_seed(i)) for i in range(n)]
        weights = [weights_of(m, "tanh") for m in models]
        start = time.perf_counter()
        pics = [picture_plane(w, (-2.0, 3.0, -1.5, 2.0), ("0", "1")) for w in weights]
    return pics, (time.perf_counter() - start) / n


def refresh_times(kind: str, n: int) -> tuple[list[float], list[float], float, dict]:
    """Wall and CPU milliseconds of the GUI thread per refresh (CPU time is what a busy machine distorts
    least: other processes stretch the wall time, not this thread's own work)."""
    from PySide6.QtWidgets import QApplication

    from playground.ui.network.network_tab import NetworkView

    app = QApplication.instance() or QApplication([])

    class NoSource:   # the view draws pictures handed to it; nothing is computed here
        def facts(self):
            return None

        def on_model_changed(self, callback):
            pass

    view = NetworkView(NoSource())
    view.resize(1100, 750)
    view.show()
    view.timer.stop()
    app.processEvents()
    pics, engine = _pictures(kind, n + 3)
    times, cpu = [], []
    for i, pic in enumerate(pics):
        start, start_cpu = time.perf_counter(), time.thread_time()
        view._show(((i,), None, (), pic))
        view.graphics.viewport().repaint()
        elapsed, elapsed_cpu = time.perf_counter() - start, time.thread_time() - start_cpu
        if i >= 3:    # the first draws create the items
            times.append(elapsed * 1000)
            cpu.append(elapsed_cpu * 1000)
        app.processEvents()
    shown = view.shown()
    view.close()
    return times, cpu, engine * 1000, shown


def _side(args: argparse.Namespace, side: str) -> dict:
    """One side in a fresh process: {"epochs": [epoch seconds], "pictures_per_second": float or None}."""
    cmd = [sys.executable, __file__, "--side", side, "--epochs", str(args.epochs)] + (["--defaults"] * args.defaults)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def _window_epochs(config: TrainConfig, tab: str) -> dict:
    from bench.window_speed import window_training

    from playground.engine.train.records import EpochRecord

    app, window = window_training(config)   # it loads the data as the app does
    if tab == "network":
        window.tabs.setCurrentWidget(window.network)
    epochs: list[float] = []
    window.session.records.connect(lambda rs: epochs.extend(r.seconds for r in rs if isinstance(r, EpochRecord)))
    start = time.perf_counter()
    app.exec()
    seconds = time.perf_counter() - start
    window.close()
    rate = window.network.pictures_drawn / seconds if tab == "network" else None
    return {"epochs": epochs, "pictures_per_second": rate}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--refreshes", type=int, default=40)
    parser.add_argument("--pairs", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--skip-training", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--defaults", action="store_true",
                        help="train the playground defaults (as bench/window_speed.py --defaults) instead of the seeds' "
                             "classic setting")
    parser.add_argument("--side", choices=["headless", "network", "training"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    from bench.window_speed import SEEDS_SETTING, headless

    from playground.engine.datasets import load_dataset

    config = TrainConfig(dataset="synthetic-digits", epochs=args.epochs, device="cpu")
    if not args.defaults:
        config = config.replace(**SEEDS_SETTING)
    if args.side:
        if args.side == "headless":
            print(json.dumps({"epochs": headless(config, load_dataset(config)), "pictures_per_second": None}))
        else:
            print(json.dumps(_window_epochs(config, args.side)))
        return 0
    for kind, label in (("image", "784-256-128-10, a 28x28 input"), ("points", "2-8-8-8-8-8-8-2 with heatmaps")):
        times, cpu, engine, shown = refresh_times(kind, args.refreshes)
        p, c = sorted(times), sorted(cpu)
        print(f"{label}: GUI-thread refresh median {statistics.median(times):.1f} ms wall, "
              f"{statistics.median(cpu):.1f} ms CPU; p90 {p[int(0.9 * (len(p) - 1))]:.1f} ms wall, "
              f"{c[int(0.9 * (len(c) - 1))]:.1f} ms CPU; max {p[-1]:.1f} ms wall over {len(times)} (target <= 30); engine "
              f"{engine:.1f} ms per picture on the worker thread; {shown['links']} links, {shown['heatmaps']} "
              f"heatmaps, {sum(len(layer['shown']) for layer in shown['layers'])} nodes")
    if args.skip_training:
        return 0
    load_dataset(config)
    ratios, heads, wins, bases, rates = [], [], [], [], []
    for _ in range(args.pairs):
        h = statistics.median(_side(args, "headless")["epochs"])
        network = _side(args, "network")
        w = statistics.median(network["epochs"])
        rates.append(network["pictures_per_second"])
        heads.append(h)
        wins.append(w)
        ratios.append(h / w)
        if args.baseline:
            bases.append(h / statistics.median(_side(args, "training")["epochs"]))
    print(f"load average while measuring: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"config: {config.dataset}, {'-'.join(map(str, config.hidden))}, {config.optimizer}, batch "
          f"{config.batch_size}; platform {os.environ['QT_QPA_PLATFORM']}")
    print(f"headless median epoch seconds per pair:             {', '.join(f'{s:.2f}' for s in heads)}")
    print(f"window (Network tab) median epoch seconds per pair: {', '.join(f'{s:.2f}' for s in wins)}")
    print(f"window with the Network tab / headless per pair: {', '.join(f'{r:.2f}' for r in ratios)}; median "
          f"{statistics.median(ratios):.3f} (target >= 0.90)")
    print(f"network pictures drawn per second while training: {', '.join(f'{r:.1f}' for r in rates)} "
          f"(target >= 2)")
    if bases:
        print(f"window on the Training tab / headless per pair:  {', '.join(f'{r:.2f}' for r in bases)}; median "
              f"{statistics.median(bases):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
