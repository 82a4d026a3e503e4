"""Choosing the torch device: auto, cpu, cuda, cuda:N or mps, with clear errors."""
from __future__ import annotations

import torch

from playground.engine.errors import PlaygroundError
from playground.engine.train.threads import training_threads


def cuda_unavailable_reason() -> str | None:
    """None when CUDA can be used, else a sentence saying why not."""
    if torch.version.cuda is None:
        return f"this PyTorch ({torch.__version__}) was built without CUDA"
    if not torch.cuda.is_available():
        return "no CUDA GPU or driver was found on this machine"
    return None


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps and mps.is_available())


def resolve_device(name: str) -> torch.device:
    if name == "auto":
        if cuda_unavailable_reason() is None:
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    if name == "cpu":
        return torch.device("cpu")
    if name == "mps":
        if not _mps_available():
            raise PlaygroundError("device 'mps' was asked for but Apple's Metal backend is not available; "
                                  "use --device cpu or auto")
        return torch.device("mps")
    if name == "cuda" or name.startswith("cuda:"):
        reason = cuda_unavailable_reason()
        if reason:
            raise PlaygroundError(f"device '{name}' was asked for but {reason}; use --device cpu or auto")
        index = int(name[5:]) if ":" in name else 0
        count = torch.cuda.device_count()
        if index >= count:
            raise PlaygroundError(f"device '{name}' does not exist: this machine has {count} CUDA device(s)")
        return torch.device("cuda", index)
    raise PlaygroundError(f"unknown device '{name}'; use auto, cpu, cuda, cuda:N or mps")


def device_label(device: torch.device) -> str:
    """A short human name: 'CPU (2 threads)' or 'cuda:0 NVIDIA H100'."""
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"cuda:{index} {torch.cuda.get_device_name(index)}"
    if device.type == "mps":
        return "Apple GPU (mps)"
    n = training_threads()
    return f"CPU ({n} thread{'' if n == 1 else 's'})"


def cuda_devices() -> list[tuple[str, str]]:
    """(device name, label) for every visible CUDA device; empty when there is none."""
    if cuda_unavailable_reason() is not None:
        return []
    return [(f"cuda:{i}", f"cuda:{i} {torch.cuda.get_device_name(i)}") for i in range(torch.cuda.device_count())]
