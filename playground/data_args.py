"""The CLI's data options (noise, train share, Regenerate, input features, your own files), in one place."""
from __future__ import annotations

import argparse

DATA_FIELDS = ("noise", "train_fraction", "data_seed", "features", "label_column", "task", "max_levels", "image_fit")


def _fraction(low: float, high: float, what: str):
    def parse(text: str) -> float:
        try:
            value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a number like 0.25 or 25%, got '{text}'") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:g} and {high:g}, got {value:g}")
        return value
    return parse


def _features(text: str) -> tuple[str, ...]:
    from playground.engine.errors import PlaygroundError
    from playground.engine.features import parse_features
    try:
        return parse_features(text)
    except PlaygroundError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _seed(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got '{text}'") from None


def add_data_source_options(p: argparse.ArgumentParser) -> None:
    from playground.engine.data_options import IMAGE_FITS, NOISE_RANGE, TASKS, TRAIN_FRACTION_RANGE
    from playground.engine.features import FEATURES
    p.add_argument("--noise", type=_fraction(*NOISE_RANGE, "noise"), metavar="N",
                   help="2-D sets: noise from 0 to 0.5 (or 0%%-50%%; default 0.1)")
    p.add_argument("--train-fraction", type=_fraction(*TRAIN_FRACTION_RANGE, "the training share"),
                   metavar="F", help="share of the samples used for training, 0.1-0.9 (default 2/3); the rest "
                   "is the test split")
    p.add_argument("--data-seed", type=_seed, metavar="N",
                   help="draw the data anew (the window's Regenerate); 0: from --seed (default)")
    p.add_argument("--features", type=_features, metavar="LIST",
                   help=f"2-D sets: the network's inputs, from {','.join(FEATURES)} (default x1,x2)")
    p.add_argument("--label-column", metavar="NAME|INDEX", help="csv: the label column (default: the last)")
    p.add_argument("--task", choices=TASKS, metavar="TASK",
                   help="csv: classification, regression or auto (default: classification when the labels "
                        "are words or few whole numbers)")
    p.add_argument("--max-levels", type=_seed, metavar="N",
                   help="csv: a word column with more distinct values than this is taken for an identifier "
                        "(names, ids) and left out (default 50); raise it to keep such a column")
    p.add_argument("--image-fit", choices=IMAGE_FITS, metavar="FIT",
                   help="folder: digit (crop to the ink, fit 20 px, centre by mass, as drawings are; default) or "
                        "resize (simply scale each image to 28x28)")
