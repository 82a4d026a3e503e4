import numpy as np
import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets import load_dataset
from playground.engine.datasets.csv_table import load_csv, sniff, to_csv_text
from playground.engine.errors import PlaygroundError


def _write(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


def test_header_words_become_class_names_and_features_are_standardised(tmp_path):
    rng = np.random.default_rng(0)
    x = rng.normal(5, 3, size=(200, 3))
    labels = np.where(x[:, 0] > 5, "big", "small")
    path = _write(tmp_path, to_csv_text(x, labels, ["a", "b", "c", "size"]))
    d = load_csv(path, seed=1, train_fraction=0.75)
    assert d.class_names == ["big", "small"] and d.kind == "table" and d.feature_names == ["a", "b", "c"]
    assert len(d.train_y) == 150 and len(d.test_y) == 50
    assert torch.allclose(d.train_x.mean(0), torch.zeros(3), atol=1e-5)
    assert torch.allclose(d.train_x.std(0), torch.ones(3), atol=1e-4)
    assert torch.equal(load_csv(path, seed=1, train_fraction=0.75).test_x, d.test_x)   # seeded split


def test_no_header_label_column_by_index_and_name(tmp_path):
    path = _write(tmp_path, "0,1.5,2\n1,2.5,3\n0,3.5,4\n1,4.5,5\n")
    assert not sniff(path).header
    d = load_csv(path, label_column="0")
    assert d.class_names == ["0", "1"] and d.n_inputs == 2 and d.kind == "points"
    named = _write(tmp_path, "label;x;y\n0;1;2\n1;2;3\n0;3;4\n1;5;5\n", "semi.csv")
    assert load_csv(named, label_column="label").feature_names == ["x", "y"]


def test_task_detection(tmp_path):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(300, 2))
    continuous = _write(tmp_path, to_csv_text(x, x.sum(1)), "r.csv")
    d = load_csv(continuous)
    assert d.is_regression and d.train_y.dtype == torch.float32 and d.n_outputs == 1
    whole = _write(tmp_path, to_csv_text(x, (x[:, 0] > 0).astype(int) * 3), "c.csv")
    assert load_csv(whole).class_names == ["0", "3"]
    assert load_csv(whole, task="regression").is_regression
    with pytest.raises(PlaygroundError, match="not whole numbers"):
        load_csv(continuous, task="classification")


@pytest.mark.parametrize("text, message", [
    ("", "is empty"),
    ("a,b,c\n", "header row but no data"),
    ("1,2,0\n3,4\n1,1,0\n", "line 2 has 2 columns where the rows before have 3"),
    ("1,2,0\n3,4,1,9\n1,1,0\n", "line 2 has 4 columns"),
    ("1,2,0\n3,4,0\n5,6,0\n", "single class"),
    ("1,2,0\n3,4,1\n5,6,2\n", "3 classes in 3 rows"),
])
def test_bad_tables_are_refused_in_one_line(tmp_path, text, message):
    path = _write(tmp_path, text)
    with pytest.raises(PlaygroundError, match=message) as info:
        load_csv(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("cell", ["", "nan", "inf", "NA"])
def test_gaps_and_non_finite_cells_are_missing_and_take_the_training_median(tmp_path, cell):
    # these were refused before tables were typed; now they are the gaps real tables have
    path = _write(tmp_path, f"1.5,2.5,0\n3.5,{cell},1\n1.25,1.5,0\n2.5,2.25,1\n5.5,3.5,0\n")
    d = load_csv(path, seed=0)
    assert d.feature_names[:2] == ["column 1", "column 2"]
    assert torch.isfinite(d.train_x).all() and torch.isfinite(d.test_x).all()


def test_missing_label_column_and_binary_files(tmp_path):
    path = _write(tmp_path, "a,b,c\n1,2,0\n3,4,1\n")
    with pytest.raises(PlaygroundError, match="no label column named 'z'; its columns are: a, b, c"):
        load_csv(path, label_column="z")
    with pytest.raises(PlaygroundError, match="outside the file's 3 columns"):
        load_csv(path, label_column="5")
    binary = tmp_path / "b.csv"
    binary.write_bytes(bytes(range(256)) * 10)
    with pytest.raises(PlaygroundError, match="not a text file"):
        load_csv(binary)
    with pytest.raises(PlaygroundError, match="no such file"):
        load_csv(tmp_path / "missing.csv")


@pytest.mark.slow
def test_a_two_class_table_trains_through_the_config(tmp_path):
    from playground.engine.train.training import Trainer
    rng = np.random.default_rng(2)
    x = rng.normal(size=(600, 2))
    path = _write(tmp_path, to_csv_text(x, np.where(x[:, 0] + x[:, 1] > 0, "yes", "no"), ["p", "q", "ok"]))
    config = TrainConfig(dataset=f"csv:{path}", hidden=(8,), dropout=(0.0,), lr=0.02, epochs=8, device="cpu")
    assert load_dataset(config).class_names == ["no", "yes"]
    trainer = Trainer(config)
    list(trainer.run())
    assert trainer.history[-1].test_accuracy >= 0.9
