"""MNIST, Fashion-MNIST and KMNIST: found in (or downloaded by torchvision into) ROOT/<Name>/raw/."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import torch

from playground.engine.errors import PlaygroundError
from playground.engine.files import user_data_dir
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.idx import read_idx

# the one table of the downloadable sets: ROOT/<folder>/raw/, and torchvision.datasets.<folder> (its mirrors and
# checksums, downloads.py)
FOLDERS = {"mnist": "MNIST", "fashion-mnist": "FashionMNIST", "kmnist": "KMNIST"}
CLASS_NAMES = {
    "mnist": [str(i) for i in range(10)],
    "fashion-mnist": ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                      "Sneaker", "Bag", "Ankle boot"],
    "kmnist": ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"],
}
_PREFIX = {"train": "train", "test": "t10k"}


def raw_folder_candidates(name: str, root: Path) -> list[Path]:
    """Accept ROOT (torchvision's root), ROOT/<Name> or the raw folder itself."""
    folder = FOLDERS[name]
    return [root / folder / "raw", root / "raw", root]


def _find(raw: Path, split: str, what: str) -> Path | None:
    stem = f"{_PREFIX[split]}-{what}-idx{3 if what == 'images' else 1}-ubyte"
    for candidate in (raw / stem, raw / f"{stem}.gz"):
        if candidate.is_file():
            return candidate
    return None


def find_split(name: str, root: Path, split: str) -> tuple[Path, Path] | None:
    for raw in raw_folder_candidates(name, root):
        images, labels = _find(raw, split, "images"), _find(raw, split, "labels")
        if images and labels:
            return images, labels
    return None


def is_available(name: str, data_dir: str | Path | None = None) -> bool:
    root = Path(data_dir) if data_dir else user_data_dir()
    return all(find_split(name, root, s) for s in ("train", "test"))


def _read_split(name: str, images: Path, labels: Path) -> tuple[torch.Tensor, torch.Tensor]:
    x = read_idx(images, expect_ndim=3)
    y = read_idx(labels, expect_ndim=1)
    if x.shape[0] != y.shape[0]:
        raise PlaygroundError(f"{images} holds {x.shape[0]} images but {labels} holds {y.shape[0]} labels")
    if tuple(x.shape[1:]) != (28, 28):
        raise PlaygroundError(f"{images} holds {tuple(x.shape[1:])} images, not 28x28")
    if y.numel() and int(y.max()) >= len(CLASS_NAMES[name]):
        raise PlaygroundError(f"{labels} holds label {int(y.max())}, outside 0-9")
    return x.to(torch.uint8), y.long()


def load(name: str, data_dir: str | Path | None = None, need_train: bool = True,
         allow_download: bool = True, download: Callable[[str, Path], None] | None = None) -> Dataset:
    """The set from disk; missing files are fetched with `download(name, root)` when allowed (the catalog
    passes `downloads.download`: torchvision's mirrors and checksums, into ROOT/<Name>/raw/)."""
    root = Path(data_dir).expanduser() if data_dir else user_data_dir()
    folder = FOLDERS[name]
    if data_dir and not root.exists() and not allow_download:
        raise PlaygroundError(f"data folder {root} does not exist")
    splits = {s: find_split(name, root, s) for s in ("train", "test")}
    missing = [s for s in ("train", "test") if splits[s] is None and (s == "test" or need_train)]
    if missing and allow_download and download is not None:
        download(name, root)
        splits = {s: find_split(name, root, s) for s in ("train", "test")}
        missing = [s for s in missing if splits[s] is None]
    if missing:
        raise PlaygroundError(
            f"{folder} {' and '.join(missing)} files were not found under {root} "
            f"(looked for {folder}/raw/*-ubyte[.gz]); download them or pass --data-dir")
    train_x = train_y = None
    if need_train:
        train_x, train_y = _read_split(name, *splits["train"])
    test_x, test_y = _read_split(name, *splits["test"])
    return Dataset(name, "image", train_x, train_y, test_x, test_y, CLASS_NAMES[name])
