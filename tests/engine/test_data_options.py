import json

import pytest

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError

OLD_FILE = {"version": 1, "dataset": "moons", "data_dir": None, "classes": 2, "hidden": [8, 8],
            "activation": "tanh", "output_activation": "none", "init": "xavier-normal", "dropout": [0.0, 0.0],
            "weight_decay": 0.0, "decay_biases": False, "optimizer": "adam", "lr": 0.01, "momentum": 0.9,
            "batch_size": 32, "epochs": 30, "loss": "cross-entropy", "device": "auto", "seed": 0, "augment": False}


def test_a_config_file_without_the_data_fields_loads_as_before():
    config = TrainConfig.from_json(json.dumps(OLD_FILE))
    assert (config.noise, config.train_fraction, config.data_seed, config.features) == (0.1, 2 / 3, 0, ("x1", "x2"))
    assert (config.label_column, config.task, config.image_fit) == (None, "auto", "digit")


def test_the_data_fields_round_trip():
    config = TrainConfig(dataset="csv:/tmp/t.csv", noise=0.25, train_fraction=0.5, data_seed=3,
                         features=("x1x2", "x1"), label_column="kind", task="regression", image_fit="resize")
    again = TrainConfig.from_json(config.to_json())
    assert again == config and again.features == ("x1", "x1x2")   # kept in the registry's order


@pytest.mark.parametrize("changes, message", [
    ({"noise": 0.7}, "noise"), ({"train_fraction": 0.95}, "training share"), ({"data_seed": -1}, "data seed"),
    ({"features": ()}, "at least one"), ({"features": ("x9",)}, "unknown input feature"),
    ({"task": "ranking"}, "unknown task"), ({"image_fit": "crop"}, "unknown image fit"),
    ({"dataset": "csv:"}, "names no file"), ({"dataset": "parquet:x"}, "unknown dataset"),
])
def test_bad_data_fields_are_refused(changes, message):
    with pytest.raises(PlaygroundError, match=message):
        TrainConfig(**changes)
