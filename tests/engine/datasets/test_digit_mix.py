"""The built-in digits' mix of generated and real pen digits, and the progress it reports while made."""
import torch

from playground.engine.datasets import digit_mix, pen_digits


def test_a_split_mixes_real_pen_digits_into_the_generated_ones():
    pen = pen_digits.load_pen_set(leave_out=frozenset())
    x, y = digit_mix.make_split(500, 3, pen.subset(torch.arange(0, len(pen), 97)))
    assert x.shape == (500, 28, 28) and x.dtype == torch.uint8 and y.dtype == torch.int64
    assert set(y.tolist()) == set(range(10))
    assert bool((x.flatten(1).amax(1) > 200).all())          # every digit has ink
    again = digit_mix.make_split(500, 3, pen.subset(torch.arange(0, len(pen), 97)))
    assert torch.equal(x, again[0]) and torch.equal(y, again[1])


def test_without_pen_digits_a_split_is_all_generated():
    x, y = digit_mix.make_split(100, 0, None)
    assert len(x) == len(y) == 100


def test_preparing_reports_counts_and_an_estimate_and_returns_the_splits():
    steps = digit_mix.preparing(300, 100, seed=2)
    records = []
    while True:
        try:
            records.append(next(steps))
        except StopIteration as made:
            train_x, train_y, test_x, test_y = made.value
            break
    assert records[0].done == 0 and records[0].seconds_left is None
    assert [r.done for r in records] == sorted(r.done for r in records)
    assert records[-1].done == records[-1].total == 400 and records[-1].fraction == 1.0
    assert records[-1].seconds_left is not None and "400 of 400" in records[-1].text()
    assert train_x.shape == (300, 28, 28) and test_x.shape == (100, 28, 28)
    # the test split alone is the same digits as in the full set
    alone = digit_mix.preparing(300, 100, seed=2, need_train=False)
    while True:
        try:
            next(alone)
        except StopIteration as made:
            assert made.value[0] is None and torch.equal(made.value[2], test_x)
            break
