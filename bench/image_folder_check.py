"""Done-when check for `--dataset folder:DIR`: a folder of 28x28 digit PNGs in 10 class folders, made in a
temporary folder from the real MNIST test digits in ../shared/data (never committed), trained from the CLI.

    python -m bench.image_folder_check [IMAGES] [EPOCHS]      (default 3000 images, 5 epochs)

Prints the time of the first read (PIL, normalised like drawings) and of the cached read, and the test
accuracy of the CLI run.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

from playground.engine.datasets.idx import read_idx

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "MNIST" / "raw"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    epochs = sys.argv[2] if len(sys.argv) > 2 else "5"
    images = read_idx(SHARED / "t10k-images-idx3-ubyte.gz").numpy()
    labels = read_idx(SHARED / "t10k-labels-idx1-ubyte.gz").numpy()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "digits"
        for i in range(count):
            (root / str(labels[i])).mkdir(parents=True, exist_ok=True)
            # saved as people save digits: dark ink on white paper
            Image.fromarray(255 - images[i]).save(root / str(labels[i]) / f"{i}.png")
        (root / "0" / "notes.txt").write_text("not an image: skipped and counted")
        env = dict(os.environ, MLP_PLAYGROUND_DATA=str(Path(folder) / "data"))
        from playground.engine.datasets.image_folder import read_folder
        os.environ["MLP_PLAYGROUND_DATA"] = env["MLP_PLAYGROUND_DATA"]
        t0 = time.perf_counter()
        read_folder(root)
        first = time.perf_counter() - t0
        t0 = time.perf_counter()
        read_folder(root)
        print(f"{count} PNGs: first read {first:.1f} s, cached read {time.perf_counter() - t0:.2f} s")
        args = ["--dataset", f"folder:{root}", "--epochs", epochs, "--hidden", "128", "--device", "cpu", "--json"]
        out = subprocess.run([sys.executable, "-m", "playground", "train", *args], capture_output=True, text=True,
                             env=env)
        if out.returncode:
            raise SystemExit(out.stderr)
        last = json.loads(out.stdout.splitlines()[-1])
        print("$ mlp-playground train " + " ".join(args))
        print(f"test accuracy after {last['epoch']} epochs: {last['test_accuracy']:.4f} (target >= 0.80)")


if __name__ == "__main__":
    main()
