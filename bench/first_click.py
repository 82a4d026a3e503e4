"""Time from the first Train click to the first loss point on the plot, on warm data (target: <= 1.0 s).

Each measurement is a fresh Python process (so nothing is imported yet, as on a real launch): it opens
the MainWindow on the default config (the built-in digits, whose cache is made first if missing), lets
the launch warm-up run as `app.run_app` does, clicks trainButton, and times until the loss plot holds
its first point. `--no-warm-up` measures the same without the warm-up, to show what it saves.
Prints one line per run and the median; the figure to compare with the target is "click -> first point".

`--cold` measures a fresh install instead (issue 23: first point within 8 s, the whole built-in set
ready within 15 s): every launch gets an empty data folder, so the click makes the built-in digits while
training starts on their first chunk; it also prints when the whole set was ready (its cache written).

Usage: QT_QPA_PLATFORM=offscreen python -m bench.first_click [--runs 3] [--no-warm-up] [--cold]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
TARGET_S = 1.0
COLD_TARGET_S, COLD_FULL_TARGET_S = 8.0, 15.0


def child(warm_up: bool, cold: bool = False) -> dict:
    """One launch: returns the seconds of the warm-up and from the click to the first loss point."""
    launched = time.perf_counter()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from playground.app import WARM_UP_DELAY_MS, MainWindow
    from playground.engine.train.warmup import is_warm, start_warm_up

    from playground.engine.datasets import builtin_digits

    app = QApplication.instance() or QApplication([])
    cache = builtin_digits.cache_path()
    window = MainWindow()
    window.show()
    shown = time.perf_counter()
    result: dict = {"launch_to_shown_s": shown - launched}
    if warm_up:
        QTimer.singleShot(WARM_UP_DELAY_MS, start_warm_up)
    clicked = [0.0]

    def plotted() -> bool:
        return any(item.xData is not None and len(item.xData) for item in window.plots.loss_plot.listDataItems())

    def click() -> None:
        if warm_up and not is_warm():          # a user clicks after looking at the window for a moment
            QTimer.singleShot(20, click)
            return
        result["shown_to_click_s"] = time.perf_counter() - shown
        clicked[0] = time.perf_counter()
        window.train_button.click()
        poll.start(2)

    def check() -> None:
        if "click_to_first_point_s" not in result and plotted():
            result["click_to_first_point_s"] = time.perf_counter() - clicked[0]
        if cold and "click_to_full_set_s" not in result and cache.exists():
            result["click_to_full_set_s"] = time.perf_counter() - clicked[0]
        if "click_to_first_point_s" in result and (not cold or "click_to_full_set_s" in result):
            poll.stop()
            window.session.stop()
            app.quit()

    poll = QTimer()
    poll.timeout.connect(check)
    QTimer.singleShot(WARM_UP_DELAY_MS + 50, click)
    QTimer.singleShot(120_000, app.quit)
    app.exec()
    window.session.shutdown(5000)
    return result


def ensure_warm_data(env: dict) -> None:
    code = ("from playground.engine.datasets import builtin_digits as s; "
            "s.load(); print(s.cache_path().exists())")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True", out.stderr


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-warm-up", action="store_true")
    parser.add_argument("--cold", action="store_true", help="an empty data folder for every launch")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(not args.no_warm_up, args.cold)))
        return 0
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    env.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="first-click-config-"))
    if not args.cold:
        ensure_warm_data(env)
    figures, full = [], []
    for i in range(args.runs):
        if args.cold:
            env["MLP_PLAYGROUND_DATA"] = tempfile.mkdtemp(prefix="first-click-data-")
        cmd = [sys.executable, "-m", "bench.first_click", "--child"] + (["--no-warm-up"] if args.no_warm_up else []) + (
            ["--cold"] if args.cold else [])
        out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            print(out.stderr, file=sys.stderr)
            return 1
        r = json.loads(out.stdout.strip().splitlines()[-1])
        figures.append(r["click_to_first_point_s"])
        ready = ""
        if args.cold:
            full.append(r["click_to_full_set_s"])
            ready = f", click -> whole built-in set ready {r['click_to_full_set_s']:.2f} s"
            shutil.rmtree(env["MLP_PLAYGROUND_DATA"], ignore_errors=True)
        print(f"run {i + 1}: launch -> shown {r['launch_to_shown_s']:.2f} s, shown -> click "
              f"{r['shown_to_click_s']:.2f} s, click -> first point {r['click_to_first_point_s']:.3f} s{ready}")
    median = statistics.median(figures)
    target = f"{COLD_TARGET_S} s, empty data folder" if args.cold else f"{TARGET_S} s"
    print(f"click -> first loss point, median of {len(figures)} fresh launches "
          f"({'without' if args.no_warm_up else 'with'} warm-up): {median:.3f} s (target <= {target})")
    if args.cold:
        print(f"click -> whole built-in set ready, median: {statistics.median(full):.2f} s "
              f"(target <= {COLD_FULL_TARGET_S} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
