"""Issue 21's window target: with 2,000 stored runs the window opens within 1 s of its empty-store time, and the
runs table stays responsive.

    QT_QPA_PLATFORM=offscreen python -m bench.runs_table_launch [--runs 2000] [--epochs 20] [--repeat 3]

Fills a temporary store (bench.store_bench's fill), then, in a fresh process each time (median of REPEAT):
opens the MainWindow on an empty store and on the filled one, up to its first painted frame. In the filled
window it then times what a user does to the table: a filter keystroke, clearing it, sorting by each column
(the settings column reads every run's config the first time), scrolling to the end, and ticking a run (its
epochs are read then). Prints every figure; the target is `filled - empty <= 1 s`.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def child(store: Path, interact: bool) -> dict:
    """One launch, in this process: seconds to a painted window, then (interact) the table's actions."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from playground.engine.runs.store import RunStore
    from playground.ui.window.main_window import MainWindow
    real_open = RunStore.open.__func__
    RunStore.open = classmethod(lambda cls, where=None: real_open(cls, where or store))
    t0 = time.perf_counter()
    window = MainWindow()
    window.show()
    app.processEvents()
    window.repaint()
    out = {"launch_s": time.perf_counter() - t0, "rows": window.training.table.rowCount()}
    if not interact:
        window.close()
        return out
    table = window.training.table

    def timed(name: str, action) -> None:
        t = time.perf_counter()
        action()
        app.processEvents()
        table.viewport().repaint()
        out[name] = time.perf_counter() - t

    timed("filter_keystroke_s", lambda: window.training.filter.setText("run 19"))
    out["filtered_rows"] = table.rowCount()
    timed("filter_clear_s", lambda: window.training.filter.setText(""))
    from playground.ui.training.runs_model import COLUMNS
    from PySide6.QtCore import Qt
    for column, name in enumerate(COLUMNS):
        timed(f"sort_{name.replace(' ', '_')}_s", lambda c=column: table.sortByColumn(c, Qt.AscendingOrder))
    timed("scroll_to_end_s", table.scrollToBottom)
    timed("tick_a_run_s", lambda: table.set_checked(0, True))
    window.close()
    return out


def launch(store: Path, interact: bool) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    argv = [sys.executable, "-m", "bench.runs_table_launch", "--child", str(store)]
    argv += ["--interact"] if interact else []
    done = subprocess.run(argv, env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--interact", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.interact)))
        return
    from bench.store_bench import fill
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as filled:
        fill(Path(filled), args.runs, args.epochs)
        empty_s = statistics.median(launch(Path(empty), False)["launch_s"] for _ in range(args.repeat))
        runs = [launch(Path(filled), False) for _ in range(args.repeat)]
        filled_s = statistics.median(r["launch_s"] for r in runs)
        print(f"window to first paint: empty store {empty_s:.3f} s, {runs[0]['rows']:,} stored runs {filled_s:.3f} s "
              f"-> +{filled_s - empty_s:.3f} s (target <= 1 s; median of {args.repeat}, a fresh process each)")
        actions = launch(Path(filled), True)
        for name, value in actions.items():
            if name.endswith("_s") and name != "launch_s":
                print(f"  {name[:-2].replace('_', ' ')}: {1000 * value:.0f} ms")
        print(f"  (filter 'run 19' listed {actions['filtered_rows']:,} rows)")


if __name__ == "__main__":
    main()
