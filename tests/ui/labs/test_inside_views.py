"""The Mistakes and Weights tabs, exercised on small data."""
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QListWidget, QTableWidget

from playground.engine.config import TrainConfig
from playground.engine.presets import PRESETS

from tests.ui.conftest import MOONS, use_config, wait_idle

DIGITS = TrainConfig(hidden=(16,), epochs=2, batch_size=128, device="cpu", augment=False, dropout=(0.0,))


@pytest.fixture
def digits(window, small_digits):
    """Train on the small built-in-digits set of the test suite instead of generating 130,000 digits."""
    window.model.provide_dataset(small_digits, DIGITS)
    return small_digits


def _train(qtbot, window, config) -> None:
    use_config(window, config)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)


def _counts(matrix: QTableWidget) -> np.ndarray:
    return np.array([[int(matrix.item(i, j).text()) for j in range(matrix.columnCount())]
                     for i in range(matrix.rowCount())])


def _click_cell(qtbot, matrix: QTableWidget, row: int, col: int) -> None:
    rect = matrix.visualItemRect(matrix.item(row, col))
    qtbot.mouseClick(matrix.viewport(), Qt.LeftButton, pos=rect.center())


@pytest.mark.slow
def test_confusion_matrix_cells_open_their_examples(qtbot, window):
    _train(qtbot, window, MOONS.replace(epochs=1, lr=1e-4))   # barely trained: plenty of mistakes
    window.tabs.setCurrentWidget(window.mistakes)
    matrix = window.findChild(QTableWidget, "confusionMatrix")
    gallery = window.findChild(QListWidget, "misclassifiedGallery")
    counts = _counts(matrix)
    test_y = window.model.trainer.dataset.test_y.numpy()
    assert counts.sum() == len(test_y)
    assert (counts.sum(1) == np.bincount(test_y)).all()          # rows are the true classes
    accuracy = window.model.runs.current.last.test_accuracy
    assert np.trace(counts) / counts.sum() == pytest.approx(accuracy)
    wrong = counts.sum() - np.trace(counts)
    assert wrong > 0 and gallery.count() == min(wrong, 200)
    _click_cell(qtbot, matrix, 1, 0)
    assert gallery.count() == min(counts[1, 0], 200)
    assert all(gallery.item(i).text().endswith("predicted class 0 (" + gallery.item(i).text().split("(")[-1])
               for i in range(gallery.count()))
    assert all("true class 1" in gallery.item(i).text() for i in range(gallery.count()))
    confidences = [float(gallery.item(i).text().rsplit("(", 1)[1].rstrip("%)")) for i in range(gallery.count())]
    assert confidences == sorted(confidences, reverse=True)
    _click_cell(qtbot, matrix, 0, 0)
    assert gallery.count() == min(counts[0, 0], 200)
    qtbot.mouseClick(window.mistakes.all_button, Qt.LeftButton)
    assert gallery.count() == min(wrong, 200) and "every misclassified" in window.mistakes.filter_label.text()


@pytest.mark.slow
def test_the_matrix_follows_each_epoch_and_reset_clears_it(qtbot, window):
    use_config(window, MOONS.replace(epochs=400))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.mistakes.record is not None and window.mistakes.record.epoch >= 2, timeout=20000)
    seen = window.mistakes.record.epoch
    qtbot.waitUntil(lambda: window.mistakes.record.epoch > seen, timeout=20000)
    assert f"Epoch {window.mistakes.record.epoch}:" in window.mistakes.note.text()
    qtbot.mouseClick(window.reset_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    assert window.mistakes.matrix.rowCount() == 0 and window.mistakes.gallery.count() == 0


def test_gallery_shows_the_misread_digits_as_images(qtbot, window, digits):
    _train(qtbot, window, DIGITS.replace(epochs=1))
    window.tabs.setCurrentWidget(window.mistakes)
    gallery = window.mistakes.gallery
    assert gallery.count() > 0
    item = gallery.item(0)
    assert not item.icon().isNull() and "→" in item.text() and item.text().endswith("%")
    index = item.data(Qt.UserRole)
    true, predicted = item.text().split("\n")[0].split(" → ")
    assert digits.class_names[int(digits.test_y[index])] == true
    assert true != predicted


def test_mistakes_are_filled_when_the_tab_is_opened_later(qtbot, window):
    window.tabs.setCurrentWidget(window.training)
    _train(qtbot, window, MOONS.replace(epochs=1, lr=1e-4))
    assert window.mistakes.gallery.count() == 0        # not built while hidden
    window.tabs.setCurrentWidget(window.mistakes)
    assert window.mistakes.gallery.count() > 0


@pytest.mark.slow
def test_weight_images_show_one_tile_per_hidden_unit(qtbot, window, digits):
    window.tabs.setCurrentWidget(window.weights)
    view = window.weights
    assert "Train a model" in view.note.text() and view.image.image is None
    _train(qtbot, window, DIGITS)
    view.refresh()
    assert view.units == 16 and "all 16 units" in view.note.text()
    assert view.image.image.shape == (4 * 30 - 2, 4 * 30 - 2, 3)        # 4 x 4 tiles of 28 px with 2 px gaps
    learned = view.image.image.copy()
    view.delta.setChecked(False)
    raw = view.image.image.copy()
    assert not np.array_equal(learned, raw)
    weights = window.model.trainer.model.fc1.weight.detach().numpy()
    assert np.array_equal(view.weights, weights)


@pytest.mark.slow
def test_weight_images_change_while_training(qtbot, window, digits):
    window.tabs.setCurrentWidget(window.weights)
    use_config(window, DIGITS.replace(epochs=200))
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    qtbot.waitUntil(lambda: window.weights.units == 16, timeout=20000)
    first = window.weights.image.image.copy()
    qtbot.waitUntil(lambda: not np.array_equal(window.weights.image.image, first), timeout=10000)
    window.session.stop()
    wait_idle(qtbot, window)


def test_without_hidden_layers_the_weights_are_class_templates(qtbot, window, digits):
    window.tabs.setCurrentWidget(window.weights)
    _train(qtbot, window, DIGITS.replace(hidden=(), epochs=1))
    assert window.weights.units == 10 and "class templates" in window.weights.note.text()


@pytest.mark.slow
def test_weight_images_are_for_image_datasets(qtbot, window):
    window.tabs.setCurrentWidget(window.weights)
    _train(qtbot, window, MOONS.replace(epochs=1))
    assert window.weights.units == 0 and "image datasets" in window.weights.note.text()


@pytest.mark.slow
def test_the_relu_on_output_preset_sets_the_output_activation(qtbot, window):
    combo = window.findChild(QComboBox, "presetCombo")
    index = next(i for i, p in enumerate(PRESETS, 1) if p.config.output_activation == "relu")
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    assert window.findChild(QComboBox, "outputActivationCombo").currentData() == "relu"
    assert "mistake" in window.panel.preset_note.text()
    right = next(p.config for p in PRESETS if p.config.hidden == (200, 200) and p.config.activation == "relu")
    assert window.model.config == right.replace(output_activation="relu")


@pytest.mark.slow
def test_a_wide_first_layer_shows_its_first_256_units(qtbot, window, digits):
    window.tabs.setCurrentWidget(window.weights)
    use_config(window, DIGITS.replace(hidden=(300,)))
    qtbot.mouseClick(window.step_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    window.weights.refresh()
    assert window.weights.units == 256 and "showing the first 256 of 300 units" in window.weights.note.text()
    assert window.weights.weights.shape == (256, 784)


@pytest.mark.slow
def test_answers_that_are_not_from_an_epoch_say_what_they_are_from(qtbot, window):
    from dataclasses import replace
    _train(qtbot, window, MOONS.replace(epochs=1, lr=1e-4))
    window.tabs.setCurrentWidget(window.mistakes)
    assert window.mistakes.note.text().startswith("Epoch 1:")
    window.mistakes.show_test(replace(window.mistakes.record, when="After fine-tuning on my digits"))
    assert window.mistakes.note.text().startswith("After fine-tuning on my digits:")


@pytest.mark.slow
def test_confusion_matrix_text_is_dark_on_its_light_cells_in_the_dark_theme_too(qtbot, window):
    _train(qtbot, window, MOONS.replace(epochs=1))
    window.theme.apply("dark", remember=False)
    window.tabs.setCurrentWidget(window.mistakes)
    window.mistakes.show_test(window.mistakes.record)
    matrix = window.findChild(QTableWidget, "confusionMatrix")
    theme_text = matrix.palette().text().color()          # what a cell without its own colour shows
    assert theme_text.lightness() > 128
    for i in range(matrix.rowCount()):
        for j in range(matrix.columnCount()):
            item = matrix.item(i, j)
            brush = item.foreground()
            text = brush.color() if brush.style() != Qt.NoBrush else theme_text
            assert item.background().color().lightness() - text.lightness() > 60
