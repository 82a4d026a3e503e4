"""Downloads against a real HTTP server on 127.0.0.1 serving small IDX files."""
import threading

import pytest

from playground.engine.datasets import downloads, mnist_family
from playground.engine.errors import PlaygroundError

from tests.mirror_server import FILES, served  # noqa: F401  (the fixture)


def _left(raw):
    return sorted(p.name for p in raw.iterdir()) if raw.exists() else []


@pytest.mark.slow
def test_the_mirrors_and_checksums_are_torchvisions(monkeypatch):
    import torchvision.datasets as tvd
    monkeypatch.delenv(downloads.MIRRORS_ENV, raising=False)
    assert downloads.mirrors("fashion-mnist") == tvd.FashionMNIST.mirrors
    assert downloads.resources("kmnist") == [tuple(r) for r in tvd.KMNIST.resources]
    monkeypatch.setenv(downloads.MIRRORS_ENV, "http://a/x, http://b/y/")
    assert downloads.mirrors("mnist") == ["http://a/x/", "http://b/y/"]
    with pytest.raises(PlaygroundError, match="cannot be downloaded"):
        downloads.mirrors("moons")


def test_success_reports_progress_and_leaves_a_loadable_set(served, data_home):
    state, blobs = served
    records = list(downloads.download_records("mnist"))
    raw = data_home / "MNIST" / "raw"
    assert _left(raw) == sorted(FILES)
    assert all((raw / f).read_bytes() == blobs[f] for f in FILES)
    finished = [r for r in records if r.finished]
    assert [r.file_index for r in finished] == [1, 2, 3, 4] and finished[0].total == len(blobs[FILES[0]])
    assert "MNIST train-images-idx3-ubyte.gz (1/4)" in finished[0].text()
    data = mnist_family.load("mnist", allow_download=False)
    assert len(data.train_y) == 300 and len(data.test_y) == 100
    before = state["requests"]
    list(downloads.download_records("mnist"))       # everything verified on disk: nothing fetched again
    assert state["requests"] == before


def test_a_server_that_dies_half_way_leaves_no_file(served, data_home):
    state, _ = served
    state["mode"] = "dies"
    with pytest.raises(PlaygroundError, match="could not download MNIST train-images") as info:
        downloads.download("mnist")
    assert "\n" not in str(info.value)
    assert _left(data_home / "MNIST" / "raw") == []
    assert not mnist_family.is_available("mnist")


def test_a_wrong_checksum_leaves_no_file(served, data_home):
    state, _ = served
    state["mode"] = "wrong"
    with pytest.raises(PlaygroundError, match="checksum mismatch"):
        downloads.download("mnist")
    assert _left(data_home / "MNIST" / "raw") == []


def test_cancel_stops_and_leaves_no_partial_file(served, data_home):
    state, _ = served
    state["mode"] = "slow"
    cancel = threading.Event()
    seen = []
    with pytest.raises(downloads.DownloadCancelled):
        for record in downloads.download_records("mnist", cancel=cancel):
            seen.append(record)
            if record.done > 0:
                cancel.set()
    assert seen and not seen[-1].finished
    assert _left(data_home / "MNIST" / "raw") == []


def test_progress_figures():
    p = downloads.DownloadProgress("MNIST", "f.gz", 1, 4, 2_000_000, 10_000_000, 1_000_000)
    assert p.fraction == 0.2 and p.eta_seconds == 8
    assert p.text() == "MNIST f.gz (1/4): 2.0 of 10.0 MB, 1.0 MB/s, 8 s left"


def test_the_download_command_prints_a_bar_per_file(served, data_home, capsys):
    from playground.cli import main
    assert main(["download", "mnist"]) == 0
    err = capsys.readouterr().err.splitlines()
    bars = [line for line in err if line.startswith("[")]
    assert len(bars) == 4 and all("100%" in b for b in bars) and "(4/4)" in bars[-1]
    assert err[-1].startswith("mnist is in ")
    served[0]["mode"] = "wrong"
    (data_home / "MNIST" / "raw" / FILES[0]).unlink()
    assert main(["download", "mnist"]) == 1
    line = capsys.readouterr().err.strip()
    assert line.startswith("mlp-playground: error: could not download MNIST") and "\n" not in line
