import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image

from playground.engine.config import TrainConfig
from playground.engine.datasets import load_dataset
from playground.engine.datasets.image_folder import load_folder, read_folder
from playground.engine.errors import PlaygroundError


def _blob(size: int, dark_on_light: bool, rng) -> np.ndarray:
    """A horizontal bar somewhere in a size x size picture."""
    img = np.zeros((size, size), np.uint8)
    top, left = rng.integers(0, size // 2, 2)
    img[top:top + size // 8, left:left + size // 2] = 255
    return 255 - img if dark_on_light else img


def _folder(tmp_path, per_class=6, size=40):
    rng = np.random.default_rng(0)
    root = tmp_path / "shapes"
    for name in ("a", "b"):
        (root / name).mkdir(parents=True)
        for i in range(per_class):
            img = _blob(size, dark_on_light=i % 2 == 0, rng=rng)
            if name == "b":   # a vertical bar
                img = np.ascontiguousarray(img.T)
            Image.fromarray(img).save(root / name / f"{i}.png")
    return root


def test_class_folders_become_classes_and_images_are_normalised(data_home, tmp_path):
    root = _folder(tmp_path)
    (root / "a" / "readme.txt").write_text("not an image")
    d = load_folder(root, seed=1, train_fraction=0.5)
    assert d.class_names == ["a", "b"] and d.kind == "image" and d.skipped_files == 1
    assert d.test_x.shape[1:] == (28, 28) and d.test_x.dtype == torch.uint8
    assert len(d.train_y) + len(d.test_y) == 12
    # light backgrounds are inverted: the ink is bright and the border dark, as in MNIST
    assert d.train_x[:, 0, :].float().mean() < 10 and d.train_x.float().mean() > 10
    resized = load_folder(root, fit="resize", seed=1, train_fraction=0.5)
    assert not torch.equal(resized.train_x, d.train_x)


def test_the_cache_is_used_and_invalidated_when_the_folder_changes(data_home, tmp_path):
    root = _folder(tmp_path)
    images, labels, _, _ = read_folder(root)
    assert len(list((data_home / "cache" / "folders").glob("*.npz"))) == 1
    again, _, _, _ = read_folder(root)
    assert torch.equal(images, again)
    Image.fromarray(np.zeros((10, 10), np.uint8)).save(root / "b" / "new.png")
    more, labels, _, _ = read_folder(root)
    assert len(more) == len(images) + 1


def _png_header_only(path, width, height):
    """A PNG that declares width x height pixels but holds almost no data (a decompression bomb's header)."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 100))
                     + chunk(b"IEND", b""))


def test_bad_folders_are_refused_in_one_line(data_home, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(PlaygroundError, match="no class folders"):
        load_folder(empty)
    root = _folder(tmp_path)
    (root / "c").mkdir()
    (root / "c" / "notes.txt").write_text("x")
    with pytest.raises(PlaygroundError, match="class folder 'c' .* holds no images"):
        load_folder(root)
    (root / "c" / "notes.txt").unlink()
    (root / "c").rmdir()
    good = root / "a" / "0.png"
    (root / "a" / "cut.png").write_bytes(good.read_bytes()[:60])
    with pytest.raises(PlaygroundError, match="cut.png is a damaged image"):
        load_folder(root, use_cache=False)
    (root / "a" / "cut.png").unlink()
    _png_header_only(root / "b" / "bomb.png", 30000, 30000)
    with pytest.raises(PlaygroundError, match="bomb.png .*decompression bomb") as info:
        load_folder(root, use_cache=False)
    assert "\n" not in str(info.value)
    with pytest.raises(PlaygroundError, match="no such folder"):
        load_folder(tmp_path / "missing")


def test_a_folder_trains_through_the_config(data_home, tmp_path):
    from playground.engine.train.training import Trainer
    root = _folder(tmp_path, per_class=40)
    config = TrainConfig(dataset=f"folder:{root}", hidden=(32,), epochs=15, device="cpu", augment=False,
                         dropout=(0.0,))
    assert load_dataset(config).n_classes == 2
    trainer = Trainer(config)
    list(trainer.run())
    assert trainer.history[-1].test_accuracy >= 0.9
