"""One entry per dataset: its label, teaching tooltip, loader and facts.

The config validation, the CLI help, the window's dataset combo, the memory estimate and the loader all
read this table, so adding a dataset is one entry here (plus its tests).
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

from playground.engine.datasets import downloads, mnist_family, toy2d
from playground.engine.data_options import DEFAULT_NOISE, DEFAULT_TRAIN_FRACTION
from playground.engine.datasets.base import Dataset

IMAGE, POINTS = "image", "points"


@dataclass(frozen=True)
class LoadRequest:
    """What a loader may use from the config, plus how the caller wants the data."""
    data_dir: str | None = None
    seed: int = 0
    classes: int = 2
    need_train: bool = True
    allow_download: bool = True
    noise: float = DEFAULT_NOISE                      # the 2-D sets' noise control
    train_fraction: float = DEFAULT_TRAIN_FRACTION    # the 2-D sets' train share
    data_seed: int = 0                                # Regenerate


@dataclass(frozen=True)
class DatasetEntry:
    name: str
    label: str
    kind: str                      # IMAGE (uint8 N x H x W) or POINTS (float32 N x 2)
    shape: tuple[int, ...]         # one sample's shape
    n_classes: int                 # the default number of classes
    tooltip: str
    load: Callable[[str, LoadRequest], Dataset]
    downloadable: bool = False
    # (lowest, highest) number of classes the user may ask for; None: the class count is fixed
    class_range: tuple[int, int] | None = None
    on_disk: Callable[[str, str | None], bool] = lambda name, data_dir: True
    note: str = ""                 # shown under the dataset combo when there is nothing to download
    task: str = "classification"   # or "regression": one output (n_classes is then 1, the output width)
    mixes_my_digits: bool = False  # digits 0-9 whose training split my digits can be added to

    @property
    def n_inputs(self) -> int:
        return math.prod(self.shape)

    def classes_for(self, classes: int) -> int:
        """The output width for a config asking for `classes` classes."""
        return classes if self.class_range else self.n_classes


def _mnist_family(name: str, request: LoadRequest) -> Dataset:
    return mnist_family.load(name, request.data_dir, need_train=request.need_train,
                             allow_download=request.allow_download, download=downloads.download)


def _synthetic(name: str, request: LoadRequest) -> Dataset:
    from playground.engine.datasets import builtin_digits   # its generator is heavy: import it when it is used
    return builtin_digits.load(seed=request.seed, need_train=request.need_train)


def _my_digits(name: str, request: LoadRequest) -> Dataset:
    from playground.engine.datasets import my_digits
    return my_digits.load(need_train=request.need_train)


def _toy(name: str, request: LoadRequest) -> Dataset:
    return toy2d.load(name, seed=request.seed, classes=request.classes, noise=request.noise,
                      train_fraction=request.train_fraction, regenerate=request.data_seed)


def _downloadable(name: str, label: str, tooltip: str, mixes_my_digits: bool = False) -> DatasetEntry:
    return DatasetEntry(name, label, IMAGE, (28, 28), 10, tooltip, _mnist_family, downloadable=True,
                        on_disk=mnist_family.is_available, mixes_my_digits=mixes_my_digits)


DATASETS: dict[str, DatasetEntry] = {
    d.name: d
    for d in [
        DatasetEntry("synthetic-digits", "Built-in digits (offline)", IMAGE, (28, 28), 10,
                     "Handwritten 28x28 digits made on this machine: pen-stroke digits generated from templates, "
                     "mixed with real pen digits that hundreds of people wrote on tablets (UNIPEN, shipped with "
                     "the app), drawn the way the Draw tab draws yours. No download; a model trained on them "
                     "reads real MNIST digits and your drawings.", _synthetic,
                     note="Made on this machine from shipped pen data, no download needed.", mixes_my_digits=True),
        _downloadable("mnist", "MNIST", "60,000 real handwritten 28x28 digits (about 11 MB to download): "
                      "the classic benchmark; a good MLP reaches about 98 %.", mixes_my_digits=True),
        _downloadable("fashion-mnist", "Fashion-MNIST", "60,000 28x28 photos of clothes in 10 classes "
                      "(about 30 MB): harder than digits; an MLP reaches about 89 %."),
        _downloadable("kmnist", "KMNIST", "60,000 28x28 cursive Japanese characters (hiragana) in 10 classes "
                      "(about 20 MB): harder than MNIST, same shapes."),
        DatasetEntry("my-digits", "My digits (taught in the Draw tab)", IMAGE, (28, 28), 10,
                     "The digits you drew and taught with the number buttons under the Draw tab's canvas: "
                     "train on your own handwriting alone, and see how far a few dozen drawings go (then "
                     "compare with 'mix in my digits' on the built-in digits).", _my_digits,
                     note="Your drawings from the Draw tab's teach buttons; every 5th of a digit is held out "
                          "for testing."),
        DatasetEntry("moons", "Moons (2-D)", POINTS, (2,), 2, "Two interleaved half-moons: needs at least one "
                     "hidden layer; try 0 vs 2 hidden layers and watch the decision boundary.", _toy),
        DatasetEntry("circles", "Circles (2-D)", POINTS, (2,), 2, "A ring around a disc: no straight line "
                     "separates them; a few tanh or relu units bend the boundary into a loop.", _toy),
        DatasetEntry("spiral", "Spiral (2-D)", POINTS, (2,), 2, "Interleaved spiral arms (2 to 5 classes): "
                     "the hardest 2-D set; needs depth and width.", _toy, class_range=(2, 5)),
        DatasetEntry("xor", "XOR (2-D)", POINTS, (2,), 2, "Opposite quadrants share a class: the problem a "
                     "single linear layer famously cannot solve.", _toy),
        DatasetEntry("gauss", "Gaussian blobs (2-D)", POINTS, (2,), 2, "Two round clouds of points: a straight "
                     "line separates them until the noise makes them overlap; try noise 0 % vs 50 %.", _toy),
        DatasetEntry("reg-plane", "Regression: plane (2-D)", POINTS, (2,), 1, "Regression: the target is a tilted "
                     "plane over the points, (x1 + x2) / 2. One output, MSE loss, R² and RMSE instead of "
                     "accuracy; even no hidden layer fits it.", _toy, task="regression"),
        DatasetEntry("reg-gauss", "Regression: hills (2-D)", POINTS, (2,), 1, "Regression: hills and valleys "
                     "over the plane (Gaussian bumps). The network has to bend its surface: try 0 vs 2 hidden "
                     "layers and watch the prediction in the Decision boundary tab.", _toy, task="regression"),
    ]
}


def entry(name: str) -> DatasetEntry:
    """The entry for `name`; KeyError when unknown (the config validates names before this is reached)."""
    return DATASETS[name]
