import numpy as np
import polars as pl
import pytest

from playground.engine.datasets.tables import describe_table, encode, load_table
from playground.engine.datasets.tables.columns import column_info
from playground.engine.datasets.tables.recipe import MISSING_LEVEL

from .conftest import write_plain


def _info(tmp_path, mixed_rows, **kw):
    header, rows = mixed_rows
    return describe_table(write_plain(tmp_path / "t.csv", header, rows), "label", **kw)


def test_every_kind_of_column_is_typed_and_dropped_columns_say_why(tmp_path, mixed_rows):
    info = _info(tmp_path, mixed_rows)
    by = {c["name"]: c for c in info["columns"]}
    assert by["height"]["kind"] == "numeric" and by["height"]["missing"] == 12
    assert by["colour"]["kind"] == "categorical" and by["colour"]["levels"] == 3 and by["colour"]["missing"] == 7
    assert by["member"]["type"] == "yes/no" and by["member"]["kind"] == "categorical"
    assert by["grade"]["type"] == "whole number" and by["grade"]["kind"] == "categorical"
    assert by["note"]["kind"] == "numeric"
    dropped = {d["name"]: d["reason"] for d in info["dropped"]}
    assert set(dropped) == {"when", "id", "flat", "empty"}
    assert "date/time" in dropped["when"] and "identifier" in dropped["id"]
    assert "constant" in dropped["flat"] and "missing" in dropped["empty"]
    assert info["task"] == "classification" and info["classes"] == ["short", "tall"]
    # height, its was-missing, 3 colours + missing, 2 member, 3 grade, note
    assert info["features"] == 1 + 1 + 4 + 2 + 3 + 1


def test_level_cap_takes_a_column_for_an_identifier_and_the_user_can_keep_it(tmp_path):
    rows = [[f"name{i % 60}", f"{i % 7}.5", "a" if i % 2 else "b"] for i in range(240)]
    path = write_plain(tmp_path / "n.csv", ["who", "x", "y"], rows)
    assert [d["name"] for d in describe_table(path, "y")["dropped"]] == ["who"]
    kept = describe_table(path, "y", max_levels=100)
    assert kept["dropped"] == [] and kept["features"] == 61


def test_recipe_uses_training_medians_indicators_and_a_missing_level(tmp_path, mixed_rows):
    header, rows = mixed_rows
    d = load_table(write_plain(tmp_path / "t.csv", header, rows), "label", seed=3)
    specs = {s["name"]: s for s in d.recipe["columns"]}
    assert specs["height"]["indicator"] and "height was missing" in d.feature_names
    assert MISSING_LEVEL in specs["colour"]["levels"]
    assert "colour=(missing)" in d.feature_names
    # every feature is standardised with the training split's statistics
    assert np.allclose(d.train_x.mean(0).numpy(), 0, atol=1e-5)
    # the training median is the one from the training rows only
    train_heights = [float(r[0]) for i, r in enumerate(rows) if r[0]] 
    assert min(train_heights) <= specs["height"]["median"] <= max(train_heights)


def test_unseen_level_maps_to_all_zeros_and_numbers_to_the_median(tmp_path, mixed_rows):
    header, rows = mixed_rows
    d = load_table(write_plain(tmp_path / "t.csv", header, rows), "label")
    new = pl.DataFrame({name: [value] for name, value in zip(header, ["", "purple", "maybe", "9", "0.5", "",
                                                                      "", "", "", "tall"])},
                       schema={n: pl.String for n in header})
    raw = encode(new, d.recipe, standardise=False)[0]
    names = d.feature_names
    colour = [raw[i] for i, n in enumerate(names) if n.startswith("colour=")]
    grade = [raw[i] for i, n in enumerate(names) if n.startswith("grade=")]
    assert colour == [0, 0, 0, 0] and grade == [0, 0, 0]
    spec = next(s for s in d.recipe["columns"] if s["name"] == "height")
    assert raw[names.index("height")] == pytest.approx(spec["median"])
    assert raw[names.index("height was missing")] == 1


def test_mostly_numeric_text_reads_stray_cells_as_missing():
    series = pl.Series("x", [str(i) for i in range(40)] + ["?"], dtype=pl.String)
    series = series.set(pl.Series([False] * 40 + [True]), "oops")
    info = column_info(series)
    assert info.kind == "numeric" and info.not_numbers == 1 and info.missing == 1


def test_booleans_and_true_false_words_are_categories():
    assert column_info(pl.Series("b", [True, False, None, True])).kind == "categorical"
    info = column_info(pl.Series("w", ["TRUE", "false", "true", "False"]))
    assert info.type == "yes/no" and info.levels == 4   # levels as written: case is kept


def test_rows_without_a_label_are_dropped_and_counted(tmp_path):
    rows = [[f"{i}", "a" if i % 2 else ("" if i % 5 == 0 else "b")] for i in range(40)]
    path = write_plain(tmp_path / "l.csv", ["x", "y"], rows)
    info = describe_table(path, "y")
    assert info["rows"] == 40 and info["rows_dropped"] == 4 and info["rows_used"] == 36
    assert any("4 rows without a label" in n for n in info["notes"])


@pytest.mark.slow
def test_regression_targets_are_standardised_and_rmse_is_in_their_units(tmp_path):
    from playground.engine.config import TrainConfig
    from playground.engine.train.training import Trainer
    rng = np.random.default_rng(4)
    x = rng.normal(size=300)
    rows = [[f"{v:.4f}", f"{1000 + 500 * v + rng.normal() * 5:.2f}"] for v in x]
    path = write_plain(tmp_path / "r.csv", ["x", "price"], rows)
    d = load_table(path, "price")
    mean, std = d.target_scale
    assert d.is_regression and 900 < mean < 1100 and 400 < std < 600
    assert abs(float(d.train_y.mean())) < 1e-5 and abs(float(d.train_y.std()) - 1) < 1e-3
    config = TrainConfig(dataset=f"csv:{path}", label_column="price", hidden=(16,), dropout=(0.0,), lr=0.01,
                         epochs=3, batch_size=16, device="cpu")
    trainer = Trainer(config, d)
    list(trainer.run())
    last = trainer.history[-1]
    assert last.test_rmse == pytest.approx(np.sqrt(last.test_loss) * std, rel=1e-3)
