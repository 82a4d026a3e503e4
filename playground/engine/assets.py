"""The package's data files (`playground/resources/`), read through importlib.resources.

importlib.resources finds them in a source checkout, an editable install and a wheel alike.
"""
from __future__ import annotations

import contextlib
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

PACKAGE = "playground.resources"


def resource(name: str) -> Traversable:
    """One file (or folder) under resources/, e.g. 'icon.svg' or 'presets'."""
    node = resources.files(PACKAGE)
    for part in name.split("/"):
        node = node.joinpath(part)
    return node


def read_text(name: str) -> str:
    return resource(name).read_text(encoding="utf-8")


def read_bytes(name: str) -> bytes:
    return resource(name).read_bytes()


@contextlib.contextmanager
def as_path(name: str) -> Iterator[Path]:
    """A real file path for APIs that need one (valid inside the `with`; a zip install extracts it)."""
    with resources.as_file(resource(name)) as path:
        yield Path(path)


def preset_files() -> list[Traversable]:
    """The preset JSON files in their order (their names start with a number)."""
    return sorted((f for f in resource("presets").iterdir() if f.name.endswith(".json")), key=lambda f: f.name)


# The credit for the real pen digits shipped in resources/pen_digits.npz (engine/datasets/pen_digits.py):
# shown in Help > About and in the README. CC BY 4.0 asks for the creator, the title, the licence and a link.
PEN_DATA_CREDIT = (
    "The built-in digits mix in real pen digits from UNIPEN: Unipen Consortium (1999), \"Unipen data set of "
    "on-line (vectorial) handwriting - train_r01_v07\", section 1a (isolated digits written on tablets by "
    "people at 12 research sites), https://doi.org/10.5281/zenodo.1195803, licensed under Creative Commons "
    "Attribution 4.0 (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). The project: I. Guyon, "
    "L. Schomaker, R. Plamondon, M. Liberman and S. Janet, \"UNIPEN project of on-line data exchange and "
    "recognizer benchmarks\", ICPR 1994. Changes: thinned to one point every 20 ms, scaled and stored as "
    "int16 coordinates; five sites whose segments cut across characters are left out."
)

# Help > About: what the app is, and whose data it ships (a window shows this text as is).
ABOUT_TEXT = (
    "MLP Playground: build a multilayer perceptron, train it with PyTorch and watch what it learns.\n\n"
    + PEN_DATA_CREDIT
)
