"""One-click set-ups of the experiments in the tutorials this playground teaches.

Each preset is a JSON file in resources/presets/ ({"name", "source", "config"}), so adding one is adding
a file; the config inside is validated like any other.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from playground.engine.assets import preset_files
from playground.engine.config import TrainConfig
from playground.engine.errors import PlaygroundError


@dataclass(frozen=True)
class Preset:
    name: str
    source: str
    config: TrainConfig


def parse_preset(text: str, where: str = "preset") -> Preset:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlaygroundError(f"{where} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or set(data) != {"name", "source", "config"}:
        raise PlaygroundError(f"{where} must be an object with exactly 'name', 'source' and 'config'")
    if not isinstance(data["name"], str) or not isinstance(data["source"], str):
        raise PlaygroundError(f"{where}: 'name' and 'source' must be text")
    try:
        config = TrainConfig.from_dict(data["config"])
    except PlaygroundError as exc:
        raise PlaygroundError(f"{where}: {exc}") from None
    return Preset(data["name"], data["source"], config)


def load_presets() -> list[Preset]:
    return [parse_preset(f.read_text(encoding="utf-8"), f.name) for f in preset_files()]


PRESETS: list[Preset] = load_presets()
