""""My digits": the drawings a user taught the Draw tab, one small JSON file per drawing.

Each entry keeps the label, the 28x28 image the network saw and the stroke vectors it came from (so a
later, better renderer can redraw them). One file per entry means an interrupted write or a damaged file
loses one drawing, never the set: damaged files are reported in `problems` and skipped.
"""
from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.files import atomic_write_bytes, user_data_dir

FOLDER_NAME = "my-digits"
FORMAT_VERSION = 1
SIDE = 28
N_CLASSES = 10

Strokes = list[list[tuple[float, float]]]


def default_folder() -> Path:
    return user_data_dir() / FOLDER_NAME


@dataclass(frozen=True)
class MyDigit:
    id: str
    label: int
    image: np.ndarray            # (28, 28) uint8, ink bright on black, as the network saw it
    strokes: Strokes = field(default_factory=list)   # canvas pixels, in drawing order
    created: float = 0.0         # seconds since the epoch

    def to_json(self) -> str:
        return json.dumps({"version": FORMAT_VERSION, "id": self.id, "label": self.label,
                           "created": self.created,
                           "image": base64.b64encode(self.image.astype(np.uint8).tobytes()).decode("ascii"),
                           "strokes": [[[round(x, 2), round(y, 2)] for x, y in s] for s in self.strokes]})

    @classmethod
    def from_json(cls, text: str) -> "MyDigit":
        """Parse one entry; anything malformed raises ValueError (the store reports and skips it)."""
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("version") != FORMAT_VERSION:
            raise ValueError("not a my-digits entry of a known version")
        label = data["label"]
        if isinstance(label, bool) or not isinstance(label, int) or not 0 <= label < N_CLASSES:
            raise ValueError(f"label {label!r} is not a digit 0-9")
        raw = base64.b64decode(data["image"], validate=True)
        if len(raw) != SIDE * SIDE:
            raise ValueError(f"image has {len(raw)} bytes, not {SIDE * SIDE}")
        strokes = [[(float(x), float(y)) for x, y in s] for s in data.get("strokes", [])]
        return cls(str(data["id"]), label, np.frombuffer(raw, np.uint8).reshape(SIDE, SIDE).copy(), strokes,
                   float(data.get("created", 0.0)))


def validate_image(image: np.ndarray) -> np.ndarray:
    array = np.asarray(image)
    if array.shape != (SIDE, SIDE):
        raise PlaygroundError(f"a taught digit must be a 28x28 image, got shape {array.shape}")
    if array.dtype != np.uint8:
        array = np.clip(np.rint(array.astype(np.float32)), 0, 255).astype(np.uint8)
    if not array.any():
        raise PlaygroundError("the drawing is blank: draw a digit first, then teach it")
    return array


class MyDigitsStore:
    """The set on disk plus its in-memory copy; safe to read from a worker while the GUI adds entries."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder is not None else default_folder()
        self._lock = threading.Lock()
        self._entries: dict[str, MyDigit] = {}
        self.problems: list[str] = []
        self.reload()

    # --- reading -----------------------------------------------------------------------------
    def reload(self) -> None:
        """Read every entry file again; damaged ones are listed in `problems` and skipped."""
        entries: dict[str, MyDigit] = {}
        problems: list[str] = []
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.json")):
                try:
                    entry = MyDigit.from_json(path.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
                    problems.append(f"skipped damaged file {path.name}: {_short(exc)}")
                    continue
                if entry.id != path.stem:
                    problems.append(f"skipped {path.name}: it names entry {entry.id!r}")
                    continue
                entries[entry.id] = entry
        with self._lock:
            self._entries = dict(sorted(entries.items(), key=lambda kv: (kv[1].created, kv[0])))
            self.problems = problems

    def entries(self) -> list[MyDigit]:
        """All entries, oldest first."""
        with self._lock:
            return list(self._entries.values())

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def counts(self) -> list[int]:
        """How many drawings of each digit 0-9."""
        counts = [0] * N_CLASSES
        for e in self.entries():
            counts[e.label] += 1
        return counts

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """(N, 28, 28) uint8 images and (N,) int64 labels, oldest first."""
        entries = self.entries()
        images = np.stack([e.image for e in entries]) if entries else np.zeros((0, SIDE, SIDE), np.uint8)
        return images, np.array([e.label for e in entries], dtype=np.int64)

    # --- changing ----------------------------------------------------------------------------
    def add(self, image: np.ndarray, label: int, strokes: Sequence[Sequence[Sequence[float]]] = ()) -> MyDigit:
        if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= int(label) < N_CLASSES:
            raise PlaygroundError(f"a taught digit's label must be 0-9, got {label!r}")
        entry = MyDigit(uuid.uuid4().hex[:12], int(label), validate_image(image),
                        [[(float(x), float(y)) for x, y in s] for s in strokes], time.time())
        try:
            atomic_write_bytes(self.folder / f"{entry.id}.json", entry.to_json().encode("utf-8"))
        except OSError as exc:
            raise PlaygroundError(f"cannot save the drawing in {self.folder}: {exc.strerror or exc}") from None
        with self._lock:
            self._entries[entry.id] = entry
        return entry

    def delete(self, entry_id: str) -> bool:
        """Remove one entry from memory and disk; False when there is no such entry."""
        with self._lock:
            entry = self._entries.pop(entry_id, None)
        if entry is None:
            return False
        try:
            (self.folder / f"{entry_id}.json").unlink(missing_ok=True)
        except OSError as exc:
            with self._lock:
                self._entries[entry_id] = entry
            raise PlaygroundError(f"cannot delete {entry_id}.json: {exc.strerror or exc}") from None
        return True

    # --- export ------------------------------------------------------------------------------
    def export_png_grid(self, path: str | Path, columns: int = 10) -> Path:
        """One PNG: a row per digit 0-9 (wrapping after `columns`), white ink on black, 1 px gaps."""
        from PIL import Image
        images, labels = self.arrays()
        if len(labels) == 0:
            raise PlaygroundError("my digits is empty: there is nothing to export")
        rows: list[list[np.ndarray]] = []
        for digit in range(N_CLASSES):
            mine = [img for img, y in zip(images, labels) if y == digit]
            for start in range(0, len(mine), columns):
                rows.append(mine[start:start + columns])
        cell = SIDE + 1
        grid = np.full((len(rows) * cell + 1, columns * cell + 1), 64, np.uint8)
        for r, row in enumerate(rows):
            for c, img in enumerate(row):
                grid[1 + r * cell:1 + r * cell + SIDE, 1 + c * cell:1 + c * cell + SIDE] = img
        path = Path(path)
        try:
            from io import BytesIO
            buffer = BytesIO()
            Image.fromarray(grid, mode="L").save(buffer, format="PNG")
            atomic_write_bytes(path, buffer.getvalue())
        except OSError as exc:
            raise PlaygroundError(f"cannot write {path}: {exc.strerror or exc}") from None
        return path

    def export_idx(self, folder: str | Path, prefix: str = "my-digits") -> tuple[Path, Path]:
        """`<prefix>-images-idx3-ubyte` and `<prefix>-labels-idx1-ubyte`, MNIST's own layout."""
        from playground.engine.datasets.idx import write_idx
        images, labels = self.arrays()
        if len(labels) == 0:
            raise PlaygroundError("my digits is empty: there is nothing to export")
        folder = Path(folder)
        out = (folder / f"{prefix}-images-idx3-ubyte", folder / f"{prefix}-labels-idx1-ubyte")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            write_idx(out[0], images)
            write_idx(out[1], labels.astype(np.uint8))
        except OSError as exc:
            raise PlaygroundError(f"cannot write the IDX files in {folder}: {exc.strerror or exc}") from None
        return out


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:120]}" if text else type(exc).__name__
