"""How long closing the window takes while a run is still loading its data (target: close() returns within
0.5 s, every time), and how long the let-go loading job then runs on before the process can exit.

Each run opens a fresh MainWindow in its own process with the built-in digits (120,000 training digits, as the
app generates them: about 10 s the first time, then cached; `--fresh` clears the cache so every run generates),
presses Train, waits until the training thread is loading the data, and closes the window.
Prints, per run: the seconds close() took, and the seconds until every job thread had ended.

Usage: QT_QPA_PLATFORM=offscreen python -m bench.close_speed [--runs 3] [--wait 0.5] [--fresh]
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

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]


def one_run(wait_s: float) -> dict:
    from PySide6.QtWidgets import QApplication

    from playground.app import MainWindow
    from playground.engine.config import TrainConfig
    from playground.ui.job_runner import ThreadKeeper

    app = QApplication.instance() or QApplication([])
    window = MainWindow()
    window.show()
    window.panel.set_config(TrainConfig(dataset="synthetic-digits", epochs=1, device="cpu"))
    window._on_config(window.panel.current())
    window.train_button.click()
    end = time.monotonic() + wait_s
    while time.monotonic() < end:                     # the training thread starts loading the data
        app.processEvents()
        time.sleep(0.01)
    loading = window.session.state == "running" and window.model.trainer is None
    before = time.perf_counter()
    window.close()
    closed = time.perf_counter() - before
    keeper = ThreadKeeper.instance()
    while keeper.running():
        app.processEvents()
        time.sleep(0.02)
    return {"close_s": closed, "threads_done_s": time.perf_counter() - before, "was_loading": loading}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--wait", type=float, default=0.5, help="seconds between Train and close")
    parser.add_argument("--fresh", action="store_true", help="generate the digits in every run (no cache)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(one_run(args.wait)))
        return 0
    env = dict(os.environ)
    env.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="close-speed-config-"))
    for _ in range(args.runs):
        if args.fresh:
            env["MLP_PLAYGROUND_DATA"] = tempfile.mkdtemp(prefix="close-speed-data-")
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "bench.close_speed", "--child", "--wait", str(args.wait)],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
        if out.returncode != 0 or "Destroyed while thread" in out.stderr:
            print(out.stderr, file=sys.stderr)
            return 1
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"close() {r['close_s']:.3f} s (target <= 0.5; was loading: {r['was_loading']}), job threads ended "
              f"{r['threads_done_s']:.1f} s after it, process exited cleanly after {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
