"""One optimizer step for K stacked networks at once, each with its own hyperparameters.

Every parameter is a stacked tensor (K, ...) and every hyperparameter a tensor of shape (K,), so one
call updates all K networks with a handful of whole-tensor ops, whatever K is. The formulas are
torch.optim's (SGD with momentum, Adam, AdamW, RMSprop; defaults: no dampening, no Nesterov, no AMSGrad),
written out with the per-network numbers broadcast along the first dimension; tests compare each against
torch.optim on K separate networks. Scalars that torch.optim computes in Python (Adam's bias corrections)
are computed here in float64 and only then cast, so the two agree to float32 rounding.

A network that is not `alive` (it diverged) keeps its parameters and state as they are.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch

KINDS = ("sgd", "momentum", "adam", "adamw", "rmsprop")


@dataclass
class Hyper:
    """Per-network hyperparameters, each a float64 tensor of shape (K,) on the CPU."""
    lr: torch.Tensor
    weight_decay: torch.Tensor
    momentum: torch.Tensor = field(default=None)   # SGD + momentum, RMSprop's momentum (0: none)
    beta1: torch.Tensor = field(default=None)
    beta2: torch.Tensor = field(default=None)
    eps: torch.Tensor = field(default=None)
    alpha: torch.Tensor = field(default=None)      # RMSprop's smoothing constant

    def __post_init__(self) -> None:
        k = len(self.lr)
        defaults = {"momentum": 0.0, "beta1": 0.9, "beta2": 0.999, "eps": 1e-8, "alpha": 0.99}
        for name, value in defaults.items():
            if getattr(self, name) is None:
                setattr(self, name, torch.full((k,), value, dtype=torch.float64))
        for name in ("lr", "weight_decay", *defaults):
            t = torch.as_tensor(getattr(self, name), dtype=torch.float64).cpu()
            if t.shape != (k,):
                raise ValueError(f"hyperparameter {name} must have shape ({k},), got {tuple(t.shape)}")
            setattr(self, name, t)

    @property
    def k(self) -> int:
        return len(self.lr)


class BatchedOptimizer:
    """`step()` updates stacked parameters (K, ...) from their `.grad`, like K torch.optim optimizers.

    `decay` gives, per parameter, which networks apply weight decay to it (weights always; biases only
    with decay_biases, as `registry.parameter_groups` does): a (K,) bool tensor, or None for all.
    """

    def __init__(self, kind: str, params: list[torch.Tensor], hyper: Hyper,
                 decay: list[torch.Tensor | None] | None = None, centered: bool = False) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown batched optimizer '{kind}'; one of {', '.join(KINDS)}")
        self.kind, self.params, self.hyper, self.centered = kind, list(params), hyper, centered
        self.k = hyper.k
        device = self.params[0].device
        self.step_count = 0
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in self.params]
        decay = decay or [None] * len(self.params)
        # per parameter: its weight decay per network, shaped to broadcast over (K, ...)
        self._wd = []
        for p, d in zip(self.params, decay):
            wd = hyper.weight_decay if d is None else hyper.weight_decay * d.to(torch.float64).cpu()
            self._wd.append(self._view(wd, p, device))
        self._device = device

    @staticmethod
    def _view(values: torch.Tensor, p: torch.Tensor, device: torch.device) -> torch.Tensor:
        return values.to(device=device, dtype=p.dtype).view(-1, *([1] * (p.dim() - 1)))

    def _h(self, name: str, p: torch.Tensor) -> torch.Tensor:
        return self._view(getattr(self.hyper, name), p, self._device)

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, alive: torch.Tensor | None = None) -> None:
        """One update of every alive network (alive: (K,) bool on the parameters' device, None for all)."""
        self.step_count += 1
        for i, p in enumerate(self.params):
            if p.grad is None:
                continue
            new, state = self._update(p, p.grad, self._wd[i], self.state[i])
            if alive is None:
                p.copy_(new)
                self.state[i] = state
            else:
                keep = alive.view(-1, *([1] * (p.dim() - 1)))
                p.copy_(torch.where(keep, new, p))
                old = self.state[i]
                self.state[i] = {n: torch.where(keep, s, old[n] if n in old else torch.zeros_like(s))
                                 for n, s in state.items()}

    def _update(self, p: torch.Tensor, grad: torch.Tensor, wd: torch.Tensor,
                state: dict[str, torch.Tensor]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        lr = self._h("lr", p)
        if self.kind == "adamw":
            p = p * (1 - lr * wd)           # decoupled decay (torch: param.mul_(1 - lr * weight_decay))
        else:
            grad = grad + wd * p
        if self.kind in ("sgd", "momentum"):
            if self.kind == "momentum":
                buf = state.get("momentum_buffer")
                # torch starts the buffer as a copy of the first gradient: the same as 0 * m + g
                grad = grad.clone() if buf is None else buf * self._h("momentum", p) + grad
                state = {"momentum_buffer": grad}
            return p - lr * grad, state
        if self.kind in ("adam", "adamw"):
            return self._adam(p, grad, state, lr)
        return self._rmsprop(p, grad, state, lr)

    def _adam(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor],
              lr: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        h = self.hyper
        exp_avg = state.get("exp_avg", torch.zeros_like(p))
        exp_avg_sq = state.get("exp_avg_sq", torch.zeros_like(p))
        exp_avg = exp_avg.lerp(grad, self._view(1 - h.beta1, p, self._device))
        exp_avg_sq = exp_avg_sq * self._h("beta2", p) + self._view(1 - h.beta2, p, self._device) * grad * grad
        step = self.step_count
        bias_correction1 = 1 - h.beta1 ** step
        bias_correction2_sqrt = (1 - h.beta2 ** step).sqrt()
        step_size = self._view(h.lr / bias_correction1, p, self._device)
        denom = exp_avg_sq.sqrt() / self._view(bias_correction2_sqrt, p, self._device) + self._h("eps", p)
        return p - step_size * (exp_avg / denom), {"exp_avg": exp_avg, "exp_avg_sq": exp_avg_sq}

    def _rmsprop(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor],
                 lr: torch.Tensor) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
        alpha = self._h("alpha", p)
        square_avg = state.get("square_avg", torch.zeros_like(p))
        square_avg = square_avg * alpha + (1 - alpha) * grad * grad
        new_state = {"square_avg": square_avg}
        if self.centered:
            grad_avg = state.get("grad_avg", torch.zeros_like(p)).lerp(grad, 1 - alpha)
            new_state["grad_avg"] = grad_avg
            avg = (square_avg - grad_avg * grad_avg).sqrt() + self._h("eps", p)
        else:
            avg = square_avg.sqrt() + self._h("eps", p)
        if bool((self.hyper.momentum > 0).any()):
            buf = state.get("momentum_buffer", torch.zeros_like(p))
            buf = buf * self._h("momentum", p) + grad / avg
            new_state["momentum_buffer"] = buf
            return p - lr * buf, new_state
        return p - lr * (grad / avg), new_state

    def state_bytes(self) -> int:
        """Bytes of optimizer state held for all K networks (the memory a sweep adds per network)."""
        return sum(t.numel() * t.element_size() for s in self.state for t in s.values())
