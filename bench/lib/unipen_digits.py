"""Real pen digits for the pen benchmark: section 1a (isolated digits) of UNIPEN train_r01_v07.

UNIPEN is a public collection of on-line handwriting: tablet pen trajectories that research sites
collected from their writers (CC BY 4.0, https://doi.org/10.5281/zenodo.1195803). Section 1a of
train_r01_v07 labels 15,953 isolated digits from 17 sites; 15,279 of them, from 12 sites, are read here.
None of it is in this project; point `--unipen` at a copy of the distribution (the folder that holds
`data/` and `include/`; a git copy is at https://github.com/GreenCappuccino/train_r01_v07).

The format, as far as this reader needs it:
- `data/1a/<site>/**/<writer>.dat` names the pen data with `.INCLUDE <site>/.../<file>.dat` (relative to
  `include/`) and labels it with `.SEGMENT CHARACTER <a>[-<b>] <quality> "<digit>"`, where a and b number
  the pen-down strokes of the included data from 0.
- The pen data has `.PEN_DOWN` / `.PEN_UP` blocks of "x y [...]" lines, y pointing up, and may give
  `.POINTS_PER_SECOND`.

Five sites' segment numbers do not match their data (the segments cut across several characters or
hold a fragment of one, checked on a sample sheet), so they are left out: SKIP_SITES.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SKIP_SITES = frozenset({"cea", "ceb", "lou", "pri", "tos"})
# The sites whose misread digits were looked at while the built-in digits were changed. The other three
# (ced, imp, art: 1,773 digits) were only ever measured: their figure is the one to trust.
DEV_SITES = frozenset({"syn", "apb", "ibm", "gmd", "app", "apa", "val", "uqb", "aga"})
_SEGMENT = re.compile(r'\.SEGMENT\s+CHARACTER\s+(\d+)(?:-(\d+))?\s+\S+\s+"(\d)"')


@dataclass
class PenDigit:
    strokes: list[np.ndarray]  # (k, 2) float arrays, y pointing down as on a screen
    label: int
    writer: str  # the site and the file: one writer each
    rate: float  # points per second as the pen data file gives it, 0 where it does not say
    # the rate the site's description (.doc) declares where the pen data does not: every_ms uses `rate`
    # alone, as the figures in the README were measured; the shipped set (make_pen_set.py) uses this one
    declared_rate: float = 0.0

    @property
    def site(self) -> str:
        return self.writer.split("/")[0]


def _read_pen_data(path: Path) -> tuple[list[np.ndarray], float]:
    """Pen-down strokes in file order, and the sampling rate if the file gives one."""
    strokes: list[list[tuple[float, float]]] = []
    current: list | None = None
    rate = 0.0
    with open(path, encoding="latin-1") as f:
        for line in f:
            if line.startswith("."):
                key, _, rest = line.partition(" ")
                key = key.strip()
                if key == ".PEN_DOWN":
                    current = []
                    strokes.append(current)
                else:
                    current = None
                    if key == ".POINTS_PER_SECOND" and not rate:
                        try:
                            rate = float(rest.split()[0])
                        except (ValueError, IndexError):
                            pass
            elif current is not None:
                parts = line.split()
                if len(parts) >= 2:
                    try:
                        current.append((float(parts[0]), float(parts[1])))
                    except ValueError:
                        pass
    return [np.array(s, dtype=float).reshape(-1, 2) for s in strokes], rate


def _doc_rate(path: Path) -> float:
    """The .POINTS_PER_SECOND a site's description declares, 0 when absent."""
    try:
        for line in path.read_text(encoding="latin-1").splitlines():
            if line.startswith(".POINTS_PER_SECOND"):
                return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0.0


def load_unipen_digits(root: str | Path, skip_sites: frozenset[str] = SKIP_SITES) -> list[PenDigit]:
    """Every labelled isolated digit of section 1a whose pen data is present."""
    root = Path(root)
    digits: list[PenDigit] = []
    for labels in sorted((root / "data" / "1a").rglob("*.dat")):
        site = labels.relative_to(root / "data" / "1a").parts[0]
        if site in skip_sites:
            continue
        strokes: list[np.ndarray] = []
        rate = doc_rate = 0.0
        for line in labels.read_text(encoding="latin-1").splitlines():
            if line.startswith(".INCLUDE") and line.split()[-1].endswith(".dat"):
                included = root / "include" / line.split()[-1]
                if included.exists():
                    more, more_rate = _read_pen_data(included)
                    strokes += more
                    rate = rate or more_rate
                continue
            if line.startswith(".INCLUDE") and line.split()[-1].endswith(".doc"):
                doc_rate = _doc_rate(root / "include" / line.split()[-1])
                continue
            m = _SEGMENT.match(line)
            if not m:
                continue
            first, last = int(m.group(1)), int(m.group(2) or m.group(1))
            if last >= len(strokes):
                continue
            picked = [s * (1, -1) for s in strokes[first:last + 1] if len(s)]
            if picked:
                digits.append(PenDigit(picked, int(m.group(3)), f"{site}/{labels.stem}", rate,
                                       rate or doc_rate))
    return digits


def site_group(digits: list[PenDigit], which: str) -> list[PenDigit]:
    """The digits of the DEV_SITES ("dev"), of the others ("held"), or all of them ("all")."""
    if which not in ("dev", "held", "all"):
        raise ValueError(f"no site group {which!r}")
    return [d for d in digits if which == "all" or (d.site in DEV_SITES) == (which == "dev")]


def every_ms(digit: PenDigit, ms: float, declared: bool = False) -> list[np.ndarray]:
    """The strokes as a tablet sampling every `ms` milliseconds would give them (ends kept). With
    `declared`, a file without a rate of its own is thinned at its site's declared rate."""
    rate = digit.declared_rate if declared else digit.rate
    if ms <= 0 or rate <= 0:
        return digit.strokes
    step = max(1, round(rate * ms / 1000))
    out = []
    for s in digit.strokes:
        keep = list(range(0, len(s), step))
        if keep[-1] != len(s) - 1:
            keep.append(len(s) - 1)
        out.append(s[keep])
    return out


def balanced_sample(digits: list[PenDigit], per_class: int, seed: int = 0) -> list[PenDigit]:
    """Up to `per_class` digits of each class, drawn at random across writers."""
    rng = np.random.default_rng(seed)
    out: list[PenDigit] = []
    for d in range(10):
        pool = [p for p in digits if p.label == d]
        pick = rng.choice(len(pool), size=min(per_class, len(pool)), replace=False)
        out += [pool[i] for i in sorted(pick)]
    return out
