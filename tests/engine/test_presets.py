"""The presets are JSON files in resources/presets/: each parses into a valid config with a source note."""
import json

import pytest

from playground.engine import assets
from playground.engine.errors import PlaygroundError
from playground.engine.presets import PRESETS, load_presets, parse_preset


def test_every_preset_file_parses_with_a_note():
    files = assets.preset_files()
    assert len(files) == len(PRESETS) >= 9
    for preset in load_presets():
        assert preset.name and len(preset.source) > 40
    assert PRESETS[0].config.hidden == (200, 200) and PRESETS[-1].config.dataset == "moons"


def test_presets_keep_their_order_and_unique_names():
    names = [p.name for p in PRESETS]
    assert len(set(names)) == len(names)
    assert [f.name for f in assets.preset_files()] == sorted(f.name for f in assets.preset_files())


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ('{"name": "x"}', "exactly"),
    ('{"name": "x", "source": "y", "config": {"optimizer": "nope"}}', "unknown optimizer"),
    ('{"name": 1, "source": "y", "config": {}}', "must be text"),
])
def test_a_bad_preset_file_is_a_clear_error(text, message):
    with pytest.raises(PlaygroundError, match=message):
        parse_preset(text, "bad.json")


def test_preset_config_round_trips():
    data = json.loads(assets.preset_files()[0].read_text(encoding="utf-8"))
    assert parse_preset(json.dumps(data)).config.to_dict() == data["config"]
