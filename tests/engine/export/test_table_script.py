"""An exported script reads your table as the app does (its recipe, stdlib csv) and matches train --json."""
import runpy

import numpy as np
import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets.tables import load_table
from playground.engine.errors import PlaygroundError
from playground.engine.export.script_export import export_script, write_script

from tests.engine.export.test_script_export import assert_script_matches_app, exported


def _table(path, european=False):
    rng = np.random.default_rng(3)
    lines = ["size;colour;grade;flag;label" if european else "size,colour,grade,flag,label"]
    for i in range(240):
        size = rng.normal(10, 3)
        colour = ["red", "grün", "blue"][i % 3]
        label = ["low", "mid", "high"][int(size > 9) + int(size > 12)]
        cells = ["" if i % 9 == 4 else f"{size:.3f}", "" if i % 13 == 2 else colour, str(1 + i % 3),
                 ["yes", "no"][i % 2], label]
        if european:
            cells[0] = cells[0].replace(".", ",")
        lines.append((";" if european else ",").join(cells))
    text = "\n".join(lines) + "\n"
    path.write_bytes(text.encode("cp1252" if european else "utf-8"))
    return path


@pytest.mark.parametrize("european", [False, True])
def test_script_reads_the_same_features(tmp_path, european):
    path = _table(tmp_path / "t.csv", european)
    config = TrainConfig(dataset=f"csv:{path}", seed=4)
    script = tmp_path / "run.py"
    write_script(script, config)
    ns = runpy.run_path(str(script), run_name="exported")
    train_x, train_y, test_x, test_y = ns["load_data"]()
    d = load_table(path, seed=4)
    assert torch.equal(train_x, d.train_x) and torch.equal(test_x, d.test_x)
    assert torch.equal(train_y, d.train_y) and torch.equal(test_y, d.test_y)
    assert ns["CLASS_NAMES"] == d.class_names == ["high", "low", "mid"]


@pytest.mark.slow
def test_table_script_matches_train_json_in_an_isolated_python(tmp_path, capsys):
    path = _table(tmp_path / "t.csv")
    flags = ["--dataset", f"csv:{path}", "--hidden", "16", "--batch-size", "16", "--epochs", "2"]
    assert_script_matches_app(exported(tmp_path, flags), capsys, flags, {1, 2})


def test_regression_tables_and_other_formats_are_refused_in_one_line(tmp_path):
    path = tmp_path / "r.csv"
    rng = np.random.default_rng(0)
    path.write_text("x,y\n" + "".join(f"{v:.3f},{2 * v + 0.1:.3f}\n" for v in rng.normal(size=80)))
    with pytest.raises(PlaygroundError, match="classification tables only"):
        export_script(TrainConfig(dataset=f"csv:{path}"))
