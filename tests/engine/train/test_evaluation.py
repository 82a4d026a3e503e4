import torch

from playground.engine.config import TrainConfig
from playground.engine.train.evaluation import evaluate_model, inference_forward, predict_proba
from playground.engine.model import build_model
from playground.engine.train.optim import loss_function


def test_inference_skips_dropout_without_changing_the_model_mode():
    model = build_model(TrainConfig(hidden=(32,), dropout=(0.9,)), 4, 3).train()
    x = torch.randn(16, 4)
    assert torch.equal(inference_forward(model, x), inference_forward(model, x)) and model.training


def test_evaluation_counts_correct_predictions_and_probabilities_sum_to_one():
    model = build_model(TrainConfig(hidden=()), 2, 2)
    with torch.no_grad():
        model[-1].weight.copy_(torch.tensor([[1.0, 0.0], [0.0, 1.0]]))
        model[-1].bias.zero_()
    x = torch.tensor([[2.0, 0.0], [0.0, 2.0], [2.0, 0.0]])
    result = evaluate_model(model, loss_function("cross-entropy"), x, torch.tensor([0, 1, 1]))
    assert result.accuracy == 2 / 3 and result.predicted.tolist() == [0, 1, 0]
    assert torch.allclose(predict_proba(model, x).sum(1), torch.ones(3))
