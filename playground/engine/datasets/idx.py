"""A small reader for the IDX files MNIST-family datasets ship in (gzip-compressed or not)."""
from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np
import torch

from playground.engine.errors import PlaygroundError

# IDX type byte -> numpy dtype (big-endian on disk)
_DTYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: np.dtype(">i2"), 0x0C: np.dtype(">i4"),
           0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8")}


def read_idx(path: str | Path, expect_ndim: int | None = None) -> torch.Tensor:
    """Read an IDX file into a tensor; any damage raises a PlaygroundError that names the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz" or raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
    except FileNotFoundError:
        raise PlaygroundError(f"file not found: {path}") from None
    except (OSError, EOFError, zlib.error) as exc:
        raise PlaygroundError(f"{path} is not a readable gzip file ({exc}); delete it and download again") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _DTYPES:
        raise PlaygroundError(f"{path} is not an IDX file (wrong magic number)")
    dtype = np.dtype(_DTYPES[raw[2]])
    ndim = raw[3]
    if expect_ndim is not None and ndim != expect_ndim:
        raise PlaygroundError(f"{path} has {ndim} dimensions where {expect_ndim} were expected")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise PlaygroundError(f"{path} is truncated (header cut short)")
    shape = tuple(int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    count = int(np.prod(shape, dtype=np.int64)) if shape else 1
    expected = header + count * dtype.itemsize
    if len(raw) < expected:
        raise PlaygroundError(f"{path} is truncated: {len(raw):,} bytes where {expected:,} were expected")
    if len(raw) > expected:
        raise PlaygroundError(f"{path} has {len(raw) - expected:,} unexpected trailing bytes; it is corrupted")
    array = np.frombuffer(raw, dtype=dtype, count=count, offset=header).reshape(shape)
    return torch.from_numpy(array.astype(dtype.newbyteorder("="), copy=True))


def write_idx(path: str | Path, array: np.ndarray) -> None:
    """Write a uint8 array as IDX (used by tests and benchmarks to make MNIST-layout folders)."""
    array = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    data = header + array.tobytes()
    path = Path(path)
    path.write_bytes(gzip.compress(data, compresslevel=1) if path.suffix == ".gz" else data)
