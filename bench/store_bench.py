"""The run store at scale, and what recording costs a training run.

    python -m bench.store_bench [--runs 2000] [--epochs 20] [--dataset NAME] [--train-epochs N]

1. Fills a temporary store with RUNS runs of EPOCHS epochs each (through the store's own write path, with
   fsync switched off for the fill only) and prints its size.
2. Times `mlp-playground runs list` and `runs list --json` as the user runs them (a fresh process each,
   median of 3), and in-process: opening the store (integrity check, interrupted-run scan), list_runs, and
   the window's load at launch (AppModel.load_stored_runs: every run, its epochs and batch-loss curve).
3. Trains the default run (the CLI defaults; --dataset/--train-epochs to change) twice from the same seed,
   without and with recording, and prints both wall times and the time spent inside the recorder as a
   share of the training time (the honest figure: two runs' wall times differ by more than 2 % on their own).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def fill(folder: Path, runs: int, epochs: int) -> None:
    from playground.engine.config import TrainConfig
    from playground.engine.runs.store import RunStore
    from playground.engine.train.records import EpochRecord
    store = RunStore.open(folder)
    store._con.execute("PRAGMA synchronous = OFF")   # the fill only: recording keeps SQLite's default
    rng = np.random.default_rng(0)
    config = TrainConfig(dataset="moons", hidden=(16, 16), epochs=epochs)
    t0 = time.perf_counter()
    for i in range(runs):
        run_id = store.create_run(config.replace(lr=float(10 ** rng.uniform(-4, -1))), f"run {i + 1}",
                                  dataset_kind="points", n_inputs=2, class_names=["0", "1"], device="cpu",
                                  architecture="2-16-16-2")
        for epoch in range(1, epochs + 1):
            acc = float(min(0.99, 0.5 + 0.02 * epoch + rng.normal(0, 0.01)))
            record = EpochRecord(epoch, 1 / epoch, acc, 1.1 / epoch, acc - 0.01, 0.05, step=16 * epoch)
            points = np.column_stack([epoch - 1 + np.linspace(0, 1, 50), rng.random(50)])
            store.append_epoch(run_id, record, None, points)
        store.finish_run(run_id, "finished")
    print(f"filled {runs:,} runs x {epochs} epochs in {time.perf_counter() - t0:.1f} s; "
          f"store {store.size_on_disk() / 2**20:.1f} MiB")
    store.close()


def time_cli(folder: Path, *argv: str, repeat: int = 3) -> float:
    env = dict(os.environ, MLP_PLAYGROUND_DATA=str(folder), PYTHONPATH=str(ROOT))
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "playground", *argv], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def time_in_process(folder: Path) -> None:
    from playground.engine.app_model import AppModel
    from playground.engine.config import TrainConfig
    from playground.engine.runs.store import RunStore
    t0 = time.perf_counter()
    store = RunStore.open(folder)
    t1 = time.perf_counter()
    runs = store.list_runs()
    t2 = time.perf_counter()
    model = AppModel(TrainConfig(), store=store)
    model.load_stored_runs()
    t3 = time.perf_counter()
    print(f"in process: open {t1 - t0:.3f} s, list_runs ({len(runs):,}) {t2 - t1:.3f} s, "
          f"load at launch ({len(model.runs.runs):,} runs into RunHistory) {t3 - t2:.3f} s")


def recording_cost(dataset: str | None, epochs: int | None) -> None:
    from playground.engine.config import TrainConfig
    from playground.engine.runs.recorder import Recorder, trainer_model_bytes
    from playground.engine.runs.store import RunStore
    from playground.engine.train.training import Trainer
    config = TrainConfig()
    config = config.replace(**{k: v for k, v in (("dataset", dataset), ("epochs", epochs)) if v is not None})
    for _ in Trainer(config.replace(epochs=1)).run():   # load (and cache) the data, warm up torch: not timed
        pass
    t0 = time.perf_counter()
    for _ in Trainer(config).run():
        pass
    plain = time.perf_counter() - t0

    spent = [0.0]

    class TimedRecorder(Recorder):
        def record(self, record):
            s = time.perf_counter()
            super().record(record)
            spent[0] += time.perf_counter() - s

    with tempfile.TemporaryDirectory() as folder:
        store = RunStore.open(folder)
        t0 = time.perf_counter()
        trainer = Trainer(config)
        recorder = TimedRecorder(store, trainer_model_bytes(trainer))
        s = time.perf_counter()
        recorder.start_trainer(trainer)
        spent[0] += time.perf_counter() - s
        for _ in recorder.watch(trainer.run()):
            pass
        recorded = time.perf_counter() - t0
        store.close()
    print(f"default run ({config.dataset}, {config.epochs} epochs, hidden {config.hidden}): "
          f"{plain:.2f} s without recording, {recorded:.2f} s with; inside the recorder {spent[0]:.3f} s = "
          f"{100 * spent[0] / recorded:.2f} % of the recorded run")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--dataset", help="the recorded run's dataset (default: the CLI default)")
    parser.add_argument("--train-epochs", type=int, help="the recorded run's epochs (default: the CLI default)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        fill(folder, args.runs, args.epochs)
        print(f"runs list: {time_cli(folder, 'runs', 'list'):.3f} s; runs list --json: "
              f"{time_cli(folder, 'runs', 'list', '--json'):.3f} s (median of 3, a fresh process each)")
        time_in_process(folder)
    recording_cost(args.dataset, args.train_epochs)


if __name__ == "__main__":
    main()
