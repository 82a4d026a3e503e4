import pytest

from playground.engine import files
from playground.engine.files import atomic_write_bytes, user_data_dir


def test_atomic_write_replaces_the_whole_file(tmp_path):
    path = tmp_path / "a.bin"
    atomic_write_bytes(path, b"first")
    atomic_write_bytes(path, b"second")
    assert path.read_bytes() == b"second"
    assert [p.name for p in tmp_path.iterdir()] == ["a.bin"]


def test_a_crash_while_writing_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "model.pt"
    path.write_bytes(b"the good old checkpoint")

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(files.os, "fsync", crash)
    with pytest.raises(OSError):
        atomic_write_bytes(path, b"half a new checkp")
    assert path.read_bytes() == b"the good old checkpoint"
    assert [p.name for p in tmp_path.iterdir()] == ["model.pt"]


def test_data_folder_override(monkeypatch, tmp_path):
    monkeypatch.setenv("MLP_PLAYGROUND_DATA", str(tmp_path / "d"))
    assert user_data_dir() == tmp_path / "d"


def test_atomic_link_keeps_the_old_contents_when_the_source_is_replaced(tmp_path):
    from playground.engine.files import atomic_link, atomic_write_bytes
    atomic_write_bytes(tmp_path / "last.pt", b"epoch 1")
    atomic_link(tmp_path / "last.pt", tmp_path / "best.pt", b"epoch 1")
    atomic_write_bytes(tmp_path / "last.pt", b"epoch 2")
    assert (tmp_path / "best.pt").read_bytes() == b"epoch 1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["best.pt", "last.pt"]
