import numpy as np

from playground.engine.inspect.mistakes import confusion_matrix, pick_examples, row_fractions


def test_confusion_matrix_counts_true_rows_against_predicted_columns():
    true = np.array([0, 0, 1, 2, 2, 2])
    predicted = np.array([0, 1, 1, 2, 0, 2])
    counts = confusion_matrix(true, predicted, 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert counts.sum() == len(true)


def test_row_fractions_leave_empty_classes_at_zero():
    fractions = row_fractions(np.array([[3, 1], [0, 0]]))
    assert fractions.tolist() == [[0.75, 0.25], [0.0, 0.0]]


def test_gallery_shows_every_mistake_most_confident_first():
    true = np.array([0, 1, 1, 0, 2])
    predicted = np.array([1, 1, 0, 0, 0])
    confidence = np.array([0.6, 0.99, 0.9, 0.8, 0.7])
    assert pick_examples(true, predicted, confidence).tolist() == [2, 4, 0]


def test_a_cell_shows_its_own_examples_and_the_diagonal_shows_correct_ones():
    true = np.array([0, 1, 1, 0, 2, 1])
    predicted = np.array([1, 1, 0, 0, 0, 0])
    confidence = np.array([0.6, 0.99, 0.9, 0.8, 0.7, 0.95])
    assert pick_examples(true, predicted, confidence, 1, 0).tolist() == [5, 2]
    assert pick_examples(true, predicted, confidence, 1, 1).tolist() == [1]
    assert pick_examples(true, predicted, confidence, 2, 2).tolist() == []
    assert len(pick_examples(np.zeros(500), np.ones(500), np.random.rand(500), limit=20)) == 20
