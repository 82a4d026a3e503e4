from playground.engine.config import TrainConfig
from playground.engine.runs.naming import difference, settings_summary


def test_difference_names_the_output_activation_both_ways():
    wrong = TrainConfig(output_activation="relu")
    assert difference(TrainConfig(), wrong) == "relu on output"
    assert difference(wrong, TrainConfig()) == "no output activation"


def test_settings_summary_leaves_out_the_activation_without_hidden_layers():
    assert settings_summary(TrainConfig(hidden=())).startswith("no hidden layer, init")
    assert settings_summary(TrainConfig()).startswith("relu, init kaiming-normal, adam, lr 0.001")
