"""Downloading the MNIST family with progress and cancel, from the mirrors and MD5 checksums that
torchvision's dataset classes declare (`MNIST.mirrors`, `MNIST.resources`, ...).

Each file is streamed to a temporary name beside its destination, checked against its MD5, and only then
renamed into place, so a cancelled or failed download never leaves a file that looks complete. Files land in
ROOT/<Name>/raw/, torchvision's own layout. `MLP_PLAYGROUND_MIRRORS` (comma-separated base URLs) replaces the
mirror list, which is how the tests serve small files from 127.0.0.1.
"""
from __future__ import annotations

import hashlib
import http.client
import os
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from playground.engine.errors import PlaygroundError
from playground.engine.files import user_data_dir
from playground.engine.datasets.mnist_family import FOLDERS

MIRRORS_ENV = "MLP_PLAYGROUND_MIRRORS"
CHUNK = 64 * 1024
TIMEOUT = 30.0          # seconds without any data before a mirror counts as failed
REPORT_EVERY = 0.1      # seconds between progress records


class DownloadCancelled(PlaygroundError):
    """The user pressed Cancel; nothing half-written is left behind."""


@dataclass(frozen=True)
class DownloadProgress:
    """Where a download stands: a plain record the window and the CLI draw a progress bar from."""
    dataset: str
    file: str
    file_index: int           # 1-based
    file_count: int
    done: int                 # bytes of this file so far
    total: int | None         # bytes of this file, when the server says
    bytes_per_second: float
    finished: bool = False    # this file is complete and verified

    @property
    def fraction(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def eta_seconds(self) -> float | None:
        if not self.total or self.bytes_per_second <= 0:
            return None
        return max(self.total - self.done, 0) / self.bytes_per_second

    def text(self) -> str:
        """'MNIST t10k-images-idx3-ubyte.gz (3/4): 1.2 of 1.6 MB, 0.8 MB/s, 1 s left'."""
        size = f"{self.done / 1e6:.1f} of {self.total / 1e6:.1f} MB" if self.total else f"{self.done / 1e6:.1f} MB"
        eta = self.eta_seconds
        left = f", {eta:.0f} s left" if eta is not None and not self.finished else ""
        return (f"{self.dataset} {self.file} ({self.file_index}/{self.file_count}): {size}, "
                f"{self.bytes_per_second / 1e6:.1f} MB/s{left}")


def _torchvision_class(name: str):
    import torchvision.datasets as tvd
    if name not in FOLDERS:
        raise PlaygroundError(f"'{name}' cannot be downloaded; choose one of: {', '.join(FOLDERS)}")
    return getattr(tvd, FOLDERS[name])     # torchvision names each class after its folder


def mirrors(name: str) -> list[str]:
    """Base URLs to try in order: $MLP_PLAYGROUND_MIRRORS, else the ones torchvision declares."""
    declared = _torchvision_class(name).mirrors
    override = os.environ.get(MIRRORS_ENV, "").strip()
    if override:
        return [u.strip() if u.strip().endswith("/") else u.strip() + "/" for u in override.split(",") if u.strip()]
    return list(declared)


def resources(name: str) -> list[tuple[str, str]]:
    """(file name, MD5) of every file of the dataset, as torchvision declares them."""
    return [(file, md5) for file, md5 in _torchvision_class(name).resources]


def raw_folder(name: str, root: str | Path | None = None) -> Path:
    return (Path(root).expanduser() if root else user_data_dir()) / FOLDERS[name] / "raw"


def md5_of(path: Path) -> str:
    digest = hashlib.md5()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fetch(url: str, target: Path, md5: str, progress, cancel: threading.Event | None) -> Iterator[DownloadProgress]:
    """Stream url into target (a temporary name), yielding progress; raises on failure or a wrong MD5."""
    request = urllib.request.Request(url, headers={"User-Agent": "mlp-playground"})
    digest = hashlib.md5()
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response, target.open("wb") as out:
        length = response.headers.get("Content-Length")
        total = int(length) if length and length.isdigit() else None
        done, start, last = 0, time.perf_counter(), 0.0
        while True:
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("download cancelled")
            block = response.read(CHUNK)
            if not block:
                break
            out.write(block)
            digest.update(block)
            done += len(block)
            now = time.perf_counter()
            if now - last >= REPORT_EVERY:
                last = now
                yield progress(done, total, done / max(now - start, 1e-9))
        if total is not None and done < total:
            raise OSError(f"the connection closed after {done:,} of {total:,} bytes")
        out.flush()
        os.fsync(out.fileno())
    if digest.hexdigest() != md5:
        raise ValueError(f"checksum mismatch (MD5 {digest.hexdigest()}, expected {md5})")
    yield progress(done, total or done, done / max(time.perf_counter() - start, 1e-9))


def download_records(name: str, root: str | Path | None = None,
                     cancel: threading.Event | None = None) -> Iterator[DownloadProgress]:
    """Download every missing file of `name`, yielding DownloadProgress; files already there with the right
    checksum are kept. Raises DownloadCancelled or a PlaygroundError naming what failed."""
    _torchvision_class(name)     # an unknown name is refused before anything is created
    raw = raw_folder(name, root)
    try:
        raw.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PlaygroundError(f"cannot create {raw}: {exc.strerror or exc}") from None
    files = resources(name)
    bases = mirrors(name)
    label = FOLDERS[name]
    for index, (file, md5) in enumerate(files, 1):
        destination = raw / file
        if destination.is_file() and md5_of(destination) == md5:
            yield DownloadProgress(label, file, index, len(files), destination.stat().st_size,
                                   destination.stat().st_size, 0.0, finished=True)
            continue
        temporary = raw / f".{file}.part"
        errors = []
        for base in bases:
            def progress(done, total, speed, _file=file, _index=index):
                return DownloadProgress(label, _file, _index, len(files), done, total, speed)
            try:
                last = None
                for last in _fetch(base + file, temporary, md5, progress, cancel):
                    yield last
                os.replace(temporary, destination)
                if last is not None:
                    yield DownloadProgress(label, file, index, len(files), last.done, last.total,
                                           last.bytes_per_second, finished=True)
                break
            except DownloadCancelled:
                temporary.unlink(missing_ok=True)
                raise
            except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, TimeoutError) as exc:
                temporary.unlink(missing_ok=True)
                reason = getattr(exc, "reason", None) or exc
                errors.append(f"{base}: {str(reason).splitlines()[0][:120] if str(reason) else type(exc).__name__}")
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        else:
            raise PlaygroundError(f"could not download {label} {file} ({'; '.join(errors)}). If this machine is "
                                  f"offline, copy the files into {raw} from a machine that has them, or pass "
                                  f"--data-dir")


def download(name: str, root: str | Path | None = None, cancel: threading.Event | None = None) -> None:
    """Download without reporting progress (the first `train` on a set that is not on disk)."""
    for _ in download_records(name, root, cancel):
        pass
