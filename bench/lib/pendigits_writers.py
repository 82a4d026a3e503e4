"""Real pen digits of the UCI "pendigits" collection's 30 training writers, for the pen benchmark.

Alpaydin and Alimoglu collected 250 digits from each of 44 writers on a WACOM tablet (500 x 500, one
point every 100 ms). The raw trajectories are `pendigits-orig.tra` (30 writers, 7,494 digits) and
`pendigits-orig.tes` (the other 14 writers). The collection is CC BY 4.0 (UCI Machine Learning
Repository, https://doi.org/10.24432/C5MG6K). None of it is in this project.

The hidden pen set of issue 23 is described as "real tablet trajectories of 14 writers from one
country", which fits the `.tes` writers. This reader therefore takes only `pendigits-orig.tra`, and
refuses a file with any other name: those 30 writers are disjoint from the 14, but wrote on the same
tablet, in the same country, with the same protocol, so they are the closest public proxy for the
hidden set. They are only measured; nothing in the shipped data or defaults is fitted on them.

Format: `.SEGMENT DIGIT <n> ? "<d>"`, then `.COMMENT <d> <writer> <index>`, then one or more
`.PEN_DOWN` blocks of "x y" lines, each closed by `.PEN_UP`; y points up.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from bench.lib.unipen_digits import PenDigit

TRAINING_FILE = "pendigits-orig.tra"
_SEGMENT = re.compile(r'\.SEGMENT\s+DIGIT\s+\S+\s+\S+\s+"(\d)"')
RATE = 10.0  # points per second: one every 100 ms


def writer_group(digits: list[PenDigit], which: str) -> list[PenDigit]:
    """Half the writers to tune on ("dev": odd writer numbers), the other half only measured ("held"), or
    "all"."""
    if which not in ("dev", "held", "all"):
        raise ValueError(f"no writer group {which!r}")
    return [d for d in digits if which == "all" or (int(d.writer[len("pendigits/w"):]) % 2 == 1) == (which == "dev")]


def load_pendigits_writers(path: str | Path) -> list[PenDigit]:
    """Every digit of the training writers' file, strokes in screen orientation (y down)."""
    path = Path(path)
    if path.is_dir():
        path = path / TRAINING_FILE
    if path.name != TRAINING_FILE:
        raise ValueError(f"only {TRAINING_FILE} (the 30 training writers) is read, not {path.name}")
    digits: list[PenDigit] = []
    label, writer = -1, ""
    strokes: list[list[tuple[float, float]]] = []
    current: list | None = None

    def close() -> None:
        picked = [np.array(s, dtype=float) * (1, -1) for s in strokes if s]
        if label >= 0 and picked:
            digits.append(PenDigit(picked, label, f"pendigits/w{writer}", RATE, RATE))

    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith(".SEGMENT"):
                close()
                m = _SEGMENT.match(line)
                label, writer, strokes, current = (int(m.group(1)) if m else -1), "", [], None
            elif line.startswith(".COMMENT"):
                parts = line.split()
                writer = parts[2] if len(parts) > 2 else "?"
            elif line.startswith(".PEN_DOWN"):
                current = []
                strokes.append(current)
            elif line.startswith("."):
                current = None
            elif current is not None:
                parts = line.split()
                if len(parts) >= 2:
                    current.append((float(parts[0]), float(parts[1])))
    close()
    return digits
