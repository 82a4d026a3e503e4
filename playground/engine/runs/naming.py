"""Words for runs: a one-line settings summary and what changed between two configs ('sigmoid, wd 0.001')."""
from __future__ import annotations

from playground.engine.config import TrainConfig

MAX_NAME_DIFFS = 3


def _dropout_text(config: TrainConfig) -> str:
    values = sorted(set(config.dropout))
    if not values or values == [0.0]:
        return "no dropout"
    return "dropout " + "/".join(f"{p:g}" for p in config.dropout) if len(values) > 1 else f"dropout {values[0]:g}"


def _facts(config: TrainConfig) -> dict[str, str]:
    """Short descriptions of the settings a learner compares, keyed by what they describe."""
    return {
        "dataset": config.dataset,
        "hidden": "no hidden layer" if not config.hidden else "hidden " + "-".join(map(str, config.hidden)),
        "activation": config.activation,
        "output": "" if config.output_activation == "none" else f"{config.output_activation} on output",
        "init": f"init {config.init}",
        "optimizer": config.optimizer + (f" {config.momentum:g}" if config.optimizer == "momentum" else ""),
        "lr": f"lr {config.lr:g}",
        "dropout": _dropout_text(config),
        "weight_decay": f"wd {config.weight_decay:g}",
        "batch": f"batch {config.batch_size}",
        "loss": "" if config.loss == "cross-entropy" else f"{config.loss} loss",
        "augment": "" if config.augment else "no augmentation",
        "seed": f"seed {config.seed}",
    }


_DEFAULT_WORDS = {"output": "no output activation", "loss": "cross-entropy loss", "augment": "augmentation"}


def settings_summary(config: TrainConfig) -> str:
    """The key settings of a run in one line, for the runs table."""
    f = _facts(config)
    keys = ["hidden"] if not config.hidden else ["activation"]   # no hidden layer: no activation is used
    keys += ["output", "init", "optimizer", "lr", "batch", "dropout", "weight_decay", "loss"]
    return ", ".join(f[k] for k in keys if f[k])


def difference(before: TrainConfig, after: TrainConfig) -> str:
    """What changed between two configs, in words ('sigmoid, wd 0.001'), at most a few items."""
    a, b = _facts(before), _facts(after)
    changed = [b[k] or _DEFAULT_WORDS[k] for k in b if a[k] != b[k] and k != "seed"]
    if not changed and before.seed != after.seed:
        changed = [b["seed"]]
    if len(changed) > MAX_NAME_DIFFS:
        changed = changed[:MAX_NAME_DIFFS] + ["…"]
    return ", ".join(changed)
