"""One optimizer step for K stacked networks at once, each with its own hyperparameters.

Every parameter is a stacked tensor (K, ...) and every hyperparameter a tensor of shape (K,), so one
call updates all K networks with a handful of whole-tensor ops, whatever K is. The formulas are
torch.optim's (SGD with momentum, Adam, AdamW, RMSprop; defaults: no dampening, no Nesterov, no AMSGrad),
written out with the per-network numbers broadcast along the first dimension; tests compare each against
torch.optim on K separate networks. Scalars that torch.optim computes in Python (Adam's bias corrections)
are computed here in float64 and only then cast, so the two agree to float32 rounding.

A network that is not `alive` (it diverged) keeps its parameters as they are.
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


def _buffer(state: dict[str, torch.Tensor], name: str, p: torch.Tensor) -> torch.Tensor:
    """The named state buffer, made (zeros) the first time it is asked for."""
    if name not in state:
        state[name] = torch.zeros_like(p)
    return state[name]


class BatchedOptimizer:
    """`step()` updates stacked parameters (K, ...) from their `.grad`, like K torch.optim optimizers.

    `decay` gives, per parameter, which networks apply weight decay to it (weights always; biases only
    with decay_biases, as `registry.parameter_groups` does): a (K,) bool tensor, or None for all.
    Updates are in place, a few whole-tensor passes per parameter, as torch.optim's own loop does.
    """

    def __init__(self, kind: str, params: list[torch.Tensor], hyper: Hyper,
                 decay: list[torch.Tensor | None] | None = None, centered: bool = False) -> None:
        if kind not in KINDS:
            raise ValueError(f"unknown batched optimizer '{kind}'; one of {', '.join(KINDS)}")
        self.kind, self.params, self.hyper, self.centered = kind, list(params), hyper, centered
        self.k = hyper.k
        self._device = self.params[0].device
        self.step_count = 0
        self.state: list[dict[str, torch.Tensor]] = [{} for _ in self.params]
        self._rms_momentum = bool((hyper.momentum > 0).any())
        self._work: list[torch.Tensor] = []
        self._largest = max(p.numel() for p in self.params)
        decay = decay or [None] * len(self.params)
        # per parameter: its weight decay per network, or None where no network decays it
        self._wd: list[torch.Tensor | None] = []
        for p, d in zip(self.params, decay):
            wd = hyper.weight_decay if d is None else hyper.weight_decay * d.to(torch.float64).cpu()
            self._wd.append(self._view(wd, p) if bool((wd != 0).any()) else None)

    def _view(self, values: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
        """(K,) numbers shaped to broadcast over p's (K, ...), on its device and in its dtype."""
        return values.to(device=self._device, dtype=p.dtype).view(-1, *([1] * (p.dim() - 1)))

    def zero_grad(self) -> None:
        for p in self.params:
            p.grad = None

    @torch.no_grad()
    def step(self, alive: torch.Tensor | None = None) -> None:
        """One update of every network; those not `alive` ((K,) bool on the device) keep their parameters:
        their gradients count as zero and their learning rate as zero (their optimizer state decays)."""
        self.step_count += 1
        h = self.hyper
        lr = h.lr.to(self._device)
        # Adam's step size lr / (1 - beta1^t), computed in float64 as torch.optim computes it in Python
        step = (h.lr / (1 - h.beta1 ** self.step_count)).to(self._device)
        if alive is not None:
            lr, step = lr * alive, step * alive
        for i, p in enumerate(self.params):
            grad = p.grad
            if grad is None:
                continue
            if alive is not None:
                grad = grad.masked_fill(~self._view(alive, p).bool(), 0.0)
            self._update(p, grad, i, self._view(lr, p), self._view(step, p))

    def _scratch(self, p: torch.Tensor, n: int) -> list[torch.Tensor]:
        """n work tensors shaped like p, in memory kept between steps: fresh tensors of this size cost a
        page fault per page on every step on a CPU."""
        size = p.numel()
        if len(self._work) < n or self._work[0].numel() < size:
            self._work = [torch.empty(max(size, self._largest), device=p.device, dtype=p.dtype) for _ in range(n)]
        return [w[:size].view_as(p) for w in self._work[:n]]

    def _update(self, p: torch.Tensor, grad: torch.Tensor, i: int, lr: torch.Tensor, step: torch.Tensor) -> None:
        wd, state, h = self._wd[i], self.state[i], self.hyper
        a, b, c = self._scratch(p, 3)
        if wd is not None:
            if self.kind == "adamw":
                p.mul_(1 - lr * wd)                 # decoupled decay, before the moments
            else:
                grad = torch.addcmul(grad, p, wd, out=c)   # grad + weight_decay * param (.grad stays as it is)
        if self.kind == "sgd":
            p.addcmul_(grad, -lr)
        elif self.kind == "momentum":
            buf = state.get("momentum_buffer")
            if buf is None:                         # torch starts from a copy of the first gradient
                state["momentum_buffer"] = buf = grad.clone()
            else:
                buf.mul_(self._view(h.momentum, p)).add_(grad)
            p.addcmul_(buf, -lr)
        elif self.kind in ("adam", "adamw"):
            exp_avg = _buffer(state, "exp_avg", p)
            exp_avg_sq = _buffer(state, "exp_avg_sq", p)
            exp_avg.lerp_(grad, self._view(1 - h.beta1, p))
            exp_avg_sq.mul_(self._view(h.beta2, p)).addcmul_(grad, torch.mul(grad, self._view(1 - h.beta2, p), out=a))
            bias_correction2_sqrt = (1 - h.beta2 ** self.step_count).sqrt()
            denom = torch.sqrt(exp_avg_sq, out=a).div_(self._view(bias_correction2_sqrt, p)).add_(self._view(h.eps, p))
            p.addcdiv_(torch.mul(exp_avg, -step, out=b), denom)
        else:
            self._rmsprop(p, grad, state, lr, a, b)

    def _rmsprop(self, p: torch.Tensor, grad: torch.Tensor, state: dict[str, torch.Tensor],
                 lr: torch.Tensor, a: torch.Tensor, b: torch.Tensor) -> None:
        alpha = self._view(self.hyper.alpha, p)
        square_avg = _buffer(state, "square_avg", p)
        square_avg.mul_(alpha).addcmul_(grad, torch.mul(grad, 1 - alpha, out=a))
        if self.centered:
            grad_avg = _buffer(state, "grad_avg", p)
            grad_avg.lerp_(grad, 1 - alpha)
            avg = torch.addcmul(square_avg, grad_avg, grad_avg, value=-1, out=a).sqrt_()
        else:
            avg = torch.sqrt(square_avg, out=a)
        avg.add_(self._view(self.hyper.eps, p))
        if self._rms_momentum:
            buf = _buffer(state, "momentum_buffer", p)
            buf.mul_(self._view(self.hyper.momentum, p)).addcdiv_(grad, avg)
            p.addcmul_(buf, -lr)
        else:
            p.addcdiv_(torch.mul(grad, -lr, out=b), avg)

    def state_bytes(self) -> int:
        """Bytes of optimizer state (and its work tensors) held for all K networks."""
        tensors = [t for s in self.state for t in s.values()] + self._work
        return sum(t.numel() * t.element_size() for t in tensors)
