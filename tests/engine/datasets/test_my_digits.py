import numpy as np
import pytest

from playground.engine.config import TrainConfig
from playground.engine.datasets import load_dataset
from playground.engine.datasets.my_digits import mix_into, split
from playground.engine.errors import PlaygroundError
from playground.engine.drawing.my_digits import MyDigitsStore


def teach(store: MyDigitsStore, labels) -> None:
    for i, label in enumerate(labels):
        image = np.zeros((28, 28), np.uint8)
        image[4 + i % 10:20, 8:12 + label] = 200
        store.add(image, label)


def test_empty_set_gives_a_clear_message(data_home):
    with pytest.raises(PlaygroundError, match="my digits is empty.*Draw tab"):
        load_dataset(TrainConfig(dataset="my-digits"))


def test_one_digit_only_gives_a_clear_message(data_home):
    teach(MyDigitsStore(), [4, 4, 4])
    with pytest.raises(PlaygroundError, match="only 4s.*at least two different digits"):
        load_dataset(TrainConfig(dataset="my-digits"))


def test_loader_splits_my_digits(data_home):
    teach(MyDigitsStore(), [1] * 6 + [2] * 3 + [3])
    data = load_dataset(TrainConfig(dataset="my-digits"))
    assert data.kind == "image" and data.class_names == [str(i) for i in range(10)]
    assert data.test_x.shape[1:] == (28, 28) and data.test_x.dtype.is_floating_point is False
    assert sorted(data.test_y.tolist()) == [1, 2]     # the second drawing of each digit drawn twice or more
    assert len(data.train_y) + len(data.test_y) == 10


def test_split_is_deterministic_and_keeps_single_drawings_for_training():
    labels = np.array([0, 0, 0, 0, 0, 0, 0, 5])   # 0s at 0-6: the 2nd and 7th are held out
    train, test = split(labels)
    assert test.tolist() == [1, 6] and 7 in train.tolist()


def test_mixing_adds_my_digits_to_a_digit_training_split(data_home, small_digits):
    teach(MyDigitsStore(), [7, 7, 1, 1, 1])
    mixed = mix_into(small_digits, repeat=3)
    assert len(mixed.train_y) == len(small_digits.train_y) + 3 * 3     # 3 of the 5 are training drawings
    assert mixed.test_y is small_digits.test_y


def test_mixing_is_refused_for_other_sets_and_empty_sets(data_home, small_digits):
    with pytest.raises(PlaygroundError, match="empty"):
        mix_into(small_digits)
    with pytest.raises(PlaygroundError, match="only"):
        TrainConfig(dataset="moons", mix_my_digits=True)
