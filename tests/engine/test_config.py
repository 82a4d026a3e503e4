import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError


def test_defaults_are_valid_and_round_trip_through_json():
    config = TrainConfig()
    assert TrainConfig.from_json(config.to_json()) == config


def test_round_trip_keeps_every_field():
    config = TrainConfig(dataset="spiral", classes=4, hidden=(8, 4, 2), activation="tanh", init="xavier-normal",
                         dropout=(0.1, 0.2, 0.3), weight_decay=1e-3, decay_biases=True, optimizer="momentum",
                         lr=0.05, momentum=0.5, batch_size=32, epochs=3, loss="mse", device="cpu", seed=7,
                         augment=True)
    again = TrainConfig.from_json(config.to_json())
    assert again == config and again.dropout == (0.1, 0.2, 0.3)


def test_single_dropout_value_applies_to_every_layer():
    assert TrainConfig(hidden=(5, 5, 5), dropout=(0.3,)).dropout == (0.3, 0.3, 0.3)
    assert TrainConfig(hidden=(), dropout=(0.2,)).dropout == ()


@pytest.mark.parametrize("changes, words", [
    ({"hidden": (0,)}, "at least 1"),
    ({"hidden": (-3,)}, "at least 1"),
    ({"hidden": (10, 5), "dropout": (0.1, 0.2, 0.3)}, "one dropout value"),
    ({"dropout": (1.0,)}, "dropout"),
    ({"dropout": (-0.1,)}, "dropout"),
    ({"lr": 0.0}, "learning rate"),
    ({"lr": -1.0}, "learning rate"),
    ({"lr": math.nan}, "learning rate"),
    ({"lr": math.inf}, "learning rate"),
    ({"batch_size": 0}, "batch size"),
    ({"epochs": 0}, "epochs"),
    ({"weight_decay": -1e-4}, "weight decay"),
    ({"momentum": 1.0}, "momentum"),
    ({"dataset": "cifar"}, "unknown dataset 'cifar'"),
    ({"activation": "swish"}, "unknown activation"),
    ({"init": "orthogonal"}, "unknown init"),
    ({"output_activation": "softmax"}, "unknown output activation 'softmax'"),
    ({"optimizer": "lbfgs"}, "unknown optimizer"),
    ({"loss": "hinge"}, "unknown loss"),
    ({"device": "tpu"}, "unknown device"),
    ({"dataset": "spiral", "classes": 9}, "2 to 5"),
    ({"seed": -1}, "seed"),
])
def test_invalid_values_are_refused_with_a_clear_message(changes, words):
    with pytest.raises(PlaygroundError, match=words):
        TrainConfig(**changes)


def test_huge_learning_rate_is_allowed_because_divergence_is_a_lesson():
    assert TrainConfig(lr=1e6).lr == 1e6


def test_json_missing_fields_take_defaults():
    assert TrainConfig.from_json('{"lr": 0.5}') == TrainConfig(lr=0.5)


def test_json_extra_field_is_named():
    with pytest.raises(PlaygroundError, match="unknown config field.*colour"):
        TrainConfig.from_json('{"colour": "blue"}')


@pytest.mark.parametrize("text, words", [
    ('{"lr": "fast"}', "'lr' must be float"),
    ('{"hidden": 5}', "'hidden' must be a list"),
    ('{"hidden": ["a"]}', "'hidden' must be int"),
    ('{"epochs": 2.5}', "'epochs' must be int"),
    ('{"decay_biases": "yes"}', "'decay_biases' must be bool"),
    ('{"batch_size": true}', "'batch_size' must be int"),
    ('[1, 2]', "JSON object"),
    ('{not json', "not valid JSON"),
    ('{"version": 99}', "version 99"),
])
def test_json_wrong_types_are_refused(text, words):
    with pytest.raises(PlaygroundError, match=words):
        TrainConfig.from_json(text)


def test_save_and_load_file(tmp_path):
    path = tmp_path / "c.json"
    config = TrainConfig(lr=0.02, hidden=(16,))
    config.save(path)
    assert TrainConfig.load(path) == config
    assert not list(tmp_path.glob("*.tmp"))


def test_load_missing_file_names_it(tmp_path):
    with pytest.raises(PlaygroundError, match="nope.json"):
        TrainConfig.load(tmp_path / "nope.json")


_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                            lambda inner: st.lists(inner, max_size=4), max_leaves=8)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(list(TrainConfig().to_dict()) + ["junk"]), _json_values, max_size=6))
def test_any_json_object_gives_a_config_or_a_playground_error(data):
    try:
        config = TrainConfig.from_json(json.dumps(data))
    except PlaygroundError as exc:
        assert str(exc)
    else:
        assert TrainConfig.from_json(config.to_json()) == config
