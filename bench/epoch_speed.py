"""Speed of one MNIST-sized epoch of the playground's loop against the classic DataLoader loop (target: <= 1/8).

Both sides train 784-200-200-10 ReLU with SGD lr 0.01, batch 200, on 60,000 28x28 images read from
the same torchvision-layout folder. The seeds' side is the classic loop: torchvision.datasets.MNIST
with ToTensor+Normalize through a DataLoader. Ours is `playground.engine.train.training.Trainer`.
The 60,000 images are the real MNIST test set from ../shared/data repeated six times (or generated
digits when that folder is absent), written to a temporary folder and deleted afterwards.

Usage: python -m bench.epoch_speed [--epochs 3] [--seeds-epochs 1]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

ROOT = Path(__file__).resolve().parents[1]

from playground.engine.config import TrainConfig  # noqa: E402
from playground.engine.datasets.idx import read_idx, write_idx  # noqa: E402
from playground.engine.train.records import EpochRecord  # noqa: E402
from playground.engine.train.training import Trainer  # noqa: E402

SHARED = ROOT.parent / "shared" / "data" / "MNIST" / "raw"


def make_folder(root: Path) -> str:
    if (SHARED / "t10k-images-idx3-ubyte.gz").exists():
        x = read_idx(SHARED / "t10k-images-idx3-ubyte.gz")
        y = read_idx(SHARED / "t10k-labels-idx1-ubyte.gz")
        source = "real MNIST test set x6"
    else:
        from playground.engine.datasets.synthetic_digits import generate
        x, y = generate(10_000, 0)
        source = "generated digits x6"
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    write_idx(raw / "train-images-idx3-ubyte", x.repeat(6, 1, 1).numpy())
    write_idx(raw / "train-labels-idx1-ubyte", y.repeat(6).numpy())
    write_idx(raw / "t10k-images-idx3-ubyte", x.numpy())
    write_idx(raw / "t10k-labels-idx1-ubyte", y.numpy())
    return source


def seeds_epoch(root: Path) -> float:
    """The seeds' loop, as the tutorials write it."""
    from torch import nn
    from torch.utils.data import DataLoader
    from torchvision import datasets, transforms

    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train = datasets.MNIST(str(root), train=True, download=False, transform=tf)
    loader = DataLoader(train, batch_size=200, shuffle=True)
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 200), nn.ReLU(), nn.Linear(200, 200), nn.ReLU(),
                          nn.Linear(200, 10))
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    t0 = time.perf_counter()
    for x, y in loader:
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
    return time.perf_counter() - t0


def our_epochs(root: Path, epochs: int) -> list[float]:
    config = TrainConfig(dataset="mnist", data_dir=str(root), hidden=(200, 200), activation="relu",
                         init="default", dropout=(0.0,), optimizer="sgd", lr=0.01, batch_size=200,
                         epochs=epochs, device="cpu", augment=False)
    trainer = Trainer(config)
    return [r.seconds for r in trainer.run() if isinstance(r, EpochRecord)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--seeds-epochs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        source = make_folder(root)
        print(f"data: {source}; torch {torch.__version__}, {torch.get_num_threads()} threads")
        ours = our_epochs(root, args.epochs)
        seeds = [seeds_epoch(root) for _ in range(args.seeds_epochs)]
    ours_s, seeds_s = statistics.median(ours), statistics.median(seeds)
    print(f"seeds' DataLoader loop: {', '.join(f'{s:.2f}' for s in seeds)} s/epoch (median {seeds_s:.2f})")
    print(f"playground Trainer:     {', '.join(f'{s:.2f}' for s in ours)} s/epoch (median {ours_s:.2f})")
    print(f"ratio ours/seeds: {ours_s / seeds_s:.3f} (target <= 0.125, aim 0.083); speed-up {seeds_s / ours_s:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
