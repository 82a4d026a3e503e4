import pickle

import pytest
import torch

from playground.engine.runs.checkpoint import load_checkpoint, save_checkpoint
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError
from playground.engine.train.training import Trainer

CONFIG = TrainConfig(dataset="moons", hidden=(8,), epochs=2, device="cpu")


@pytest.fixture
def trained():
    trainer = Trainer(CONFIG)
    for _ in trainer.run():
        pass
    return trainer


def _save(trainer, path):
    d = trainer.dataset
    save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names, d.kind, trainer.history)


def test_round_trip_gives_the_same_predictions(trained, tmp_path):
    path = tmp_path / "m.pt"
    _save(trained, path)
    loaded = load_checkpoint(path)
    assert loaded.config == trained.config and loaded.metrics == trained.history
    x = trained.test_x[:50]
    trained.model.eval()
    assert torch.allclose(loaded.model(x), trained.model(x))
    assert not list(tmp_path.glob("*.tmp"))


class _Evil:
    def __init__(self, target):
        self.target = target

    def __reduce__(self):
        return (open, (self.target, "w"))


def test_a_hostile_pickle_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pt"
    torch.save({"format": "mlp-playground-checkpoint", "payload": _Evil(str(marker))}, path)
    with pytest.raises(PlaygroundError, match="refused"):
        load_checkpoint(path)
    assert not marker.exists()


def test_a_raw_pickle_file_is_refused(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.pkl"
    path.write_bytes(pickle.dumps(_Evil(str(marker))))
    with pytest.raises(PlaygroundError):
        load_checkpoint(path)
    assert not marker.exists()


@pytest.mark.parametrize("content", [b"", b"hello world", b"PK\x03\x04broken zip"])
def test_not_a_checkpoint(tmp_path, content):
    path = tmp_path / "x.pt"
    path.write_bytes(content)
    with pytest.raises(PlaygroundError, match="x.pt"):
        load_checkpoint(path)


def test_missing_file(tmp_path):
    with pytest.raises(PlaygroundError, match="not found"):
        load_checkpoint(tmp_path / "none.pt")


def test_other_torch_file_and_other_version(tmp_path, trained):
    path = tmp_path / "weights.pt"
    torch.save(trained.model.state_dict(), path)
    with pytest.raises(PlaygroundError, match="not an MLP Playground checkpoint"):
        load_checkpoint(path)
    _save(trained, path)
    payload = torch.load(path, weights_only=True)
    payload["version"] = 99
    torch.save(payload, path)
    with pytest.raises(PlaygroundError, match="version 99"):
        load_checkpoint(path)


def test_mismatched_weights_are_reported(tmp_path, trained):
    path = tmp_path / "m.pt"
    _save(trained, path)
    payload = torch.load(path, weights_only=True)
    payload["config"]["hidden"] = [9]
    torch.save(payload, path)
    with pytest.raises(PlaygroundError, match="damaged or from an incompatible version"):
        load_checkpoint(path)


def test_truncated_checkpoint(tmp_path, trained):
    path = tmp_path / "m.pt"
    _save(trained, path)
    path.write_bytes(path.read_bytes()[:300])
    with pytest.raises(PlaygroundError, match="not a readable checkpoint"):
        load_checkpoint(path)
