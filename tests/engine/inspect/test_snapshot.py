import threading
import time

import numpy as np
import torch

from playground.engine.config import TrainConfig
from playground.engine.train.evaluation import predict_proba
from playground.engine.model import build_model
from playground.engine.inspect.snapshot import ModelFacts, SnapshotPredictor, WeightSource
from playground.engine.train.training import Trainer

MOONS = TrainConfig(dataset="moons", hidden=(16, 8), epochs=1, batch_size=64, device="cpu")


def _source(trainer: Trainer, max_hz: float = 1000.0) -> WeightSource:
    facts = ModelFacts(trainer.config, "points", ("a", "b"), (2,), 2)
    return WeightSource(trainer.model, facts, trainer.weights_lock, lambda: trainer.weights_version, max_hz=max_hz)


def test_the_version_grows_when_training_changes_the_weights_and_only_then():
    trainer = Trainer(MOONS)
    source = _source(trainer)
    first = source.snapshot(limit_rate=False)
    assert source.snapshot(limit_rate=False) is first          # nothing changed: the same copy
    trainer.step()
    second = source.snapshot(limit_rate=False)
    assert second.version > first.version
    assert not np.array_equal(second.layers[0][0], first.layers[0][0])
    for (w, b), (name, module) in zip(second.layers, [(n, m) for n, m in trainer.model.named_children()
                                                      if isinstance(m, torch.nn.Linear)]):
        np.testing.assert_array_equal(w, module.weight.detach().numpy())
        np.testing.assert_array_equal(b, module.bias.detach().numpy())
    assert [w.shape for w, _ in second.layers] == [(16, 2), (8, 16), (2, 8)]


def test_copies_are_rate_limited_while_asked_to_be():
    trainer = Trainer(MOONS)
    source = _source(trainer, max_hz=0.001)
    first = source.snapshot()
    trainer.step()
    assert source.snapshot() is first                          # changed, but too soon for a new copy
    assert source.snapshot(limit_rate=False).version > first.version


def test_a_copy_is_never_torn_by_a_concurrent_update():
    """A writer sets every parameter to the same number under the lock; every copy must be uniform."""
    model = build_model(TrainConfig(hidden=(64, 64)), 32, 4)
    lock, version = threading.Lock(), [0]
    source = WeightSource(model, ModelFacts(TrainConfig(hidden=(64, 64)), "points", tuple("abcd"), (32,), 32),
                          lock, lambda: version[0], max_hz=1e9)
    stop = threading.Event()

    def writer() -> None:
        k = 0
        while not stop.is_set():
            k += 1
            with lock, torch.no_grad():
                for p in model.parameters():
                    p.fill_(float(k))
                version[0] = k
            time.sleep(0.0002)

    thread = threading.Thread(target=writer)
    thread.start()
    seen = set()
    try:
        for _ in range(300):
            snapshot = source.snapshot()
            values = {float(v) for array in snapshot.state.values() for v in np.unique(array)}
            assert len(values) == 1, values
            seen.add(values.pop())
            time.sleep(0.0002)
    finally:
        stop.set()
        thread.join()
    assert len(seen) > 1   # the copies did follow the writer


def test_predictions_from_a_snapshot_match_the_model():
    trainer = Trainer(MOONS)
    trainer.step()
    snapshot = _source(trainer).snapshot(limit_rate=False)
    x = torch.randn(5, 2)
    expected = predict_proba(trainer.model, x)
    assert torch.allclose(SnapshotPredictor().predict_proba(snapshot, x), expected, atol=1e-6)
    assert snapshot.activation == MOONS.activation and snapshot.first_layer(4).shape == (4, 2)


def test_the_predictor_follows_new_versions_and_leaves_the_global_rng_alone():
    trainer = Trainer(MOONS.replace(dropout=(0.5, 0.5)))
    source, predictor, x = _source(trainer), SnapshotPredictor(), torch.randn(5, 2)
    rng = torch.get_rng_state()
    before = predictor.predict_proba(source.snapshot(limit_rate=False), x)
    assert torch.equal(rng, torch.get_rng_state())
    for _ in range(20):
        trainer.step()
    after = predictor.predict_proba(source.snapshot(limit_rate=False), x)
    assert not torch.allclose(before, after)
    assert torch.allclose(after, predict_proba(trainer.model, x), atol=1e-6)
