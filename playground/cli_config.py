"""Parsed command-line options -> a TrainConfig (shared by cli.py and commands.py, which import it, not
each other)."""
from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playground.engine.config import TrainConfig


def config_from_args(args: argparse.Namespace) -> "TrainConfig":
    """The --config file (or the defaults) with every option given on the command line applied."""
    from playground.data_args import DATA_FIELDS
    from playground.engine.config import TrainConfig
    base = TrainConfig.load(args.config) if getattr(args, "config", None) else TrainConfig()
    names = {"dataset", "data_dir", "classes", "hidden", "activation", "output_activation", "init", "dropout",
             "weight_decay", "decay_biases", "optimizer", "lr", "momentum", "batch_size", "loss", "device",
             "seed", "augment", "epochs", "mix_my_digits", "mix_pen_digits", *DATA_FIELDS}
    changes = {k: v for k, v in vars(args).items() if k in names and v is not None}
    if "hidden" in changes and "dropout" not in changes and len(set(base.dropout)) > 1:
        changes["dropout"] = (0.0,)
    return base.replace(**changes)
