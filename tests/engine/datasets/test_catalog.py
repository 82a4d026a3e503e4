"""The dataset catalog: each entry's facts match what its loader returns, and it is the one list."""
import pytest

from playground.engine import config as config_module
from playground.engine.config import TrainConfig
from playground.engine.datasets import DATASETS, load_dataset
from playground.engine.datasets.base import Dataset
from playground.engine.datasets.catalog import DatasetEntry
from playground.engine.errors import PlaygroundError


@pytest.mark.parametrize("name", [n for n, d in DATASETS.items() if d.kind == "points"])
def test_point_entries_match_their_data(name):
    entry = DATASETS[name]
    data = load_dataset(TrainConfig(dataset=name))
    assert data.kind == entry.kind and data.n_inputs == entry.n_inputs
    # the output width: the number of classes, or one value for a regression set
    assert data.n_outputs == entry.classes_for(2) and tuple(data.test_x.shape[1:]) == entry.shape
    assert data.is_regression == (entry.task == "regression")


@pytest.mark.slow
def test_image_entry_matches_its_data(small_digits):
    entry = DATASETS["synthetic-digits"]
    assert (entry.kind, entry.shape, entry.n_classes) == ("image", tuple(small_digits.test_x.shape[1:]), 10)
    assert not entry.downloadable and all(DATASETS[n].downloadable for n in ("mnist", "fashion-mnist", "kmnist"))


def test_every_entry_teaches():
    for entry in DATASETS.values():
        assert entry.label and len(entry.tooltip) > 30


def test_config_reads_its_names_from_the_catalog():
    assert config_module.DATASETS == tuple(DATASETS)
    assert TrainConfig(dataset="spiral", classes=5).classes == 5
    with pytest.raises(PlaygroundError, match="spiral takes 2 to 5 classes"):
        TrainConfig(dataset="spiral", classes=6)


def test_a_new_dataset_is_one_entry(monkeypatch, qtbot):
    import torch

    def load(name, request):
        x = torch.randn(40, 3)
        return Dataset(name, "points", x, (x[:, 0] > 0).long(), x, (x[:, 0] > 0).long(), ["neg", "pos"])

    entry = DatasetEntry("throwaway", "Throwaway (3-D)", "points", (3,), 2, "a test entry with three inputs", load)
    monkeypatch.setitem(DATASETS, "throwaway", entry)
    config = TrainConfig(dataset="throwaway", hidden=(4,), device="cpu", dropout=(0.0,))
    assert load_dataset(config).n_inputs == 3
    from playground.engine.sizing import size_report
    assert size_report(config).architecture == "3-4-2"
    from playground.cli import build_parser
    assert "throwaway" in build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    from playground.ui.training.config_panel import ConfigPanel
    panel = ConfigPanel(config)
    qtbot.addWidget(panel)
    assert panel.dataset.itemText(panel.dataset.findData("throwaway")) == "Throwaway (3-D)"
    assert panel.config().dataset == "throwaway" and "3-4-2" in panel.size.text()
