import math

import pytest

from playground.engine.inspect.activation_lab import activation_facts
from playground.engine.registry import ACTIVATIONS


@pytest.mark.parametrize("name, low, high", [
    ("sigmoid", 0, 1), ("tanh", -1, 1), ("relu", 0, math.inf), ("leaky-relu", -math.inf, math.inf),
    ("elu", -1, math.inf), ("identity", -math.inf, math.inf), ("softplus", 0, math.inf),
])
def test_output_ranges(name, low, high):
    f = activation_facts(name)
    assert f.output_low == pytest.approx(low, abs=1e-6) and f.output_high == pytest.approx(high, abs=1e-6)


def test_sigmoid_slope_peaks_at_a_quarter_at_zero_and_saturates_beyond_4_6():
    f = activation_facts("sigmoid")
    assert f.max_slope == pytest.approx(0.25) and abs(f.max_slope_at) < 1e-9
    assert [round(a, 1) for a, _ in f.saturated] == [-6.0, 4.6]


def test_relu_dead_zone_is_the_negative_half():
    f = activation_facts("relu", x_range=4)
    assert len(f.dead) == 1 and f.dead[0][0] == -4 and abs(f.dead[0][1]) < 1e-9
    assert "dead zone" in f.describe()


def test_dropout_note_only_when_dropout_is_used():
    f = activation_facts("tanh")
    assert "1/(1-p)" not in f.describe(0.0)
    assert "1/(1-p) = 1.25" in f.describe(0.2)


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_every_activation_describes_itself(name):
    text = activation_facts(name).describe()
    assert "output range" in text and "largest slope" in text


def test_largest_slope_names_a_stretch_for_relu_and_a_point_for_sigmoid():
    from playground.engine.inspect.activation_lab import activation_facts
    assert "largest slope |f'| = 1 for every x > 0" in activation_facts("relu").describe()
    assert "largest slope |f'| = 0.25 at x = 0" in activation_facts("sigmoid").describe()
    assert "largest slope |f'| = 1 everywhere" in activation_facts("identity").describe()
