"""A dataset's identity for the store: its name, and for your own file or folder its path and content hash."""
from __future__ import annotations

import hashlib
from pathlib import Path

from playground.engine.data_options import is_data_source, source_path

CHUNK = 1 << 20


def _hash_file(path: Path, digest) -> None:
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)


def content_hash(path: str | Path) -> str | None:
    """sha256 of a file, or of a folder's files (relative names and contents, sorted); None if unreadable."""
    path = Path(path).expanduser()
    digest = hashlib.sha256()
    try:
        if path.is_dir():
            for item in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                digest.update(str(item.relative_to(path).as_posix()).encode() + b"\0")
                _hash_file(item, digest)
        else:
            _hash_file(path, digest)
    except OSError:
        return None
    return digest.hexdigest()


def dataset_identity(dataset: str) -> tuple[str | None, str | None]:
    """(absolute path, content hash) for 'csv:FILE' and 'folder:DIR'; (None, None) for a built-in set."""
    if not is_data_source(dataset):
        return None, None
    path = Path(source_path(dataset)).expanduser()
    try:
        path = path.resolve()
    except OSError:
        pass
    return str(path), content_hash(path)
