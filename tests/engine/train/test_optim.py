import torch

from playground.engine.config import TrainConfig
from playground.engine.model import build_model
from playground.engine.train.optim import loss_function, make_optimizer


def test_each_optimizer_name_gives_its_torch_optimizer():
    model = build_model(TrainConfig(hidden=(4,)), 6, 3)
    assert isinstance(make_optimizer(TrainConfig(optimizer="adam"), model), torch.optim.Adam)
    momentum = make_optimizer(TrainConfig(optimizer="momentum", momentum=0.8), model)
    assert isinstance(momentum, torch.optim.SGD) and momentum.param_groups[0]["momentum"] == 0.8
    assert make_optimizer(TrainConfig(optimizer="sgd"), model).param_groups[0]["momentum"] == 0.0


def test_mse_compares_softmax_outputs_with_one_hot_targets():
    logits = torch.tensor([[10.0, -10.0], [-10.0, 10.0]])
    right, wrong = torch.tensor([0, 1]), torch.tensor([1, 0])
    mse = loss_function("mse")
    assert float(mse(logits, right)) < 1e-6 < float(mse(logits, wrong))
    assert loss_function("cross-entropy") is torch.nn.functional.cross_entropy
