"""What the network gets wrong on the test split: the confusion matrix and the examples behind each cell."""
from __future__ import annotations

import numpy as np

GALLERY_LIMIT = 200


def confusion_matrix(true: np.ndarray, predicted: np.ndarray, n_classes: int) -> np.ndarray:
    """counts[i, j] = test samples of true class i predicted as class j."""
    true = np.asarray(true, dtype=np.int64)
    predicted = np.asarray(predicted, dtype=np.int64)
    flat = np.bincount(true * n_classes + predicted, minlength=n_classes * n_classes)
    return flat[: n_classes * n_classes].reshape(n_classes, n_classes)


def row_fractions(counts: np.ndarray) -> np.ndarray:
    """Each row divided by its total: the share of a true class that went to each prediction."""
    totals = counts.sum(1, keepdims=True)
    return np.divide(counts, totals, out=np.zeros(counts.shape, dtype=float), where=totals > 0)


def pick_examples(true: np.ndarray, predicted: np.ndarray, confidence: np.ndarray,
                  true_class: int | None = None, predicted_class: int | None = None,
                  limit: int = GALLERY_LIMIT) -> np.ndarray:
    """Indices of test samples to show, most confident first.

    With no classes given: every mistake. With both: that confusion-matrix cell (the diagonal gives
    correct answers). Most confident mistakes come first because they are the instructive ones.
    """
    true = np.asarray(true)
    predicted = np.asarray(predicted)
    if true_class is None and predicted_class is None:
        mask = true != predicted
    else:
        mask = np.ones(len(true), dtype=bool)
        if true_class is not None:
            mask &= true == true_class
        if predicted_class is not None:
            mask &= predicted == predicted_class
    chosen = np.flatnonzero(mask)
    order = np.argsort(-np.asarray(confidence)[chosen], kind="stable")
    return chosen[order][:limit]
