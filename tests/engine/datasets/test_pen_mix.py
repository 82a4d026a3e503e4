"""Real pen digits mixed into MNIST's training split: on by default for MNIST, the test split untouched."""
import pytest
import torch

from playground.cli import main
from playground.engine.config import TrainConfig
from playground.engine.datasets import dataset_key, load_dataset, pen_mix
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.idx import write_idx
from playground.engine.errors import PlaygroundError


@pytest.fixture
def few_pen(monkeypatch):
    """Mix in as few pen digits as the split's own size (renders in a blink)."""
    monkeypatch.setattr(pen_mix, "MIN_PEN_DIGITS", 0)
    pen_mix.rendered.cache_clear()
    yield
    pen_mix.rendered.cache_clear()


def _tiny_mnist(root, n_train=60, n_test=20):
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    g = torch.Generator().manual_seed(0)
    for prefix, n in (("train", n_train), ("t10k", n_test)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", torch.randint(0, 256, (n, 28, 28), generator=g,
                                                                    dtype=torch.uint8).numpy())
        write_idx(raw / f"{prefix}-labels-idx1-ubyte", (torch.arange(n) % 10).to(torch.uint8).numpy())
    return root


def test_on_by_default_for_mnist_only_and_follows_the_dataset():
    assert TrainConfig(dataset="mnist").mix_pen_digits is True
    for name in ("synthetic-digits", "fashion-mnist", "kmnist", "moons"):
        assert TrainConfig(dataset=name).mix_pen_digits is False
    assert TrainConfig(dataset="mnist").replace(dataset="fashion-mnist").mix_pen_digits is False
    assert TrainConfig(dataset="fashion-mnist").replace(dataset="mnist").mix_pen_digits is True
    # a choice of its own is kept while the dataset stays one it applies to
    assert TrainConfig(dataset="mnist", mix_pen_digits=False).replace(lr=0.1).mix_pen_digits is False


def test_refused_outside_mnist():
    with pytest.raises(PlaygroundError, match="mnist only"):
        TrainConfig(dataset="kmnist", mix_pen_digits=True)


def test_old_configs_without_the_field_load_with_the_default():
    data = TrainConfig(dataset="mnist").to_dict()
    del data["mix_pen_digits"]
    assert TrainConfig.from_dict(data).mix_pen_digits is True


def test_mix_adds_labelled_pen_digits_to_the_training_split_only(few_pen):
    train_x = torch.zeros(40, 28, 28, dtype=torch.uint8)
    train_y = torch.arange(40) % 10
    test_x, test_y = torch.full((10, 28, 28), 7, dtype=torch.uint8), torch.arange(10)
    mixed = pen_mix.mix_into(Dataset("mnist", "image", train_x, train_y, test_x, test_y, [str(i) for i in range(10)]))
    assert len(mixed.train_y) == 80 and mixed.train_x.dtype == torch.uint8
    assert mixed.test_x is test_x and mixed.test_y is test_y
    pen = mixed.train_x.flatten(1).amax(1) > 0            # the added digits have ink; MNIST's here are blank
    assert int(pen.sum()) == 40
    assert sorted(mixed.train_y[pen].unique().tolist()) == list(range(10))
    assert any("real pen digits" in n for n in mixed.notes)
    again = pen_mix.mix_into(Dataset("mnist", "image", train_x, train_y, test_x, test_y, mixed.class_names))
    assert torch.equal(again.train_x, mixed.train_x) and torch.equal(again.train_y, mixed.train_y)


def test_at_least_min_pen_digits_and_as_many_as_the_split():
    assert pen_mix.pen_count(10) == pen_mix.MIN_PEN_DIGITS
    assert pen_mix.pen_count(60_000) == 60_000


def test_load_dataset_mixes_by_default_and_the_cache_key_tells_them_apart(tmp_path, few_pen):
    root = _tiny_mnist(tmp_path)
    on = TrainConfig(dataset="mnist", data_dir=str(root))
    off = on.replace(mix_pen_digits=False)
    assert len(load_dataset(on, allow_download=False).train_y) == 120
    plain = load_dataset(off, allow_download=False)
    assert len(plain.train_y) == 60 and len(plain.test_y) == 20
    assert dataset_key(on) != dataset_key(off)
    assert load_dataset(on, need_train=False, allow_download=False).train_y is None


def test_cli_flag_and_a_clear_refusal(tmp_path, capsys, few_pen):
    root = _tiny_mnist(tmp_path)
    common = ["train", "--dataset", "mnist", "--data-dir", str(root), "--epochs", "1", "--hidden", "8", "--json",
              "--no-record", "--device", "cpu"]
    assert main([*common, "--no-mix-pen-digits"]) == 0
    assert main(["train", "--dataset", "kmnist", "--mix-pen-digits", "--epochs", "1"]) == 1
    err = capsys.readouterr().err
    assert "mnist only" in err and "Traceback" not in err


def test_exported_script_says_it_trains_on_mnist_alone():
    from playground.engine.export.script_export import settings
    assert "trains on MNIST alone" in settings(TrainConfig(dataset="mnist"), None)
    assert "pen digits" not in settings(TrainConfig(dataset="mnist", mix_pen_digits=False), None)
