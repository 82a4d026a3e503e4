"""Which table library reads a large numeric CSV faster and in less memory: pandas or polars.

    python -m bench.table_read [--rows 1000000] [--cols 100] [--file /tmp/big.csv] [--app]

Writes ROWS x COLS random numbers plus a label column to FILE (kept, so a second run skips the writing;
keep it outside the project), then reads it once per reader, each in a fresh process so that each peak
resident memory is its own. Prints seconds and peak memory per reader:
- pandas (C engine), pandas (pyarrow engine), polars: the raw parse into a frame;
- with --app: the app's own `data` command path (read, type, fit the recipe) on the same file.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

READERS = ("pandas-c", "pandas-pyarrow", "polars", "app-describe")


def write_table(path: Path, rows: int, cols: int, chunk: int = 100_000) -> None:
    rng = np.random.default_rng(0)
    with path.open("w") as f:
        f.write(",".join([f"f{i}" for i in range(cols)] + ["label"]) + "\n")
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            x = rng.normal(size=(n, cols)).astype(np.float32)
            label = (x[:, 0] + x[:, 1] > 0).astype(np.float32)
            np.savetxt(f, np.column_stack([x, label]), fmt=["%.4f"] * cols + ["%d"], delimiter=",")


def read_once(reader: str, path: str) -> dict:
    """Runs in its own process: read the file, return seconds, shape and peak memory."""
    t0 = time.perf_counter()
    if reader == "pandas-c":
        import pandas as pd
        shape = pd.read_csv(path).shape
    elif reader == "pandas-pyarrow":
        import pandas as pd
        shape = pd.read_csv(path, engine="pyarrow").shape
    elif reader == "polars":
        import polars as pl
        shape = pl.read_csv(path).shape
    else:
        from playground.engine.datasets.tables import describe_table
        info = describe_table(path, label_column="label")
        shape = (info["rows"], len(info["columns"]))
    seconds = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    return {"reader": reader, "seconds": round(seconds, 2), "peak_gib": round(peak, 2), "shape": list(shape)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=1_000_000)
    p.add_argument("--cols", type=int, default=100)
    p.add_argument("--file", default="/tmp/table_read_bench.csv")
    p.add_argument("--app", action="store_true", help="also time the app's own describe (the data command)")
    p.add_argument("--child", nargs=2, metavar=("READER", "FILE"), help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.child:
        print(json.dumps(read_once(*args.child)))
        return
    path = Path(args.file)
    if not path.exists():
        t0 = time.perf_counter()
        write_table(path, args.rows, args.cols)
        print(f"wrote {path} ({path.stat().st_size / 2**20:,.0f} MiB) in {time.perf_counter() - t0:.1f} s")
    print(f"{path}: {path.stat().st_size / 2**20:,.0f} MiB")
    readers = READERS if args.app else READERS[:-1]
    for reader in readers:
        out = subprocess.run([sys.executable, "-m", "bench.table_read", "--child", reader, str(path)], capture_output=True,
                             text=True, cwd=Path(__file__).resolve().parent.parent)
        if out.returncode:
            print(f"{reader:15s} failed: {out.stderr.strip().splitlines()[-1]}")
            continue
        r = json.loads(out.stdout)
        print(f"{reader:15s} {r['seconds']:7.2f} s   peak {r['peak_gib']:.2f} GiB   shape {tuple(r['shape'])}")


if __name__ == "__main__":
    main()
