"""CPU time the GUI thread spends while the window trains (plots, tables, views): the time it can take
from the training thread on a 2-core machine.

Trains 784-200-200-10 (SGD 0.01, batch 200, no augmentation) on the built-in digits in the real
MainWindow and prints the GUI thread's CPU seconds (time.thread_time) against the wall time of the run.

Usage: QT_QPA_PLATFORM=offscreen python -m bench.gui_thread_cpu [--epochs 3] [--repeat 3]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def one_run(epochs: int) -> dict:
    from playground.engine.config import TrainConfig
    from bench.window_speed import SEEDS_SETTING, window_training

    config = TrainConfig(epochs=epochs, device="cpu", **SEEDS_SETTING)
    app, window = window_training(config)
    wall, cpu = time.perf_counter(), time.thread_time()
    app.exec()
    wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
    window.close()
    return {"gui_cpu_s": cpu, "wall_s": wall}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.epochs)))
        return 0
    for _ in range(args.repeat):   # each run in a fresh process, as a user's window would be
        out = subprocess.run([sys.executable, "-m", "bench.gui_thread_cpu", "--child", "--epochs", str(args.epochs)], check=True,
                             cwd=Path(__file__).resolve().parents[1],
                             capture_output=True, text=True).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(f"GUI thread CPU {r['gui_cpu_s']:.2f} s over a {r['wall_s']:.1f} s run "
              f"({100 * r['gui_cpu_s'] / r['wall_s']:.1f} % of one core)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
