import json
import os

import numpy as np
import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets import load_dataset
from playground.engine.datasets.tables import load_table, loading, table_defaults, with_table_defaults

from .conftest import write_plain


def _table(tmp_path, n=150, name="t.csv"):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(n, 3))
    rows = [[f"{a:.4f}", f"{b:.4f}", ["u", "v"][i % 2], "yes" if a + b > 0 else "no"]
            for i, (a, b, _) in enumerate(x)]
    return write_plain(tmp_path / name, ["a", "b", "kind", "ok"], rows)


def test_defaults_fit_the_table_size():
    assert table_defaults(100) == {"batch_size": 16, "epochs": 200}
    assert table_defaults(600)["batch_size"] == 32
    big = table_defaults(666_667)
    assert big == {"batch_size": 128, "epochs": 5}


def test_given_values_win_over_the_tables_defaults(tmp_path):
    path = _table(tmp_path)
    config = TrainConfig(dataset=f"csv:{path}")
    d = load_dataset(config)
    assert d.defaults == {"batch_size": 16, "epochs": 200}
    assert with_table_defaults(config, d, set()).batch_size == 16
    chosen = with_table_defaults(config.replace(epochs=3), d, {"epochs"})
    assert chosen.epochs == 3 and chosen.batch_size == 16


def test_a_settings_change_does_not_read_the_file_again(tmp_path):
    path = _table(tmp_path)
    before = loading.reads
    load_table(path, seed=0)
    load_table(path, seed=5, train_fraction=0.5)
    load_table(path, label_column="kind")
    assert loading.reads == before + 1
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))    # the file changed
    load_table(path)
    assert loading.reads == before + 2


def test_the_recipe_is_json_and_a_given_recipe_reads_rows_the_same_way(tmp_path):
    path = _table(tmp_path)
    d = load_table(path, seed=1)
    recipe = json.loads(json.dumps(d.recipe))
    assert recipe["label"] == "ok" and recipe["classes"] == ["no", "yes"] and recipe["read"]["delimiter"] == ","
    again = load_table(path, seed=1, recipe=recipe)
    assert torch.equal(again.test_x, d.test_x)
    # a new file with fewer rows is read with the training statistics, not its own
    rows = path.read_text().splitlines()
    small = tmp_path / "new.csv"
    small.write_text("\n".join(rows[:11]) + "\n")
    other = load_table(small, seed=1, recipe=recipe)
    assert other.recipe["mean"] == d.recipe["mean"]


def test_checkpoint_keeps_the_recipe_and_evaluate_uses_it(tmp_path, capsys):
    from playground.cli import main
    from playground.engine.runs.checkpoint import load_checkpoint
    path = _table(tmp_path, n=200)
    ckpt = tmp_path / "m.pt"
    assert main(["train", "--dataset", f"csv:{path}", "--epochs", "2", "--hidden", "8", "--device", "cpu",
                 "--save", str(ckpt), "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2       # a flag given: the table's 200 epochs do not override it
    loaded = load_checkpoint(ckpt)
    assert loaded.recipe["features"] == ["a", "b", "kind=u", "kind=v"]
    assert main(["evaluate", "--load", str(ckpt), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["accuracy"] == pytest.approx(json.loads(lines[-1])["test_accuracy"])


def test_data_command_prints_one_json_object_and_a_readable_report(tmp_path, capsys):
    from playground.cli import main
    path = _table(tmp_path)
    assert main(["data", str(path), "--label-column", "ok", "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["rows"] == 150 and info["features"] == 4 and info["task"] == "classification"
    assert info["classes"] == ["no", "yes"] and [c["name"] for c in info["columns"]] == ["a", "b", "kind", "ok"]
    assert info["dropped"] == [] and info["seconds"] >= 0
    assert main(["data", f"csv:{path}", "--label-column", "a"]) == 0
    text = capsys.readouterr().out
    assert "regression" in text and "features after encoding: 5" in text   # b, kind=u/v, ok=no/yes
    assert main(["data", str(tmp_path / "none.csv")]) == 1
    assert "no such file" in capsys.readouterr().err


@pytest.mark.slow
def test_a_small_table_trains_well_with_no_flag_but_the_label(tmp_path, capsys):
    from playground.cli import main
    path = _table(tmp_path)
    assert main(["train", "--dataset", f"csv:{path}", "--label-column", "ok", "--device", "cpu", "--json"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 200 and json.loads(lines[-1])["test_accuracy"] >= 0.9


def test_a_recipe_reads_a_new_file_in_the_models_class_order(tmp_path):
    from playground.engine.errors import PlaygroundError
    path = _table(tmp_path)
    d = load_table(path, "ok", seed=1)
    rows = path.read_text().splitlines()
    only_yes = [r for r in rows[1:] if r.endswith(",yes")][:6] + [r for r in rows[1:] if r.endswith(",no")][:1]
    new = tmp_path / "new.csv"
    new.write_text("\n".join([rows[0], *only_yes]) + "\n")
    other = load_table(new, recipe=d.recipe)
    labels = torch.cat([other.train_y, other.test_y])
    assert other.class_names == ["no", "yes"] and int((labels == 1).sum()) == 6
    new.write_text("\n".join([rows[0], *only_yes, only_yes[0].replace(",yes", ",maybe")]) + "\n")
    with pytest.raises(PlaygroundError, match="'maybe', which is not one of the model's classes"):
        load_table(new, recipe=d.recipe)
