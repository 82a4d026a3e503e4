"""What a config will cost before anything is built: its shape, parameters, memory and whether it fits.

The window's size line reads this, so it uses the dataset's real input and output widths and resolves
"auto" to the device the trainer would pick (CUDA when there is one).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets.catalog import DATASETS
from playground.engine.devices import resolve_device
from playground.engine.errors import PlaygroundError
from playground.engine.model import ModelCost, architecture, check_fits, estimate_cost


@dataclass(frozen=True)
class SizeReport:
    architecture: str
    cost: ModelCost
    device: torch.device | None      # None when the config's device cannot be used here
    problem: str | None              # why Train would refuse it, or None when it fits

    @property
    def fits(self) -> bool:
        return self.problem is None

    def summary(self) -> str:
        mb = self.cost.megabytes
        if mb < 0.1:     # a small 2-D net: "0.0 MB" would read as nothing at all
            size = f"{mb * 1024:,.1f} kB"
        else:
            size = f"{mb:,.1f} MB" if mb < 1024 else f"{mb / 1024:,.1f} GB"
        return f"{self.architecture}: {self.cost.parameters:,} parameters, about {size} to train"


def io_widths(config: TrainConfig) -> tuple[int, int]:
    """(inputs, outputs) of the network for this config's dataset."""
    entry = DATASETS[config.dataset]
    return entry.n_inputs, entry.classes_for(config.classes)


def size_report(config: TrainConfig, widths: tuple[int, int] | None = None) -> SizeReport:
    """`widths` (inputs, outputs) for data not in the catalog (your own csv:FILE or folder:DIR, once read)."""
    n_in, n_out = widths or io_widths(config)
    cost = estimate_cost(config, n_in, n_out)
    arch = architecture(config, n_in, n_out)
    try:
        device = resolve_device(config.device)
    except PlaygroundError as exc:
        return SizeReport(arch, cost, None, str(exc))
    try:
        check_fits(config, n_in, n_out, device)
    except PlaygroundError as exc:
        return SizeReport(arch, cost, device, str(exc))
    return SizeReport(arch, cost, device, None)
