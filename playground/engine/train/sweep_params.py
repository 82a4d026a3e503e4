"""The settings a sweep can vary, and how their values are read from text (no torch needed: the CLI's
parser reads this table)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from playground.engine.errors import PlaygroundError


def _bool(text: str) -> bool:
    if text.lower() in ("1", "true", "yes", "on"):
        return True
    if text.lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"expected true or false, got '{text}'")


def _widths(text: str) -> tuple[int, ...]:
    return () if text.lower() in ("none", "0-hidden") else tuple(int(p) for p in text.split(","))


def _rates(text: str) -> tuple[float, ...]:
    return tuple(float(p) for p in text.split(","))


@dataclass(frozen=True)
class SweepParam:
    name: str                     # as on the command line: "weight-decay"
    field: str                    # the TrainConfig field it sets
    parse: Callable[[str], Any]
    batched: bool                 # trained together (True) or one group after another (False)
    log_scale: bool = False       # plotted on a log axis

    def value_of(self, text: str) -> Any:
        try:
            return self.parse(text.strip())
        except ValueError:
            raise PlaygroundError(f"--values for {self.name}: cannot read '{text.strip()}'") from None


PARAMS: dict[str, SweepParam] = {p.name: p for p in [
    SweepParam("lr", "lr", float, True, log_scale=True),
    SweepParam("weight-decay", "weight_decay", float, True, log_scale=True),
    SweepParam("momentum", "momentum", float, True),
    SweepParam("dropout", "dropout", _rates, True),
    SweepParam("init", "init", str, True),
    SweepParam("seed", "seed", int, True),
    SweepParam("decay-biases", "decay_biases", _bool, True),
    SweepParam("augment", "augment", _bool, True),
    SweepParam("hidden", "hidden", _widths, False),
    SweepParam("activation", "activation", str, False),
    SweepParam("output-activation", "output_activation", str, False),
    SweepParam("batch-size", "batch_size", int, False),
    SweepParam("optimizer", "optimizer", str, False),
    SweepParam("loss", "loss", str, False),
    SweepParam("epochs", "epochs", int, False),
]}
BATCHED_FIELDS = tuple(p.field for p in PARAMS.values() if p.batched)


def parse_values(param: str, text: str) -> list[Any]:
    """'1e-3,1e-2' -> [0.001, 0.01]. Values that are lists themselves (hidden, per-layer dropout) are
    separated by ';' instead: '64;128,64' -> [(64,), (128, 64)]."""
    if param not in PARAMS:
        raise PlaygroundError(f"cannot sweep '{param}'; choose one of: {', '.join(PARAMS)}")
    parts = text.split(";") if ";" in text else text.split(",")
    parts = [p for p in parts if p.strip()]
    if not parts:
        raise PlaygroundError(f"--values for {param} is empty; give values like 1e-3,1e-2")
    return [PARAMS[param].value_of(p) for p in parts]


def json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def value_text(value: Any) -> str:
    if isinstance(value, tuple):
        return ",".join(value_text(v) for v in value) if value else "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
