import pytest
import torch

from playground.engine.train.sweep_optim import BatchedOptimizer, Hyper

K = 3
SHAPES = [(5, 4), (5,)]


def _reference(kind: str, k: int, params, hyper: Hyper, centered: bool, decay_bias: list[bool]):
    """torch.optim on network k's own tensors, with a weight group and a bias group as the registry builds."""
    lr, wd = float(hyper.lr[k]), float(hyper.weight_decay[k])
    groups = [{"params": [params[0]], "weight_decay": wd},
              {"params": [params[1]], "weight_decay": wd if decay_bias[k] else 0.0}]
    if kind in ("sgd", "momentum"):
        return torch.optim.SGD(groups, lr=lr, momentum=float(hyper.momentum[k]) if kind == "momentum" else 0.0)
    betas = (float(hyper.beta1[k]), float(hyper.beta2[k]))
    if kind == "adam":
        return torch.optim.Adam(groups, lr=lr, betas=betas, eps=float(hyper.eps[k]))
    if kind == "adamw":
        return torch.optim.AdamW(groups, lr=lr, betas=betas, eps=float(hyper.eps[k]))
    return torch.optim.RMSprop(groups, lr=lr, alpha=float(hyper.alpha[k]), eps=float(hyper.eps[k]),
                               momentum=float(hyper.momentum[k]), centered=centered)


@pytest.mark.parametrize("kind,centered", [("sgd", False), ("momentum", False), ("adam", False),
                                           ("adamw", False), ("rmsprop", False), ("rmsprop", True)])
def test_batched_step_equals_torch_optim_per_network(kind, centered):
    torch.manual_seed(0)
    hyper = Hyper(lr=torch.tensor([1e-3, 3e-2, 0.1]), weight_decay=torch.tensor([0.0, 1e-2, 0.3]),
                  momentum=torch.tensor([0.0, 0.5, 0.9]), beta1=torch.tensor([0.9, 0.8, 0.5]),
                  beta2=torch.tensor([0.999, 0.99, 0.9]), eps=torch.tensor([1e-8, 1e-6, 1e-3]),
                  alpha=torch.tensor([0.99, 0.9, 0.5]))
    decay_bias = [False, True, True]
    stacked = [torch.randn(K, *s, requires_grad=True) for s in SHAPES]
    separate = [[p[k].detach().clone().requires_grad_(True) for p in stacked] for k in range(K)]
    batched = BatchedOptimizer(kind, stacked, hyper, [None, torch.tensor(decay_bias)], centered=centered)
    references = [_reference(kind, k, separate[k], hyper, centered, decay_bias) for k in range(K)]
    for _ in range(6):
        grads = [torch.randn(K, *s) for s in SHAPES]
        for p, g in zip(stacked, grads):
            p.grad = g.clone()
        batched.step()
        for k in range(K):
            for p, g in zip(separate[k], grads):
                p.grad = g[k].clone()
            references[k].step()
    for k in range(K):
        for p, ref in zip(stacked, separate[k]):
            torch.testing.assert_close(p[k].detach(), ref.detach(), rtol=1e-5, atol=1e-6)


def test_a_network_that_is_not_alive_keeps_its_parameters_even_with_nan_gradients():
    p = torch.randn(K, 4, requires_grad=True)
    before = p.detach().clone()
    opt = BatchedOptimizer("adam", [p], Hyper(lr=torch.full((K,), 0.1), weight_decay=torch.zeros(K)))
    for _ in range(2):
        p.grad = torch.ones(K, 4)
        p.grad[1] = float("nan")
        opt.step(alive=torch.tensor([True, False, True]))
    assert torch.equal(p[1].detach(), before[1])
    assert not torch.equal(p[0].detach(), before[0]) and not torch.equal(p[2].detach(), before[2])
    assert torch.isfinite(opt.state[0]["exp_avg"]).all()


def test_hyperparameters_must_have_one_value_per_network():
    with pytest.raises(ValueError):
        Hyper(lr=torch.ones(3), weight_decay=torch.zeros(2))
    with pytest.raises(ValueError):
        BatchedOptimizer("lbfgs", [torch.zeros(3, 2)], Hyper(lr=torch.ones(3), weight_decay=torch.zeros(3)))
