"""How much a weight snapshot costs the training thread.

Trains the window's default network on the built-in digits headless, first alone and then while another
thread asks the app model's WeightSource for a snapshot as fast as it can (the source copies at most
MAX_HZ times a second while the weights change) or, with --hz, at a given rate with no limit.
The two conditions alternate in --rounds rounds. Prints how long each copy held the weights lock (median and max) and the median step time both ways.

Usage: python -m bench.weight_snapshot [--steps 300] [--hz 0 (the source's own limit)] [--dataset ...]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path


from playground.engine.config import TrainConfig  # noqa: E402
from playground.engine.datasets import load_dataset  # noqa: E402
from playground.engine.inspect.snapshot import MAX_HZ, ModelFacts, WeightSource  # noqa: E402
from playground.engine.train.training import Trainer  # noqa: E402


def step_times(trainer: Trainer, steps: int) -> list[float]:
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        trainer.step()
        times.append(time.perf_counter() - t0)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--hz", type=float, default=0.0, help="copies a second without the source's limit")
    parser.add_argument("--dataset", default="synthetic-digits")
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the two conditions")
    args = parser.parse_args()
    config = TrainConfig(dataset=args.dataset, epochs=100, device="cpu", augment=False)
    dataset = load_dataset(config)
    trainer = Trainer(config, dataset)
    d = trainer.dataset
    facts = ModelFacts(config, d.kind, tuple(d.class_names), tuple(d.test_x.shape[1:]), d.n_inputs)
    source = WeightSource(trainer.model, facts, trainer.weights_lock, lambda: trainer.weights_version)
    step_times(trainer, 20)   # warm up
    stop = threading.Event()
    watching = threading.Event()
    held: list[float] = []
    versions: set[int] = set()

    def reader() -> None:
        while not stop.is_set():
            if watching.wait(0.01):
                snapshot = source.snapshot(limit_rate=args.hz <= 0)
                if snapshot.version not in versions:
                    versions.add(snapshot.version)
                    held.append(source.lock_seconds)
                time.sleep(1 / args.hz if args.hz > 0 else 0.005)

    thread = threading.Thread(target=reader)
    thread.start()
    # this machine's speed drifts, so the two conditions alternate in rounds
    alone: list[float] = []
    watched: list[float] = []
    seconds = 0.0
    for _ in range(args.rounds):
        alone += step_times(trainer, args.steps // args.rounds)
        watching.set()
        start = time.perf_counter()
        watched += step_times(trainer, args.steps // args.rounds)
        seconds += time.perf_counter() - start
        watching.clear()
    stop.set()
    thread.join()
    n_params = sum(p.numel() for p in trainer.model.parameters())
    rate = f"{args.hz:g}/s asked, no limit" if args.hz > 0 else f"limit {MAX_HZ:g}/s"
    print(f"model {'-'.join(map(str, [d.n_inputs, *config.hidden, d.n_classes]))} ({n_params:,} parameters), "
          f"batch {config.batch_size}, {args.steps} steps each way")
    print(f"copies: {len(held)} in {seconds:.1f} s of watched steps ({rate}); lock held per copy: median "
          f"{statistics.median(held) * 1e3:.3f} ms, max {max(held) * 1e3:.3f} ms")
    print(f"median step time: alone {statistics.median(alone) * 1e3:.2f} ms, with snapshots "
          f"{statistics.median(watched) * 1e3:.2f} ms (ratio {statistics.median(watched) / statistics.median(alone):.3f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
