"""Does the window stay responsive while it previews and loads a large table (File > Open data…)?

    QT_QPA_PLATFORM=offscreen python -m bench.table_window [--rows 1000000] [--cols 100]
        [--file /tmp/table_read_bench.csv]

Writes ROWS x COLS random numbers plus a label column to FILE unless it exists (bench/table_read.py's
writer and default file; keep it outside the project). Then, in a real main window: opens the preview,
clicks Load, and once loaded opens the preview again and cancels a second load. A 10 ms timer on the GUI
thread measures how long the event loop was ever kept from running. Prints seconds per step, the longest
GUI stall and the 99th percentile of the timer's gaps, and the peak resident memory.
"""
from __future__ import annotations

import argparse
import importlib.util
import resource
import sys
import time
from pathlib import Path


def _writer():
    spec = importlib.util.spec_from_file_location("table_read", Path(__file__).with_name("table_read.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_table


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cols", type=int, default=100)
    p.add_argument("--file", default="/tmp/table_read_bench.csv")
    args = p.parse_args()
    path = Path(args.file)
    if not path.exists():
        print(f"writing {args.rows:,} x {args.cols} to {path}…", flush=True)
        _writer()(path, args.rows, args.cols)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication
    app = QApplication(sys.argv)
    from playground.app import MainWindow
    window = MainWindow()
    window.show()
    gaps: list[float] = []
    last = [time.perf_counter()]
    stage = ["start"]
    stalls: dict[str, float] = {}

    def tick() -> None:
        now = time.perf_counter()
        gaps.append(now - last[0])
        stalls[stage[0]] = max(stalls.get(stage[0], 0.0), now - last[0])
        last[0] = now
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(tick)
    timer.start()

    def wait(condition, what: str, limit: float = 300.0) -> float:
        start = time.perf_counter()
        while not condition():
            app.processEvents()
            time.sleep(0.002)
            if time.perf_counter() - start > limit:
                raise SystemExit(f"{what}: not done after {limit:.0f} s")
        return time.perf_counter() - start

    name = f"csv:{path}"
    wait(lambda: len(gaps) > 20, "the window's first paint")
    stage[0] = "preview"
    dialog = window.data.table_loader.preview(path)
    seconds = wait(lambda: dialog.info is not None or window.data.table_loader.dialog is None, "preview")
    if dialog.info is None:
        raise SystemExit(f"preview failed: {window.feedback.banner.text()}")
    print(f"preview (read, type, describe): {seconds:6.2f} s   {dialog.info['rows']:,} rows, "
          f"{dialog.info['features']} features")
    stage[0] = "load"
    dialog.load_button.click()
    seconds = wait(lambda: window.panel.current().dataset == name and window.session.state == "idle", "load")
    print(f"load (fit the recipe, encode):  {seconds:6.2f} s   defaults: {window.panel.current().batch_size} "
          f"batch, {window.panel.current().epochs} epochs")
    stage[0] = "cancel"
    window.panel.set_config(window.panel.current().replace(dataset="moons"))
    window._on_config(window.panel.current())
    stage[0] = "cancel:preview"
    dialog = window.data.table_loader.preview(path)
    wait(lambda: dialog.info is not None, "second preview")
    stage[0] = "cancel:choice"
    before = dialog.info
    dialog.levels.setValue(dialog.levels.value() - 1)      # another choice: the load fits a new recipe
    dialog.levels.editingFinished.emit()
    wait(lambda: dialog.info is not None and dialog.info is not before, "third preview")
    stage[0] = "cancel:load"
    dialog.load_button.click()
    watch = window.data.table_loader.load_watch
    wait(lambda: watch.total > 0 or window.session.state == "idle", "load start")
    if window.session.state == "idle":
        print("cancel during the load: the load ended before Cancel could be pressed")
    else:
        stage[0] = "cancel:cancel"
        dialog.cancel_button.click()
        seconds = wait(lambda: window.session.state == "idle", "cancel")
        kept = window.panel.current().dataset == "moons"
        print(f"cancel during the load: idle {seconds:6.2f} s later; the dataset {'kept' if kept else 'CHANGED'}")
    timer.stop()
    ordered = sorted(gaps)
    p99 = ordered[int(0.99 * (len(ordered) - 1))]
    print(f"GUI thread: longest stall {1000 * ordered[-1]:.0f} ms, 99th percentile gap {1000 * p99:.0f} ms "
          f"({len(gaps):,} ticks of 10 ms); longest per step: " +
          ", ".join(f"{k} {1000 * v:.0f} ms" for k, v in stalls.items()))
    print(f"peak memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024**2:.2f} GiB")
    window.close()


if __name__ == "__main__":
    main()
