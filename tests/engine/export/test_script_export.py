"""The exported script runs the app's computation: same data, init, augmentation and loop."""
import json
import os
import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from playground.cli import main
from playground.engine.train.augment import augment_batch
from playground.engine.config import TrainConfig
from playground.engine.datasets import toy2d
from playground.engine.datasets.idx import write_idx
from playground.engine.errors import PlaygroundError
from playground.engine.model import build_model
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS, build_optimizer
from playground.engine.export.script_export import export_script, weights_path_for, write_script

SITE_PACKAGES = str(Path(torch.__file__).resolve().parents[1])


def namespace(config: TrainConfig, tmp_path: Path) -> dict:
    """The script's definitions, without running its main()."""
    path = tmp_path / "exported.py"
    write_script(path, config)
    return runpy.run_path(str(path), run_name="exported")


def run_isolated(script: Path) -> str:
    """Run a script as on a machine with torch but without this package: no site processing (so the
    editable install's .pth is ignored), only torch's site-packages on the path, from the script's folder."""
    code = ("import sys, runpy; sys.path.append(%r)\n"
            "try:\n    import playground\nexcept ImportError:\n    pass\n"
            "else:\n    sys.exit('playground is importable: not an isolated run')\n"
            "sys.argv = [%r]; runpy.run_path(%r, run_name='__main__')") % (SITE_PACKAGES, script.name, str(script))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-I", "-S", "-c", code], cwd=script.parent, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout


def script_accuracies(output: str) -> dict[int, float]:
    return {int(m.group(1)): float(m.group(2))
            for m in re.finditer(r"^epoch (\d+)\b.*test accuracy (\d\.\d{4})", output, re.M)}


def app_accuracies(capsys, *argv) -> dict[int, float]:
    assert main(["train", *argv, "--device", "cpu", "--json"]) == 0
    return {r["epoch"]: r["test_accuracy"] for r in map(json.loads, capsys.readouterr().out.splitlines())}


def exported(tmp_path: Path, flags: list[str]) -> Path:
    """`export-script` with these train flags on the CPU, into tmp_path/run.py."""
    assert main(["export-script", *flags, "--device", "cpu", "-o", str(tmp_path / "run.py")]) == 0
    return tmp_path / "run.py"


def assert_script_matches_app(script: Path, capsys, flags: list[str], epochs: set[int] | None = None) -> None:
    """The exported script, run in an isolated Python, reports the test accuracy `train --json` does after
    every epoch (`epochs`: the epochs both must report; None: compare epoch 1)."""
    app = app_accuracies(capsys, *flags)
    got = script_accuracies(run_isolated(script))
    if epochs is not None:
        assert got.keys() == app.keys() == epochs
    for epoch in sorted(epochs or {1}):
        assert abs(got[epoch] - app[epoch]) <= 1e-4


@pytest.mark.parametrize("init", list(INITS))
@pytest.mark.parametrize("activation", ["relu", "tanh", "leaky-relu", "selu"])
def test_model_and_init_match_the_engine(tmp_path, init, activation):
    config = TrainConfig(dataset="moons", hidden=(7, 5), dropout=(0.1, 0.0), init=init, activation=activation,
                         output_activation="sigmoid", seed=4)
    ns = namespace(config, tmp_path)
    model = ns["build_model"](2, 2)
    ns["init_weights"](model, torch.Generator().manual_seed(4))
    expected = build_model(config, 2, 2, torch.Generator().manual_seed(4))
    assert str(model) == str(expected)
    for (name, got), (_, want) in zip(model.state_dict().items(), expected.state_dict().items()):
        assert torch.equal(got, want), name


def test_every_activation_can_be_written(tmp_path):
    for name in ACTIVATIONS:
        ns = namespace(TrainConfig(dataset="xor", hidden=(3,), activation=name), tmp_path)
        assert type(ns["build_model"](2, 2).act1) is type(ACTIVATIONS[name].make())


@pytest.mark.parametrize("dataset, classes", [("moons", 2), ("circles", 2), ("spiral", 4), ("xor", 2)])
def test_points_are_the_engines(tmp_path, dataset, classes):
    ns = namespace(TrainConfig(dataset=dataset, classes=classes, seed=7), tmp_path)
    got = ns["load_data"]()
    want = toy2d.load(dataset, seed=7, classes=classes)
    for a, b in zip(got, (want.train_x, want.train_y, want.test_x, want.test_y)):
        assert torch.equal(a, b)
    assert ns["CLASS_NAMES"] == want.class_names


def test_augmentation_is_the_engines(tmp_path):
    ns = namespace(TrainConfig(augment=True, data_dir=str(tmp_path)), tmp_path)
    x = torch.randn(16, 28, 28)
    got = ns["augment_batch"](x, torch.Generator().manual_seed(1))
    assert torch.equal(got, augment_batch(x, torch.Generator().manual_seed(1)))
    assert "from playground" not in (tmp_path / "exported.py").read_text()


@pytest.mark.slow
def test_moons_script_matches_train_json_in_an_isolated_python(tmp_path, capsys):
    flags = ["--dataset", "moons", "--hidden", "32,32", "--dropout", "0.3", "--optimizer", "momentum",
             "--weight-decay", "1e-3", "--epochs", "2"]
    assert_script_matches_app(exported(tmp_path, flags), capsys, flags, {1, 2})


def _mnist_folder(root: Path, train_x, train_y, test_x, test_y) -> Path:
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for prefix, x, y in (("train", train_x, train_y), ("t10k", test_x, test_y)):
        write_idx(raw / f"{prefix}-images-idx3-ubyte", x.numpy())
        write_idx(raw / f"{prefix}-labels-idx1-ubyte.gz", y.numpy())
    return root


@pytest.mark.slow
def test_image_script_with_augmentation_matches_train_json(tmp_path, capsys, small_digits):
    d = small_digits
    root = _mnist_folder(tmp_path / "data", d.train_x[:2000], d.train_y[:2000], d.test_x, d.test_y)
    flags = ["--dataset", "mnist", "--data-dir", str(root), "--hidden", "48", "--dropout", "0.2",
             "--augment", "--epochs", "1", "--no-mix-pen-digits"]
    script = exported(tmp_path, flags)
    assert "def augment_batch" in script.read_text()
    assert_script_matches_app(script, capsys, flags)


@pytest.mark.slow
def test_real_mnist_script_matches_train_json(tmp_path, capsys, shared_mnist):
    # the shared folder holds only the test files: train on them too (the point is the same computation)
    raw = shared_mnist / "MNIST" / "raw"
    folder = tmp_path / "data" / "MNIST" / "raw"
    folder.mkdir(parents=True)
    for what in ("images-idx3", "labels-idx1"):
        for prefix in ("train", "t10k"):
            shutil.copy(raw / f"t10k-{what}-ubyte.gz", folder / f"{prefix}-{what}-ubyte.gz")
    flags = ["--dataset", "mnist", "--data-dir", str(tmp_path / "data"), "--hidden", "32", "--epochs", "1",
             "--no-mix-pen-digits"]
    assert_script_matches_app(exported(tmp_path, flags), capsys, flags)


@pytest.mark.slow
def test_script_from_a_checkpoint_starts_at_its_test_accuracy(tmp_path, capsys):
    ckpt = tmp_path / "m.pt"
    assert main(["train", "--dataset", "circles", "--hidden", "16", "--lr", "0.01", "--epochs", "2",
                 "--device", "cpu", "--save", str(ckpt)]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--load", str(ckpt), "--json"]) == 0
    accuracy = json.loads(capsys.readouterr().out)["accuracy"]
    script = tmp_path / "out" / "run.py"
    assert main(["export-script", "--load", str(ckpt), "--device", "cpu", "-o", str(script)]) == 0
    weights = weights_path_for(script)
    assert weights.is_file()
    assert torch.load(weights, weights_only=True).keys() >= {"fc1.weight", "out.bias"}
    start = script_accuracies(run_isolated(script))[0]
    assert abs(start - accuracy) <= 1e-4


@pytest.mark.slow
def test_built_in_digits_script_says_how_to_export_them(tmp_path):
    path = tmp_path / "run.py"
    write_script(path, TrainConfig(seed=5))
    text = path.read_text()
    assert "mlp-playground export-data synthetic-digits" in text and "--seed 5" in text
    done = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "export-data synthetic-digits" in done.stderr
    assert "Traceback" not in done.stderr


def test_teaching_comments_name_the_controls():
    text = export_script(TrainConfig(dataset="moons"))
    for control in ("Optimisation > learning rate", "Network > weight init", "Regularisation > weight decay",
                    "Run > seed", "Optimisation > batch size"):
        assert control in text
    compile(text, "run.py", "exec")


def test_refuses_a_name_that_is_not_a_python_file(tmp_path):
    with pytest.raises(PlaygroundError, match=r"\.py"):
        write_script(tmp_path / "run.txt", TrainConfig(dataset="moons"))


@pytest.mark.parametrize("optimizer", list(OPTIMIZERS))
@pytest.mark.parametrize("loss", list(LOSSES))
def test_optimizer_and_loss_are_the_registrys(tmp_path, optimizer, loss):
    config = TrainConfig(dataset="moons", hidden=(4,), optimizer=optimizer, loss=loss, weight_decay=0.01,
                         momentum=0.8)
    ns = namespace(config, tmp_path)
    model = build_model(config, 2, 2, torch.Generator().manual_seed(0))
    got, want = ns["make_optimizer"](model), build_optimizer(config, model)
    assert type(got) is type(want) and got.defaults == want.defaults
    assert [g["weight_decay"] for g in got.param_groups] == [g["weight_decay"] for g in want.param_groups]
    logits, y = torch.randn(5, 3), torch.tensor([0, 2, 1, 1, 0])
    assert torch.equal(ns["loss_fn"](logits, y), LOSSES[loss].fn(logits, y))
