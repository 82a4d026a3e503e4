"""Measuring a model outside its training steps: eval-mode forward passes, test-split figures, predicted
probabilities and the decision boundary of a 2-D model."""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from playground.engine.inspect.boundary import BoundaryRecord, decision_grid
from playground.engine.datasets import Dataset, to_features
from playground.engine.train.optim import loss_function
from playground.engine.train.records import TestRecord
from playground.engine.train.regression import r2_score, rmse

EVAL_CHUNK = 8192


def inference_forward(model: nn.Sequential, x: torch.Tensor) -> torch.Tensor:
    """The model's eval-mode output without touching its train/eval flag (dropout is the only difference)."""
    for module in model:
        if not isinstance(module, nn.Dropout):
            x = module(x)
    return x


@dataclass(frozen=True)
class Evaluation:
    loss: float
    accuracy: float            # NaN for regression
    predicted: torch.Tensor    # (N,) predicted class (regression: predicted value) per sample, on the CPU
    confidence: torch.Tensor   # (N,) probability of the predicted class (regression: |error|), on the CPU
    rmse: float = float("nan")   # regression only
    r2: float = float("nan")     # regression only

    def test_record(self, epoch: int) -> TestRecord:
        return TestRecord(epoch, self.predicted.numpy(), self.confidence.numpy())


@torch.no_grad()
def _evaluate_regression(model: nn.Sequential, x: torch.Tensor, y: torch.Tensor) -> Evaluation:
    outputs = [inference_forward(model, x[s:s + EVAL_CHUNK])[:, 0].float() for s in range(0, len(y), EVAL_CHUNK)]
    predicted = torch.cat(outputs).cpu() if outputs else torch.zeros(0)
    target = y.float().cpu()
    loss = float(torch.mean((predicted - target) ** 2)) if len(target) else float("nan")
    return Evaluation(loss, float("nan"), predicted, (predicted - target).abs(), rmse(predicted, target),
                      r2_score(predicted, target))


@torch.no_grad()
def evaluate_model(model: nn.Sequential, loss_fn, x: torch.Tensor, y: torch.Tensor) -> Evaluation:
    """Loss, accuracy and per-sample predictions of (network-ready) features x against labels y, in chunks,
    dropout off. Float targets are a regression: loss, RMSE and R² instead of accuracy."""
    if y.is_floating_point():
        return _evaluate_regression(model, x, y)
    loss_sum = torch.zeros((), device=x.device)
    predicted, confidence = [], []
    for start in range(0, len(y), EVAL_CHUNK):
        logits = inference_forward(model, x[start:start + EVAL_CHUNK])
        yy = y[start:start + EVAL_CHUNK]
        loss_sum += loss_fn(logits, yy) * len(yy)
        probs, classes = torch.softmax(logits.float(), 1).max(1)
        predicted.append(classes)
        confidence.append(probs)
    predicted_all = torch.cat(predicted).cpu() if predicted else torch.zeros(0, dtype=torch.long)
    confidence_all = torch.cat(confidence).cpu() if confidence else torch.zeros(0)
    n = max(len(y), 1)
    correct = int((predicted_all == y.cpu()).sum())
    return Evaluation(float(loss_sum) / n, correct / n, predicted_all, confidence_all)


@torch.no_grad()
def predict_proba(model: nn.Sequential, x: torch.Tensor, device: torch.device | str = "cpu") -> torch.Tensor:
    """Class probabilities (on the CPU) for raw samples: uint8 images or float points."""
    return torch.softmax(inference_forward(model, to_features(x, device)), 1).cpu()


def evaluate_test_split(model: nn.Sequential, dataset: Dataset, loss: str,
                        device: torch.device | str = "cpu") -> Evaluation:
    """A model (a loaded checkpoint, outside any training run) on the dataset's test split."""
    x = to_features(dataset.test_x, device).flatten(1)
    return evaluate_model(model.to(device), loss_function(loss), x, dataset.test_y.to(device))


def boundary_of(model: nn.Sequential, extent: tuple[float, float, float, float], epoch: int,
                device: torch.device | str = "cpu", regression: bool = False) -> BoundaryRecord:
    """Predicted class probabilities over the plane (2-D datasets), for the decision-boundary view; for a
    regression, the predicted value (R, R, 1)."""
    probs = decision_grid(lambda p: inference_forward(model, p), extent, torch.device(device),
                          softmax=not regression)
    return BoundaryRecord(epoch, extent, probs, regression)
