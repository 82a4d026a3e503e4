"""The configuration panel reads its choices and limits from the engine and never clips a loaded config."""
import pytest

from playground.engine import config as engine_config
from playground.engine.config import TrainConfig
from playground.engine.datasets import DATASETS
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS
from playground.ui.training.config_panel import ConfigPanel


@pytest.fixture
def panel(qtbot):
    p = ConfigPanel(TrainConfig())
    qtbot.addWidget(p)
    return p


def _items(combo):
    return [combo.itemData(i) for i in range(combo.count())]


def test_combos_list_the_registries_with_their_tooltips(panel):
    from PySide6.QtCore import Qt
    assert _items(panel.dataset) == list(DATASETS)
    assert _items(panel.activation) == list(ACTIVATIONS)
    assert _items(panel.output_activation) == ["none", *ACTIVATIONS]
    assert _items(panel.init) == list(INITS)
    assert _items(panel.optimizer) == list(OPTIMIZERS)
    assert _items(panel.loss) == list(LOSSES)
    i = panel.optimizer.findData("adam")
    assert panel.optimizer.itemText(i) == "Adam"
    assert panel.optimizer.itemData(i, Qt.ToolTipRole) == OPTIMIZERS["adam"].tooltip
    j = panel.dataset.findData("moons")
    assert panel.dataset.itemData(j, Qt.ToolTipRole) == DATASETS["moons"].tooltip


def test_limits_come_from_the_engine(panel):
    assert panel.batch_size.maximum() == engine_config.MAX_BATCH_SIZE
    assert panel.epochs.maximum() == engine_config.MAX_EPOCHS
    assert panel.seed.maximum() == engine_config.MAX_SEED
    assert (panel.lr.minimum(), panel.lr.maximum()) == engine_config.LR_RANGE
    assert panel.momentum.maximum() == engine_config.MAX_MOMENTUM


def test_the_widest_deepest_config_is_shown_exactly(panel):
    big = TrainConfig(dataset="moons", hidden=(engine_config.MAX_WIDTH,) * engine_config.MAX_LAYERS,
                      dropout=(engine_config.MAX_DROPOUT,), batch_size=engine_config.MAX_BATCH_SIZE,
                      epochs=engine_config.MAX_EPOCHS, seed=engine_config.MAX_SEED, device="cpu")
    panel.set_config(big)
    assert panel.config() == big
    assert panel.error.isHidden()
    assert not panel.hidden.add_button.isEnabled()


def test_a_value_the_panel_cannot_show_is_said_not_clipped(panel):
    odd = TrainConfig(dataset="moons", hidden=(8,), dropout=(0.12345,), device="cpu")
    panel.set_config(odd)
    assert not panel.error.isHidden() and "dropout" in panel.error.text()
    assert panel.current() == odd


def test_momentum_follows_the_optimizer_entry(panel):
    for name, entry in OPTIMIZERS.items():
        panel.set_config(TrainConfig(optimizer=name))
        assert panel.momentum.isEnabled() == entry.uses_momentum


def test_size_line_uses_the_datasets_real_widths(panel):
    panel.set_config(TrainConfig(dataset="spiral", classes=4, hidden=(8,), device="cpu", dropout=(0.0,)))
    assert panel.size.text().startswith("2-8-4:")
    panel.set_config(TrainConfig(hidden=(16,), device="cpu", dropout=(0.0,)))
    assert panel.size.text().startswith("784-16-10:")


def test_classes_only_matter_for_datasets_that_offer_a_choice(panel):
    panel.set_config(TrainConfig(dataset="moons", classes=7, hidden=(8,), device="cpu", dropout=(0.0,)))
    assert panel.config().classes == 7 and panel.classes.isHidden()
    assert panel.error.isHidden()


def test_augmentation_follows_the_dataset_default_unless_changed(panel):
    from PySide6.QtWidgets import QCheckBox, QComboBox

    augment = panel.findChild(QCheckBox, "augmentCheck")
    combo = panel.findChild(QComboBox, "datasetCombo")
    assert augment.isChecked()                      # built-in digits: on by default
    combo.setCurrentIndex(combo.findData("mnist"))
    assert not augment.isChecked() and not panel.current().augment
    augment.setChecked(True)                        # the user's own choice is kept
    combo.setCurrentIndex(combo.findData("fashion-mnist"))
    assert augment.isChecked() and panel.current().augment


def test_pen_mix_box_shows_for_mnist_only_and_follows_the_default(panel, qtbot):
    panel.show()
    box = panel.findChild(type(panel.mix_pen_digits), "mixPenDigitsCheck")
    assert box is panel.mix_pen_digits and box.toolTip()
    assert not box.isVisible()                                # the built-in digits hold pen digits already
    panel.dataset.setCurrentIndex(panel.dataset.findData("mnist"))
    assert box.isVisible() and box.isChecked() and panel.current().mix_pen_digits is True
    box.setChecked(False)
    assert panel.current().mix_pen_digits is False
    panel.dataset.setCurrentIndex(panel.dataset.findData("fashion-mnist"))
    assert not box.isVisible() and panel.current().mix_pen_digits is False
    panel.set_config(TrainConfig(dataset="mnist", mix_pen_digits=False))
    assert box.isVisible() and not box.isChecked()
