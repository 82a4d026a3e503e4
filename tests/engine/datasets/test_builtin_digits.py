"""The built-in digits data set: its cache, and the test split made alone."""
import torch

from playground.engine.datasets import builtin_digits as bd


def test_cache_round_trip_and_corrupt_cache_rebuild(data_home):
    first = bd.load(seed=5, n_train=200, n_test=50)
    path = bd.cache_path(5, 200, 50)
    assert path.exists() and str(path).startswith(str(data_home))
    again = bd.load(seed=5, n_train=200, n_test=50)
    assert torch.equal(first.train_x, again.train_x)
    path.write_bytes(b"garbage" * 10)
    rebuilt = bd.load(seed=5, n_train=200, n_test=50)
    assert torch.equal(first.train_x, rebuilt.train_x)
    assert bd._read_cache(path, 200, 50) is not None


def test_tampered_cache_is_detected(data_home):
    bd.load(seed=6, n_train=100, n_test=20)
    path = bd.cache_path(6, 100, 20)
    payload = torch.load(path, weights_only=True)
    payload["train_x"][0] = 0
    torch.save(payload, path)
    assert bd._read_cache(path, 100, 20) is None


def test_the_test_split_alone_is_the_same_as_in_the_full_set():
    full = bd.load(seed=5, n_train=60, n_test=40, use_cache=False)
    alone = bd.load(seed=5, n_train=60, n_test=40, use_cache=False, need_train=False)
    assert not alone.has_train
    assert torch.equal(alone.test_x, full.test_x) and torch.equal(alone.test_y, full.test_y)
