import numpy as np
import pytest

from playground.engine.runs.series import Series, Smoother


def test_series_grows_past_its_capacity_and_keeps_every_point():
    s = Series(capacity=2)
    for i in range(5):
        s.append(i, i * i)
    x, y = s.data()
    assert list(x) == [0, 1, 2, 3, 4] and list(y) == [0, 1, 4, 9, 16]


def test_smoother_matches_the_debiased_moving_average_when_fed_in_pieces():
    y = np.random.default_rng(0).normal(size=300)
    expected, acc, norm = [], 0.0, 0.0
    for v in y:
        acc, norm = 0.8 * acc + 0.2 * v, 0.8 * norm + 0.2
        expected.append(acc / norm)
    smoother = Smoother(0.8)
    smoother.update(y[:7])
    smoother.update(y[:120])
    np.testing.assert_allclose(smoother.update(y), expected)
    assert smoother.update(y[:3])[0] == pytest.approx(y[0])   # a cleared series starts over
