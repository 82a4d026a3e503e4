"""The `my-digits` dataset (the user's taught drawings), and mixing it into another digit set's training split."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from playground.engine.errors import PlaygroundError
from playground.engine.drawing.my_digits import N_CLASSES, MyDigitsStore
from playground.engine.datasets.base import Dataset

NAME = "my-digits"
CLASS_NAMES = [str(i) for i in range(N_CLASSES)]
# the sets whose classes are the digits 0-9, so that my digits can be mixed into their training split
DIGIT_DATASETS = ("synthetic-digits", "mnist", NAME)
MIXABLE = DIGIT_DATASETS[:2]
TEST_EVERY = 5          # every 5th drawing of a digit (from the 2nd on) is held out for the test split
MIX_REPEAT = 20         # my digits are few: repeated so they weigh something among thousands of others

EMPTY_MESSAGE = ("my digits is empty: draw a digit in the Draw tab and press its button under 'teach "
                 "it your handwriting' (0-9); teach a few of each digit")


def check_teachable(labels: np.ndarray) -> None:
    """Clear messages for a set that cannot train a classifier: empty, or one digit only."""
    if len(labels) == 0:
        raise PlaygroundError(EMPTY_MESSAGE)
    present = sorted(set(int(y) for y in labels))
    if len(present) == 1:
        raise PlaygroundError(f"my digits holds only {present[0]}s ({len(labels)} drawings): a network cannot "
                              f"learn to tell digits apart from one digit; teach at least two different digits")


def split(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the train and test drawings: per digit, every TEST_EVERY-th from the second on is test.

    Deterministic (oldest first), so the split does not change between runs; a digit drawn once is train only.
    """
    test = np.zeros(len(labels), dtype=bool)
    for digit in range(N_CLASSES):
        mine = np.flatnonzero(labels == digit)
        test[mine[1::TEST_EVERY]] = True
    return np.flatnonzero(~test), np.flatnonzero(test)


def load(folder: str | Path | None = None, need_train: bool = True) -> Dataset:
    images, labels = MyDigitsStore(folder).arrays()
    check_teachable(labels)
    train, test = split(labels)
    if len(test) == 0:      # every digit drawn once: measure on the training drawings rather than on nothing
        test = train
    x, y = torch.from_numpy(images), torch.from_numpy(labels)
    return Dataset(NAME, "image", x[train] if need_train else None, y[train] if need_train else None,
                   x[test], y[test], list(CLASS_NAMES))


def mix_into(dataset: Dataset, folder: str | Path | None = None, repeat: int = MIX_REPEAT) -> Dataset:
    """`dataset` with my digits' training drawings added (repeated) to its training split."""
    if dataset.name not in MIXABLE or dataset.class_names != CLASS_NAMES:
        raise PlaygroundError(f"my digits can only be mixed into another digit dataset ({', '.join(MIXABLE)}), "
                              f"not {dataset.name}")
    if not dataset.has_train:
        return dataset
    images, labels = MyDigitsStore(folder).arrays()
    if len(labels) == 0:
        raise PlaygroundError(EMPTY_MESSAGE + " (or untick 'mix in my digits')")
    train, _ = split(labels)
    x = torch.from_numpy(images[train]).repeat(repeat, 1, 1)
    y = torch.from_numpy(labels[train]).repeat(repeat)
    return Dataset(dataset.name, dataset.kind, torch.cat([dataset.train_x, x]), torch.cat([dataset.train_y, y]),
                   dataset.test_x, dataset.test_y, dataset.class_names)
