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
