"""What the window remembers per table file (QSettings keyed by the file's resolved path): the label, task
and level cap chosen in the preview, and the batch size and epochs the user set over the table's defaults."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from playground.engine.datasets.tables import MAX_LEVELS
from playground.engine.errors import PlaygroundError
from playground.ui.settings import settings

SETTINGS_GROUP = "tables"
USER_FIELDS = ("batch_size", "epochs")


@dataclass(frozen=True)
class TableChoice:
    """What the user picked in the preview."""
    label: str | None = None        # None: the last column
    task: str = "auto"
    max_levels: int = MAX_LEVELS


def _key(path: str | Path) -> str:
    resolved = str(Path(path).expanduser().resolve())
    return f"{SETTINGS_GROUP}/{hashlib.sha1(resolved.encode()).hexdigest()[:20]}"


def remembered(path: str | Path) -> dict:
    """What was chosen for this file before ({} the first time)."""
    text = settings().value(_key(path))
    try:
        data = json.loads(text) if isinstance(text, str) else {}
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def remember(path: str | Path, **values) -> None:
    """Merge `values` into what is remembered for this file (None forgets a value)."""
    data = {**remembered(path), **values, "path": str(Path(path).expanduser().resolve())}
    settings().setValue(_key(path), json.dumps({k: v for k, v in data.items() if v is not None}))


def remembered_choice(path: str | Path) -> TableChoice:
    data, default = remembered(path), TableChoice()
    try:
        return TableChoice(data.get("label"), str(data.get("task", default.task)),
                           int(data.get("max_levels", default.max_levels)))
    except (TypeError, ValueError):
        return default


def with_user_values(config, path: str | Path, defaults: dict):
    """`config` with the table's batch size and epochs, except where the user set their own for this file."""
    mine = remembered(path)
    table = {k: v for k, v in defaults.items() if k in USER_FIELDS}
    try:
        return config.replace(**{k: mine.get(k, v) for k, v in table.items()})
    except (PlaygroundError, TypeError):     # a remembered value this version refuses: the table's own
        return config.replace(**table)


def note_user_values(path: str | Path, config, defaults: dict) -> None:
    """Remember the batch size and epochs the user set over the table's defaults (forget equal ones)."""
    remember(path, **{k: (getattr(config, k) if getattr(config, k) != v else None)
                      for k, v in defaults.items() if k in USER_FIELDS})
