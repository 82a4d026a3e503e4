"""Writing files so that a crash never leaves a half-written one, and the user data folder."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path

DATA_ENV = "MLP_PLAYGROUND_DATA"


def user_data_dir() -> Path:
    """Where datasets and caches live: $MLP_PLAYGROUND_DATA, else the platform's user data folder."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    if os.name == "nt":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif os.uname().sysname == "Darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share"))
    return base / "mlp-playground"


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, fsync, then rename over it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_link(source: Path, target: Path, data: bytes) -> None:
    """Make `target` a second name of `source` (a hard link renamed into place: atomic, nothing written
    twice; replacing `source` later leaves `target` as it was), or an atomic copy of `data` where the
    file system refuses links."""
    target = Path(target)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.link")
    try:
        if tmp.exists():
            tmp.unlink()
        os.link(source, tmp)
        os.replace(tmp, target)
    except OSError:
        atomic_write_bytes(target, data)
