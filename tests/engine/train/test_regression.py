import json
import math

import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.train.regression import largest_errors, r2_score, rmse
from playground.engine.runs.history import REGRESSION_CSV_COLUMNS, metrics_csv
from playground.engine.train.training import Trainer


def test_r2_and_rmse_against_hand_computed_values():
    y = torch.tensor([1.0, 2.0, 3.0, 4.0])
    assert r2_score(y, y) == 1.0
    assert r2_score(torch.full((4,), 2.5), y) == pytest.approx(0.0)
    assert rmse(y + 1, y) == pytest.approx(1.0)
    assert math.isnan(r2_score(y, torch.ones(4)))      # a constant target has no variance to explain
    worst = largest_errors([1.0, 5.0, 3.0], [1.0, 2.0, 2.5], count=2)
    assert [w[0] for w in worst] == [1, 2] and worst[0][3] == pytest.approx(3.0)


def test_reg_plane_trains_to_r2_095_and_reports_no_accuracy():
    config = TrainConfig(dataset="reg-plane", hidden=(16, 16), dropout=(0.0,), lr=0.01, epochs=8,
                         batch_size=32, device="cpu")
    trainer = Trainer(config)
    assert trainer.model.out.out_features == 1
    records = list(trainer.run())
    last = trainer.history[-1]
    assert last.test_r2 >= 0.95 and last.test_rmse < 0.2
    line = last.to_json_dict()
    assert "test_accuracy" not in line and "train_accuracy" not in line and {"test_r2", "test_rmse"} <= set(line)
    assert "R²" in records[-1].message
    header = metrics_csv([(None, trainer.history)]).splitlines()[0]
    assert header.split(",") == REGRESSION_CSV_COLUMNS
    boundary = trainer.boundary_record()
    assert boundary.regression and boundary.probs.shape[2] == 1
    json.dumps(line)
