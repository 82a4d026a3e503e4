import json
import subprocess
import sys

import pytest

from playground.cli import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_train_json_prints_one_object_per_epoch(capsys, tmp_path):
    csv = tmp_path / "m.csv"
    code, out, err = run(capsys, "train", "--dataset", "moons", "--epochs", "3", "--hidden", "16",
                         "--device", "cpu", "--json", "--metrics-csv", str(csv))
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [l["epoch"] for l in lines] == [1, 2, 3]
    assert set(lines[0]) == {"epoch", "train_loss", "train_accuracy", "test_loss", "test_accuracy", "seconds"}
    rows = csv.read_text().splitlines()
    assert rows[0] == "epoch,train_loss,train_accuracy,test_loss,test_accuracy,seconds" and len(rows) == 4


@pytest.mark.slow
def test_moons_reaches_95_percent_in_30_epochs(capsys):
    code, out, _ = run(capsys, "train", "--dataset", "moons", "--epochs", "30", "--json")
    assert code == 0
    assert json.loads(out.splitlines()[-1])["test_accuracy"] >= 0.95


def test_train_save_then_evaluate(capsys, tmp_path):
    ckpt = tmp_path / "m.pt"
    assert run(capsys, "train", "--dataset", "circles", "--epochs", "2", "--save", str(ckpt))[0] == 0
    code, out, _ = run(capsys, "evaluate", "--load", str(ckpt), "--json")
    result = json.loads(out)
    assert code == 0 and result["samples"] == 1000 and 0 <= result["accuracy"] <= 1


def test_evaluate_on_real_mnist_with_only_test_files(capsys, tmp_path, shared_mnist):
    ckpt = tmp_path / "m.pt"
    from playground.engine.runs.checkpoint import save_checkpoint
    from playground.engine.config import TrainConfig
    from playground.engine.model import build_model
    save_checkpoint(ckpt, TrainConfig(hidden=()), build_model(TrainConfig(hidden=()), 784, 10), 784,
                    [str(i) for i in range(10)], "image", [])
    code, out, err = run(capsys, "evaluate", "--load", str(ckpt), "--dataset", "mnist", "--data-dir",
                         str(shared_mnist), "--json")
    assert code == 0, err
    assert json.loads(out)["samples"] == 10000


@pytest.mark.parametrize("argv, words", [
    (["train", "--hidden", "0"], "at least 1"),
    (["train", "--hidden", "-5"], "at least 1"),
    (["train", "--hidden", "abc"], "whole numbers"),
    (["train", "--hidden", "100000000,100000000"], "over the limit"),
    pytest.param(["train", "--hidden", "1000000,1000000"], "GiB", marks=pytest.mark.slow),   # sizes a 1e12 net
    (["train", "--lr", "nan"], "learning rate"),
    (["train", "--lr", "0"], "learning rate"),
    (["train", "--dropout", "1.5"], "dropout"),
    (["train", "--batch-size", "0"], "batch size"),
    (["train", "--epochs", "0"], "epochs"),
    (["train", "--weight-decay", "-1"], "weight decay"),
    (["train", "--dataset", "cifar10"], "unknown dataset"),
    (["train", "--activation", "swish"], "unknown activation"),
    (["train", "--init", "he"], "unknown init"),
    (["train", "--optimizer", "lbfgs"], "unknown optimizer"),
    (["train", "--device", "tpu"], "unknown device"),
    (["train", "--config", "/nonexistent/c.json"], "cannot read config"),
    (["evaluate", "--load", "/nonexistent/m.pt"], "not found"),
    (["train", "--bogus"], "unrecognized arguments"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_input_is_one_line_and_non_zero(capsys, argv, words):
    code, out, err = run(capsys, *argv)
    assert code != 0
    assert words in err and err.count("\n") == 1 and "Traceback" not in err


def test_cuda_on_a_machine_without_it(capsys):
    import torch
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    code, _, err = run(capsys, "train", "--dataset", "moons", "--device", "cuda")
    assert code != 0 and "cuda" in err and "use --device cpu" in err


def test_divergence_exits_non_zero_with_diverged(capsys):
    code, out, err = run(capsys, "train", "--dataset", "moons", "--lr", "1e12", "--optimizer", "sgd",
                         "--init", "normal-1", "--epochs", "20")
    assert code != 0 and "diverged" in err and "nan" not in out.lower()


def test_gradients_json_shape(capsys):
    code, out, _ = run(capsys, "gradients", "--dataset", "moons", "--hidden", "8,8", "--json")
    layers = json.loads(out)["layers"]
    assert code == 0 and [l["name"] for l in layers] == ["fc1", "fc2", "out"]
    assert {"name", "weight_grad_norm", "bias_grad_norm", "activation_mean", "activation_std"} <= set(layers[0])


def _ratio(capsys, activation, init):
    code, out, _ = run(capsys, "gradients", "--dataset", "moons", "--hidden", "32,32,32,32,32,32,32,32",
                       "--activation", activation, "--init", init, "--json")
    layers = json.loads(out)["layers"]
    return layers[0]["weight_grad_norm"] / layers[-1]["weight_grad_norm"]


def test_deep_sigmoid_gradients_vanish(capsys):
    assert _ratio(capsys, "sigmoid", "xavier-normal") < 1e-2


def test_relu_with_kaiming_keeps_gradients_alive(capsys):
    assert 0.1 < _ratio(capsys, "relu", "kaiming-normal") < 10


@pytest.mark.slow
def test_console_script_prints_no_traceback_on_bad_input():
    result = subprocess.run([sys.executable, "-m", "playground", "train", "--hidden", "x"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("mlp-playground")


def test_output_activation_flag_reaches_the_model(capsys, tmp_path):
    ckpt = tmp_path / "relu-out.pt"
    code, _, err = run(capsys, "train", "--dataset", "moons", "--epochs", "1", "--hidden", "8", "--device", "cpu",
                       "--output-activation", "relu", "--save", str(ckpt))
    assert code == 0 and "relu on the output layer" in err
    from playground.engine.runs.checkpoint import load_checkpoint
    loaded = load_checkpoint(ckpt)
    assert loaded.config.output_activation == "relu" and type(loaded.model[-1]).__name__ == "ReLU"
    code, _, err = run(capsys, "train", "--dataset", "moons", "--output-activation", "softmax")
    assert code != 0 and "unknown output activation 'softmax'" in err and "Traceback" not in err


def test_data_flags_reach_the_config():
    from playground.cli import build_parser, config_from_args
    args = build_parser().parse_args(["train", "--dataset", "gauss", "--noise", "0.25", "--train-fraction", "0.5",
                                      "--features", "x1,x2,x1x2,sin-x1", "--data-seed", "4"])
    config = config_from_args(args)
    assert (config.noise, config.train_fraction, config.features, config.data_seed) == \
        (0.25, 0.5, ("x1", "x2", "x1x2", "sin-x1"), 4)
    args = build_parser().parse_args(["train", "--dataset", "csv:t.csv", "--label-column", "2", "--task",
                                      "classification", "--noise", "30%"])
    config = config_from_args(args)
    assert (config.label_column, config.task, config.noise) == ("2", "classification", 0.3)


def test_bad_data_flags_exit_with_one_line(capsys):
    from playground.cli import main
    for argv in (["train", "--noise", "0.9"], ["train", "--features", "x1,z"], ["train", "--task", "x"],
                 ["train", "--dataset", "csv:/nonexistent/t.csv"], ["train", "--dataset", "folder:/nonexistent"]):
        assert main(argv) != 0
        err = capsys.readouterr().err.strip()
        assert err.startswith("mlp-playground: error:") and "\n" not in err and "Traceback" not in err


def test_my_digits_dataset_trains_and_bad_cases_are_one_line(capsys, data_home):
    import numpy as np
    from playground.engine.drawing.my_digits import MyDigitsStore
    code, _, err = run(capsys, "train", "--dataset", "my-digits", "--device", "cpu")
    assert code != 0 and "my digits is empty" in err and err.count("\n") == 1
    code, _, err = run(capsys, "train", "--dataset", "moons", "--mix-my-digits")
    assert code != 0 and "mixed into" in err and err.count("\n") == 1
    store = MyDigitsStore()
    for i in range(12):
        image = np.zeros((28, 28), np.uint8)
        image[4:24, 8 + i % 3:12 + i % 3] = 255
        if i % 2:
            image[4:8, 4:24] = 255          # a crude 7 next to the crude 1s
        store.add(image, 7 if i % 2 else 1)
    code, out, err = run(capsys, "train", "--dataset", "my-digits", "--hidden", "16", "--epochs", "3",
                         "--device", "cpu", "--json")
    assert code == 0, err
    assert json.loads(out.splitlines()[-1])["test_accuracy"] >= 0.5
