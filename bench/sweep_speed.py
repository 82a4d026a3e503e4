"""A sweep's speed (target: K = 8 within 4x one train process): K learning rates of the default digits network
for 1 epoch, as one whole `mlp-playground sweep` process, against one whole `mlp-playground train --epochs 1` process.

Target: the 8-value sweep takes at most 4x the one train process (aim 2x; one process per value would
take about 8x). Each process is timed from start to exit (start-up, data loading, evaluation included)
and its peak resident memory is read from the operating system; K = 2, 4, 8 and 16 by default. Then, in
this process, the memory the stacked networks hold (parameters, gradients, optimizer state) for each K,
which should grow by one network's worth per configuration.

Usage: python -m bench.sweep_speed [--ks 2,4,8,16] [--repeats 1] [--device cpu|cuda] [-- extra train options]
       python -m bench.sweep_speed --small      (moons and a small network: checks that the script runs)
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SMALL = ["--dataset", "moons", "--hidden", "16,16", "--batch-size", "32"]


def learning_rates(k: int) -> str:
    """k log-spaced rates from 1e-4 to 1e-1 (the dialog's preset)."""
    if k == 1:
        return "0.001"
    return ",".join(f"{10 ** (-4 + 3 * i / (k - 1)):.3g}" for i in range(k))


def run_process(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MiB of one whole CLI process."""
    cmd = [sys.executable, "-m", "playground", *args]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")
    return seconds, usage.ru_maxrss / 1024


def stacked_memory(options: list[str], ks: list[int]) -> list[tuple[int, float]]:
    """MiB of parameters + gradients + optimizer state the stacked networks hold, per K (no training)."""
    import torch
    from playground.cli import build_parser
    from playground.cli_config import config_from_args
    from playground.engine.datasets import load_dataset
    from playground.engine.devices import resolve_device
    from playground.engine.train.sweep_batch import BatchedTrainer
    args = build_parser().parse_args(["sweep", "--param", "lr", "--values", "1", *options])
    base = config_from_args(args)
    data = load_dataset(base)
    out = []
    for k in ks:
        configs = [base.replace(lr=float(v)) for v in learning_rates(k).split(",")]
        trainer = BatchedTrainer(configs, [data] * k, resolve_device(base.device))
        for stream in trainer.streams:
            stream.new_epoch()
        trainer._train_step(0)     # gradients and optimizer state exist after one step
        out.append((k, trainer.memory_bytes() / 2**20))
        del trainer
        if torch.cuda.is_available():
            torch.cuda.empty_cache()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ks", default="2,4,8,16")
    parser.add_argument("--repeats", type=int, default=1, help="time each process this many times (median)")
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--small", action="store_true", help="moons and a small network")
    parser.add_argument("extra", nargs="*", help="more train options, after --")
    opts = parser.parse_args()
    ks = [int(k) for k in opts.ks.split(",")]
    options = [*(SMALL if opts.small else []), "--device", opts.device, *opts.extra]
    train_args = ["train", "--epochs", "1", "--lr", "0.001", *options]

    def median_run(args: list[str]) -> tuple[float, float]:
        runs = sorted(run_process(args) for _ in range(opts.repeats))
        return runs[len(runs) // 2]

    what = "moons, 16-16 (--small)" if opts.small else "the default digits network"
    print(f"sweep of K learning rates, 1 epoch, {what}, device {opts.device}, median of {opts.repeats}")
    one, one_mem = median_run(train_args)
    print(f"one train --epochs 1 process: {one:.1f} s, peak {one_mem:.0f} MiB")
    print(f"{'K':>3} {'sweep s':>8} {'x train':>8} {'K x train':>9} {'peak MiB':>9} {'+MiB':>7}")
    for k in ks:
        seconds, mem = median_run(["sweep", "--epochs", "1", "--param", "lr", "--values", learning_rates(k),
                                   *options])
        print(f"{k:3d} {seconds:8.1f} {seconds / one:8.2f} {k:9d} {mem:9.0f} {mem - one_mem:7.0f}", flush=True)
    print("stacked networks (parameters + gradients + optimizer state):")
    for k, mib in stacked_memory(options, ks):
        print(f"  K={k:2d}: {mib:8.2f} MiB ({mib / k:.2f} MiB per network)")


if __name__ == "__main__":
    main()
