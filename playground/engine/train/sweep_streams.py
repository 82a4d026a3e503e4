"""Where a batched sweep's batches and dropout masks come from, so each network sees what its own `train`
run would have seen.

A plain run (training.py) draws, from one generator seeded with `config.seed`: the init, then each epoch's
shuffle and each batch's augmentation; its dropout masks come from torch's global generator, seeded with
the same seed. Networks whose draws are the same (one seed, inits that drew alike, the same data) form one
*stream*: one shuffle, one augmented batch and one dropout mask per layer serve them all. Sweeping the
learning rate gives one stream; sweeping the seed gives one stream per network (their batches are then
gathered side by side, (K, B, features)).
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

import torch
import torch.nn.functional as F

from playground.engine.train.augment import augment_batch


def _rng_get(device: torch.device) -> torch.Tensor | None:
    if device.type == "cpu":
        return torch.get_rng_state()
    if device.type == "cuda":
        return torch.cuda.get_rng_state(device)
    return None   # other devices: their global generator is used as is (no per-stream state)


def _rng_set(device: torch.device, state: torch.Tensor | None) -> None:
    if state is None:
        return
    if device.type == "cpu":
        torch.set_rng_state(state)
    elif device.type == "cuda":
        torch.cuda.set_rng_state(state, device)


def seeded_global_state(device: torch.device, seed: int) -> torch.Tensor | None:
    """The global generator's state right after `torch.manual_seed(seed)`, leaving the global one as it was."""
    saved = _rng_get(device)
    if device.type == "cuda":
        with torch.cuda.device(device):
            torch.cuda.manual_seed(seed)
    elif device.type == "cpu":
        torch.random.default_generator.manual_seed(seed)
    state = _rng_get(device)
    _rng_set(device, saved)
    return state


@dataclass
class Stream:
    """The networks (indices into the sweep) that share one sequence of batches and dropout masks."""
    members: list[int]
    generator: torch.Generator              # shuffles and augmentation, after the init's draws
    dropout_state: torch.Tensor | None      # the global generator's state for this stream's dropout masks
    train_x: torch.Tensor                   # (N, features) network-ready, on the device
    train_y: torch.Tensor
    augment_shape: tuple[int, ...] | None   # (28, 28) when batches are augmented, else None
    perm: torch.Tensor | None = field(default=None)

    def new_epoch(self) -> None:
        # the plain run's randperm, on the CPU generator, then moved (training.py's _next_batch)
        self.perm = torch.randperm(len(self.train_y), generator=self.generator).to(self.train_x.device)

    def batch(self, start: int, end: int) -> tuple[torch.Tensor, torch.Tensor]:
        index = self.perm[start:end]
        x, y = self.train_x[index], self.train_y[index]
        if self.augment_shape is not None:
            x = augment_batch(x.view(-1, *self.augment_shape), self.generator).flatten(1)
        return x, y

    @contextmanager
    def dropout_rng(self, device: torch.device) -> Iterator[None]:
        """Draw from the global generator as this stream's own run would, then put the global one back."""
        saved = _rng_get(device)
        _rng_set(device, self.dropout_state)
        try:
            yield
        finally:
            self.dropout_state = _rng_get(device)
            _rng_set(device, saved)


def generator_fingerprint(generator: torch.Generator) -> bytes:
    return bytes(generator.get_state().numpy().tobytes())


def dropout_masks(streams: list[Stream], rates: torch.Tensor, shape: tuple[int, int], k: int,
                  device: torch.device) -> torch.Tensor | None:
    """One hidden layer's dropout multipliers for K networks: (B, H) when one mask serves all, else
    (K, B, H); None when no network drops units here.

    `rates` is this layer's dropout rate per network (CPU, (K,)). Each stream draws as its run would
    (F.dropout on ones: the mask scaled by 1/(1-p)); networks of one stream with different rates start
    their draw from the same generator state, as their separate runs would.
    """
    values = rates.tolist()
    if not any(p > 0 for p in values):
        return None
    per_network: list[torch.Tensor | None] = [None] * k
    ones = torch.ones(shape, device=device)
    for stream in streams:
        wanted = sorted({values[i] for i in stream.members if values[i] > 0})
        if not wanted:
            continue
        start = stream.dropout_state
        masks = {}
        for p in wanted:
            stream.dropout_state = start
            with stream.dropout_rng(device):
                masks[p] = F.dropout(ones, p, training=True)
        for i in stream.members:
            per_network[i] = masks.get(values[i], ones)
    if len(streams) == 1 and len({id(m) for m in per_network}) == 1:
        return per_network[0]
    return torch.stack([m if m is not None else ones for m in per_network])
