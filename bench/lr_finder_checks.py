"""The learning-rate finder's suggestions on moons and the built-in digits, and how well they train, printed.

    MLP_PLAYGROUND_DATA=/tmp/some-data python -m bench.lr_finder_checks

1. lr-find on moons with SGD (the CLI defaults otherwise), then a 20-epoch SGD run at the suggestion.
2. lr-find on the full built-in digits (120,000) with Adam (the defaults): the suggested rate.
"""
from __future__ import annotations

import time

from playground.engine.config import TrainConfig
from playground.engine.train.lr_finder import find_lr
from playground.engine.train.records import EpochRecord
from playground.engine.train.training import Trainer


def main() -> None:
    for seed in (0, 1, 2):
        config = TrainConfig(dataset="moons", optimizer="sgd", device="cpu", seed=seed)
        t0 = time.perf_counter()
        finding = find_lr(config)
        took = time.perf_counter() - t0
        trainer = Trainer(config.replace(lr=finding.suggested_lr, epochs=20))
        accuracy = [r.test_accuracy for r in trainer.run() if isinstance(r, EpochRecord)][-1]
        print(f"moons sgd seed {seed}: suggested {finding.suggested_lr:.3g} ({finding.method}, {len(finding.lrs)} "
              f"steps, {took:.1f} s); 20-epoch SGD test accuracy {accuracy:.4f}", flush=True)
    config = TrainConfig(device="cpu")
    t0 = time.perf_counter()
    finding = find_lr(config)
    print(f"built-in digits adam: suggested {finding.suggested_lr:.3g} ({finding.method}, {len(finding.lrs)} steps, "
          f"{time.perf_counter() - t0:.1f} s incl. loading)")
    print(finding.explanation)


if __name__ == "__main__":
    main()
