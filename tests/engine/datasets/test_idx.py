
import numpy as np
import pytest
import torch

from playground.engine.datasets import mnist_family
from playground.engine.datasets.idx import read_idx, write_idx
from playground.engine.errors import PlaygroundError


def test_real_mnist_test_files(shared_mnist):
    raw = shared_mnist / "MNIST" / "raw"
    x = read_idx(raw / "t10k-images-idx3-ubyte.gz")
    y = read_idx(raw / "t10k-labels-idx1-ubyte.gz")
    assert x.shape == (10000, 28, 28) and x.dtype == torch.uint8
    assert y.shape == (10000,) and int(y.max()) == 9
    assert y.bincount().tolist()[:3] == [980, 1135, 1032]


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_round_trip(tmp_path, suffix):
    data = np.random.default_rng(0).integers(0, 256, (7, 28, 28), dtype=np.uint8)
    path = tmp_path / f"x-idx3-ubyte{suffix}"
    write_idx(path, data)
    assert np.array_equal(read_idx(path).numpy(), data)


def test_truncated_file_names_the_file(tmp_path):
    path = tmp_path / "t10k-images-idx3-ubyte"
    write_idx(path, np.zeros((5, 28, 28), np.uint8))
    path.write_bytes(path.read_bytes()[:-100])
    with pytest.raises(PlaygroundError, match=r"t10k-images-idx3-ubyte is truncated"):
        read_idx(path)


def test_truncated_gzip_names_the_file(tmp_path):
    path = tmp_path / "train-labels-idx1-ubyte.gz"
    write_idx(path, np.zeros(1000, np.uint8))
    path.write_bytes(path.read_bytes()[:20])
    with pytest.raises(PlaygroundError, match="train-labels-idx1-ubyte.gz"):
        read_idx(path)


def test_wrong_magic(tmp_path):
    path = tmp_path / "bogus-idx3-ubyte"
    path.write_bytes(b"PK\x03\x04 definitely not idx")
    with pytest.raises(PlaygroundError, match="wrong magic"):
        read_idx(path)


def test_wrong_rank(tmp_path):
    path = tmp_path / "labels"
    write_idx(path, np.zeros((3, 28, 28), np.uint8))
    with pytest.raises(PlaygroundError, match="3 dimensions where 1"):
        read_idx(path, expect_ndim=1)


def _fake_mnist(root, n_train=60, n_test=20, gz=True):
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(1)
    s = ".gz" if gz else ""
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        if n:
            write_idx(raw / f"{prefix}-images-idx3-ubyte{s}", rng.integers(0, 256, (n, 28, 28), dtype=np.uint8))
            write_idx(raw / f"{prefix}-labels-idx1-ubyte{s}", rng.integers(0, 10, n, dtype=np.uint8))
    return raw


@pytest.mark.parametrize("gz", [True, False])
def test_torchvision_layout_is_found_from_root_or_raw_folder(tmp_path, gz):
    raw = _fake_mnist(tmp_path, gz=gz)
    for folder in (tmp_path, tmp_path / "MNIST", raw):
        d = mnist_family.load("mnist", folder, allow_download=False)
        assert d.train_x.shape == (60, 28, 28) and d.test_y.shape == (20,)


def test_a_folder_with_only_test_files_serves_evaluation(tmp_path):
    _fake_mnist(tmp_path, n_train=0)
    d = mnist_family.load("mnist", tmp_path, need_train=False, allow_download=False)
    assert d.train_x is None and d.test_x.shape == (20, 28, 28)
    with pytest.raises(PlaygroundError, match="train files were not found"):
        mnist_family.load("mnist", tmp_path, need_train=True, allow_download=False)


def test_missing_folder_while_offline_says_what_to_do(tmp_path, monkeypatch):
    def offline(*args, **kwargs):
        raise OSError("Temporary failure in name resolution")
    import urllib.request
    from playground.engine.datasets import downloads
    # downloads go through engine/datasets/downloads.py (torchvision's mirrors, no torchvision download call)
    monkeypatch.setattr(urllib.request, "urlopen", offline)
    with pytest.raises(PlaygroundError, match="offline.*--data-dir"):
        mnist_family.load("mnist", tmp_path / "nowhere", download=downloads.download)


def test_mismatched_counts_are_reported(tmp_path):
    raw = _fake_mnist(tmp_path)
    write_idx(raw / "t10k-labels-idx1-ubyte.gz", np.zeros(3, np.uint8))
    with pytest.raises(PlaygroundError, match="20 images but .* 3 labels"):
        mnist_family.load("mnist", tmp_path, allow_download=False)
