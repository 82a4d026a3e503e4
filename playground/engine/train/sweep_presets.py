"""What a learner may sweep, in words, and ready-made value lists for each setting (the window's sweep dialog).

Values are written as `sweep --values` reads them (sweep_params.parse_values), so a preset is only a text.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.config import OUTPUT_ACTIVATIONS, TrainConfig
from playground.engine.registry import ACTIVATIONS, INITS, LOSSES, OPTIMIZERS

LABELS = {
    "lr": "learning rate", "weight-decay": "weight decay", "momentum": "momentum", "dropout": "dropout",
    "init": "init", "seed": "seed", "decay-biases": "decay biases too", "augment": "augmentation",
    "hidden": "hidden layers", "activation": "activation", "output-activation": "output activation",
    "batch-size": "batch size", "optimizer": "optimizer", "loss": "loss", "epochs": "epochs",
}

TIPS = {
    "lr": "The step size. Too small crawls, too large diverges: a log-spaced sweep finds the range that works.",
    "weight-decay": "Pulls weights towards zero each step (L2). More of it fights overfitting, too much underfits.",
    "momentum": "How much of the last step the optimizer keeps (the momentum optimizer; Adam has its own).",
    "dropout": "The fraction of hidden units switched off at random while training. Watch the train/test gap.",
    "init": "How the weights start. Some inits stall a deep network; compare the first epochs.",
    "seed": "The same settings from different random starts: how much of a difference is only luck?",
    "decay-biases": "Whether weight decay also shrinks the biases.",
    "augment": "Small random shifts and rotations of the training digits.",
    "hidden": "The widths of the hidden layers ('64;128,64' is one layer of 64, then two of 128 and 64).",
    "activation": "The nonlinearity between layers.",
    "output-activation": "Something applied to the outputs before the loss (usually a mistake: see it).",
    "batch-size": "Examples per step: smaller is noisier and takes more steps per epoch.",
    "optimizer": "The update rule.",
    "loss": "What training minimises.",
    "epochs": "How long to train.",
}


@dataclass(frozen=True)
class Preset:
    label: str    # as the dialog lists it: "learning rate 1e-4…1e-1, 8 log-spaced"
    text: str     # the values, as `sweep --values` reads them


def _number(v: float) -> str:
    return f"{v:.3g}"


def log_spaced(low: float, high: float, n: int) -> str:
    return ",".join(_number(v) for v in np.logspace(np.log10(low), np.log10(high), n))


def lin_spaced(low: float, high: float, n: int) -> str:
    return ",".join(_number(v) for v in np.linspace(low, high, n))


def presets(param: str, base: TrainConfig) -> list[Preset]:
    """The ready-made value lists of `param`, the first being the usual choice; `base`: the current settings."""
    lr, seed = base.lr, base.seed
    table = {
        "lr": [Preset("learning rate 1e-4…1e-1, 8 log-spaced", log_spaced(1e-4, 1e-1, 8)),
               Preset("learning rate 1e-3…1, 4 log-spaced", log_spaced(1e-3, 1.0, 4)),
               Preset(f"around the current {lr:g}: ÷10…×10, 5 log-spaced", log_spaced(lr / 10, lr * 10, 5))],
        "weight-decay": [Preset("weight decay 0 and 1e-5…1e-2, log-spaced", "0," + log_spaced(1e-5, 1e-2, 4)),
                         Preset("weight decay 1e-5…1e-1, 5 log-spaced", log_spaced(1e-5, 1e-1, 5))],
        "momentum": [Preset("momentum 0, 0.5, 0.9, 0.99", "0,0.5,0.9,0.99"),
                     Preset("momentum 0…0.9, 4 evenly", lin_spaced(0, 0.9, 4))],
        "dropout": [Preset("dropout 0…0.5", lin_spaced(0, 0.5, 6)), Preset("dropout 0, 0.2, 0.5", "0,0.2,0.5")],
        "init": [Preset("every init", ",".join(INITS)),
                 Preset("default, xavier and kaiming", "default,xavier-normal,kaiming-normal")],
        "seed": [Preset(f"seed x{n}", ",".join(str(seed + i) for i in range(n))) for n in (5, 3, 8)],
        "decay-biases": [Preset("without and with", "false,true")],
        "augment": [Preset("without and with", "false,true")],
        "hidden": [Preset("width 16, 64, 256 (one layer)", "16;64;256"),
                   Preset("depth 1, 2, 3 layers of 64", "64;64,64;64,64,64"),
                   Preset("no hidden layer, one, two", "none;64;64,64")],
        "activation": [Preset("every activation", ",".join(ACTIVATIONS)),
                       Preset("relu, sigmoid, tanh", "relu,sigmoid,tanh")],
        "output-activation": [Preset("none and each mistake", ",".join(OUTPUT_ACTIVATIONS[:4]))],
        "batch-size": [Preset("batch size 16, 64, 256", "16,64,256"),
                       Preset("batch size 8…512, doubling", "8,16,32,64,128,256,512")],
        "optimizer": [Preset("every optimizer", ",".join(OPTIMIZERS))],
        "loss": [Preset("every loss", ",".join(LOSSES))],
        "epochs": [Preset("1, 3, 10 epochs", "1,3,10")],
    }
    return table.get(param, [])

