import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Tests never touch the user's real data folder.
_DATA = tempfile.mkdtemp(prefix="mlp-playground-test-data-")
os.environ["MLP_PLAYGROUND_DATA"] = _DATA
# ...nor its saved window settings (QSettings follows XDG_CONFIG_HOME on Linux).
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="mlp-playground-test-config-")

SHARED_MNIST = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_mnist() -> Path:
    raw = SHARED_MNIST / "MNIST" / "raw"
    if not (raw / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip("../shared/data (the real MNIST test set) is not present")
    return SHARED_MNIST


@pytest.fixture(scope="session")
def small_digits():
    from playground.engine.datasets import builtin_digits
    return builtin_digits.load(seed=3, n_train=3000, n_test=600, use_cache=False)


@pytest.fixture
def data_home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("MLP_PLAYGROUND_DATA", str(tmp_path))
    return tmp_path
