"""One entry per choice (activation, init, optimizer, loss): the single source the model, trainer, CLI,
config validation, window and lab read.

Each entry holds its name, its label, the teaching tooltip (`summary`), its factory and its facts.
An activation's derivative is never hand-written here, it comes from autograd (see `activation_curve`).
Adding an optimizer or a loss is one entry in its table below; datasets live in `datasets/catalog.py`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import torch
import torch.nn.functional as F
from torch import nn

if TYPE_CHECKING:
    from playground.engine.config import TrainConfig


@dataclass(frozen=True)
class Activation:
    name: str
    make: Callable[[], nn.Module]
    summary: str
    # nonlinearity name understood by torch.nn.init.kaiming_*/calculate_gain
    gain_name: str
    gain_param: float | None = None

    @property
    def label(self) -> str:
        return self.name

    @property
    def kaiming_kwargs(self) -> dict:
        """The arguments torch.nn.init.kaiming_* takes for this activation (the model and exported scripts)."""
        if self.gain_name == "leaky_relu":
            return {"a": self.gain_param or 0.01, "nonlinearity": "leaky_relu"}
        if self.gain_name in ("relu", "linear", "tanh", "sigmoid", "selu"):
            return {"nonlinearity": self.gain_name}
        return {"nonlinearity": "relu"}

    @property
    def tooltip(self) -> str:
        return self.summary


ACTIVATIONS: dict[str, Activation] = {
    a.name: a
    for a in [
        Activation("relu", nn.ReLU, "max(0, x): cheap, does not saturate for x>0; units can die "
                   "(gradient 0 for x<0).", "relu"),
        Activation("sigmoid", nn.Sigmoid, "1/(1+e^-x): squashes to (0,1); its slope is at most 0.25, "
                   "so deep sigmoid stacks make gradients vanish.", "sigmoid"),
        Activation("tanh", nn.Tanh, "squashes to (-1,1), zero-centred; slope at most 1, but it is nearly "
                   "flat beyond |x| = 3.", "tanh"),
        Activation("leaky-relu", lambda: nn.LeakyReLU(0.01), "like ReLU but slope 0.01 for x<0, so "
                   "units cannot die completely.", "leaky_relu", 0.01),
        Activation("selu", nn.SELU, "scaled ELU that keeps activations near mean 0, std 1 "
                   "(self-normalising) with LeCun-normal init.", "selu"),
        Activation("softplus", nn.Softplus, "log(1+e^x): a smooth ReLU; slope is sigmoid(x).", "relu"),
        Activation("elu", nn.ELU, "x for x>0, e^x-1 below: smooth, negative outputs push the mean "
                   "towards 0.", "relu"),
        Activation("gelu", nn.GELU, "x*Phi(x): the smooth ReLU used by transformers.", "relu"),
        Activation("identity", nn.Identity, "no non-linearity: any stack of layers collapses to one "
                   "linear map.", "linear"),
    ]
}


@dataclass(frozen=True)
class Init:
    name: str
    summary: str
    apply: Callable[[nn.Linear, Activation, torch.Generator | None], None]
    # the same init as lines of an exported script, for each nn.Linear `layer`; {kaiming} stands for the
    # activation's kaiming_kwargs
    script: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.name

    @property
    def tooltip(self) -> str:
        return self.summary


def _zero_bias(layer: nn.Linear) -> None:
    nn.init.zeros_(layer.bias)


def _normal(std: float):
    def apply(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
        nn.init.normal_(layer.weight, 0.0, std, generator=gen)
        _zero_bias(layer)
    return apply


def _with_zero_bias(fn):
    def apply(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
        fn(layer, act, gen)
        _zero_bias(layer)
    return apply


def _default(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
    # PyTorch's own nn.Linear init: kaiming-uniform with a=sqrt(5) on weights, U(+-1/sqrt(fan_in)) bias.
    nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=gen)
    bound = 1.0 / math.sqrt(layer.in_features)
    nn.init.uniform_(layer.bias, -bound, bound, generator=gen)


def _zeros(layer: nn.Linear, act: Activation, gen: torch.Generator | None) -> None:
    nn.init.zeros_(layer.weight)
    nn.init.zeros_(layer.bias)


_ZERO_BIAS = "nn.init.zeros_(layer.bias)"
INITS: dict[str, Init] = {
    i.name: i
    for i in [
        Init("default", "PyTorch's nn.Linear default: uniform, scaled by 1/sqrt(fan_in).", _default,
             ("# PyTorch's own nn.Linear init",
              "nn.init.kaiming_uniform_(layer.weight, a=math.sqrt(5), generator=generator)",
              "bound = 1.0 / math.sqrt(layer.in_features)",
              "nn.init.uniform_(layer.bias, -bound, bound, generator=generator)")),
        Init("normal-0.01", "weights ~ N(0, 0.01^2), biases 0: the d2l tutorials' small random init.",
             _normal(0.01), ("nn.init.normal_(layer.weight, 0.0, 0.01, generator=generator)", _ZERO_BIAS)),
        Init("normal-1", "weights ~ N(0, 1) (plain randn): far too large, activations and gradients "
             "explode or saturate.", _normal(1.0),
             ("nn.init.normal_(layer.weight, 0.0, 1.0, generator=generator)", _ZERO_BIAS)),
        Init("xavier-uniform", "Glorot uniform: keeps variance equal forwards and backwards for "
             "tanh/sigmoid-like units.",
             _with_zero_bias(lambda l, a, g: nn.init.xavier_uniform_(l.weight, generator=g)),
             ("nn.init.xavier_uniform_(layer.weight, generator=generator)", _ZERO_BIAS)),
        Init("xavier-normal", "Glorot normal: N(0, 2/(fan_in+fan_out)).",
             _with_zero_bias(lambda l, a, g: nn.init.xavier_normal_(l.weight, generator=g)),
             ("nn.init.xavier_normal_(layer.weight, generator=generator)", _ZERO_BIAS)),
        Init("kaiming-uniform", "He uniform: variance 2/fan_in, made for ReLU-family units.",
             _with_zero_bias(lambda l, a, g: nn.init.kaiming_uniform_(l.weight, generator=g, **a.kaiming_kwargs)),
             ("nn.init.kaiming_uniform_(layer.weight, generator=generator, {kaiming})", _ZERO_BIAS)),
        Init("kaiming-normal", "He normal: N(0, 2/fan_in), made for ReLU-family units.",
             _with_zero_bias(lambda l, a, g: nn.init.kaiming_normal_(l.weight, generator=g, **a.kaiming_kwargs)),
             ("nn.init.kaiming_normal_(layer.weight, generator=generator, {kaiming})", _ZERO_BIAS)),
        Init("zeros", "all weights 0: every unit computes the same thing, symmetry is never broken.",
             _zeros, ("# every unit starts the same: symmetry is never broken", "nn.init.zeros_(layer.weight)",
                      _ZERO_BIAS)),
    ]
}

@dataclass(frozen=True)
class Optimizer:
    name: str
    label: str
    summary: str
    # torch.optim class built from (param groups, lr, momentum)
    make: Callable[[list[dict], float, float], torch.optim.Optimizer]
    # running buffers the optimizer keeps per parameter (for the memory estimate)
    state_copies: int
    uses_momentum: bool = False
    # the same call in an exported script, from its `groups`, LR and MOMENTUM (the tests check they agree)
    script: str = ""

    @property
    def tooltip(self) -> str:
        return self.summary


OPTIMIZERS: dict[str, Optimizer] = {
    o.name: o
    for o in [
        Optimizer("sgd", "SGD", "plain stochastic gradient descent: w -= lr * grad.",
                  lambda groups, lr, m: torch.optim.SGD(groups, lr=lr, momentum=0.0), 0,
                  script="torch.optim.SGD(groups, lr=LR, momentum=0.0)"),
        Optimizer("momentum", "SGD + momentum",
                  "SGD with momentum: a running velocity smooths and speeds up descent.",
                  lambda groups, lr, m: torch.optim.SGD(groups, lr=lr, momentum=m), 1, uses_momentum=True,
                  script="torch.optim.SGD(groups, lr=LR, momentum=MOMENTUM)"),
        Optimizer("adam", "Adam", "Adam: per-weight step sizes from running gradient moments; forgiving of "
                  "the learning rate.", lambda groups, lr, m: torch.optim.Adam(groups, lr=lr), 2,
                  script="torch.optim.Adam(groups, lr=LR)"),
        Optimizer("rmsprop", "RMSprop", "RMSprop: divides each step by a running average of recent squared "
                  "gradients, so steep directions take smaller steps. Try 1e-3, as for Adam.",
                  lambda groups, lr, m: torch.optim.RMSprop(groups, lr=lr), 1,
                  script="torch.optim.RMSprop(groups, lr=LR)"),
    ]
}


def parameter_groups(model: nn.Module, weight_decay: float, decay_biases: bool) -> list[dict]:
    """Weight decay applies to weights only unless `decay_biases` (as in the d2l tutorial)."""
    weights = [p for n, p in model.named_parameters() if n.endswith("weight")]
    biases = [p for n, p in model.named_parameters() if n.endswith("bias")]
    return [{"params": weights, "weight_decay": weight_decay},
            {"params": biases, "weight_decay": weight_decay if decay_biases else 0.0}]


def build_optimizer(config: "TrainConfig", model: nn.Module) -> torch.optim.Optimizer:
    groups = parameter_groups(model, config.weight_decay, config.decay_biases)
    return OPTIMIZERS[config.optimizer].make(groups, config.lr, config.momentum)


LossFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]


def _softmax_mse(logits: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    target = F.one_hot(y, logits.shape[1]).to(logits.dtype)
    return F.mse_loss(torch.softmax(logits, 1), target)


@dataclass(frozen=True)
class Loss:
    name: str
    label: str
    summary: str
    fn: LossFn

    @property
    def tooltip(self) -> str:
        return self.summary


LOSSES: dict[str, Loss] = {
    l.name: l
    for l in [
        Loss("cross-entropy", "cross-entropy",
             "softmax + negative log-likelihood: the standard classification loss.", F.cross_entropy),
        Loss("mse", "mse", "mean squared error between softmax probabilities and one-hot targets: learns "
             "slower.", _softmax_mse),
    ]
}


def activation_curve(name: str, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """f(x) and f'(x) through autograd, as the tutorials plot them."""
    module = ACTIVATIONS[name].make()
    x = x.detach().clone().requires_grad_(True)
    y = module(x)
    y.backward(torch.ones_like(x))
    return y.detach(), x.grad.detach()
