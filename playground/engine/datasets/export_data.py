"""`mlp-playground export-data synthetic-digits DIR`: the built-in digits as MNIST-layout IDX files.

The files go to DIR/SyntheticDigits/raw/{train,t10k}-{images-idx3,labels-idx1}-ubyte, uncompressed, the
layout torchvision leaves after a download, so an exported script (or any MNIST loader pointed at the
folder) reads them with a few lines of torch.
"""
from __future__ import annotations

from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.datasets.idx import read_idx, write_idx

SYNTHETIC_FOLDER = "SyntheticDigits"
EXPORTABLE = ("synthetic-digits",)
_FILES = {("train", "x"): "train-images-idx3-ubyte", ("train", "y"): "train-labels-idx1-ubyte",
          ("test", "x"): "t10k-images-idx3-ubyte", ("test", "y"): "t10k-labels-idx1-ubyte"}


def raw_folder(root: str | Path) -> Path:
    return Path(root).expanduser() / SYNTHETIC_FOLDER / "raw"


def export_synthetic_digits(root: str | Path, seed: int = 0, dataset=None) -> list[Path]:
    """Write the built-in digits of `seed` (the config's seed: each seed has its own digits) as IDX files;
    returns the paths written. Each file is read back and compared, so a bad disk is reported here."""
    raw = raw_folder(root)
    try:   # before the digits are made: a folder that cannot be written fails at once
        raw.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaygroundError(f"cannot write the digits to {raw}: {exc.strerror or exc}") from None
    if dataset is None:
        from playground.engine.datasets.builtin_digits import load
        dataset = load(seed=seed)
    arrays = {("train", "x"): dataset.train_x, ("train", "y"): dataset.train_y,
              ("test", "x"): dataset.test_x, ("test", "y"): dataset.test_y}
    written = []
    try:
        for key, name in _FILES.items():
            path = raw / name
            tensor = arrays[key]
            if int(tensor.min()) < 0 or int(tensor.max()) > 255:
                raise PlaygroundError(f"{name}: values outside 0-255 cannot be written as IDX uint8")
            write_idx(path, tensor.to("cpu").numpy().astype("uint8"))
            back = read_idx(path)
            if not back.equal(tensor.to("cpu").to(back.dtype)):
                raise PlaygroundError(f"{path} did not read back as written")
            written.append(path)
    except OSError as exc:
        raise PlaygroundError(f"cannot write the digits to {raw}: {exc.strerror or exc}") from None
    return written
