"""What the window remembers: missing or corrupt settings fall back to the defaults with a note."""
from playground.engine.config import TrainConfig
from playground.ui import settings as s


def test_nothing_saved_gives_the_defaults():
    config, note = s.restored_config()
    assert config == TrainConfig() and note is None


def test_a_saved_config_comes_back():
    saved = TrainConfig(dataset="moons", hidden=(8, 8), dropout=(0.0,), lr=0.02)
    s.remember_config(saved)
    assert s.restored_config() == (saved, None)


def test_corrupt_or_wrongly_typed_values_fall_back():
    for value in ("{not json", '{"optimizer": "nope"}', '{"lr": -1}', "[]"):
        s.settings().setValue(s.SETTINGS_KEY, value)
        config, note = s.restored_config()
        assert config == TrainConfig() and "unreadable" in note
    s.settings().setValue(s.SETTINGS_KEY, 42)     # not text at all: treated as nothing saved
    assert s.restored_config() == (TrainConfig(), None)


def test_a_dataset_missing_on_disk_falls_back_to_the_built_in_digits(data_home):
    s.remember_config(TrainConfig(dataset="kmnist", data_dir=str(data_home)))
    config, note = s.restored_config()
    assert config.dataset == "synthetic-digits" and "KMNIST is not on disk" in note
