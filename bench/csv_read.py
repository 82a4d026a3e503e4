"""How long reading a large table takes: ROWS x COLS numeric CSV (plus a label column) through load_csv.

    PYTHONPATH=. python bench/csv_read.py [ROWS] [COLS]      (default 1,000,000 x 100)

Writes the file to a temporary folder (deleted afterwards), then prints the file size, the read time
(numpy.loadtxt's C parser), the whole load_csv time (read, checks, split, standardise) and peak memory.
"""
from __future__ import annotations

import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def write_table(path: Path, rows: int, cols: int, chunk: int = 50_000) -> None:
    rng = np.random.default_rng(0)
    with path.open("w") as f:
        f.write(",".join([f"f{i}" for i in range(cols)] + ["label"]) + "\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            x = rng.normal(size=(n, cols)).astype(np.float32)
            label = (x[:, 0] + x[:, 1] > 0).astype(np.float32)
            np.savetxt(f, np.column_stack([x, label]), fmt=["%.4f"] * cols + ["%d"], delimiter=",")


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    cols = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    from playground.engine.datasets.csv_table import load_csv, read_table, sniff_layout
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.csv"
        t0 = time.perf_counter()
        write_table(path, rows, cols)
        print(f"wrote {rows:,} x {cols + 1} columns ({path.stat().st_size / 2**20:,.0f} MiB) in "
              f"{time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        features, codes, words = read_table(path, sniff_layout(path))
        read = time.perf_counter() - t0
        print(f"numpy.loadtxt read: {read:.1f} s ({rows / read:,.0f} rows/s), features {features.shape} "
              f"{features.dtype}, {len(words)} label values")
        del features, codes
        t0 = time.perf_counter()
        d = load_csv(path)
        print(f"load_csv (read, checks, seeded split, standardise): {time.perf_counter() - t0:.1f} s; "
              f"{len(d.train_y):,} train / {len(d.test_y):,} test, classes {d.class_names}")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"peak resident memory: {peak:.2f} GiB")


if __name__ == "__main__":
    main()
