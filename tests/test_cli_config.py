from playground.cli import build_parser
from playground.cli_config import config_from_args
from playground.engine.config import TrainConfig


def test_options_given_on_the_command_line_override_the_config_file(tmp_path):
    path = tmp_path / "c.json"
    TrainConfig(activation="tanh", epochs=7).save(path)
    args = build_parser().parse_args(["train", "--config", str(path), "--epochs", "2"])
    config = config_from_args(args)
    assert config.activation == "tanh" and config.epochs == 2
    assert config_from_args(build_parser().parse_args(["train"])) == TrainConfig()
