"""The preparation tracker: counts, a measured estimate, and the built-in digits report into it."""
import threading

from playground.engine.datasets import builtin_digits, digit_mix, preparation, synthetic_digits
from playground.engine.datasets.preparation import Preparation, PreparationTracker


def test_snapshot_counts_and_estimates_from_the_measured_rate():
    tracker = PreparationTracker()
    assert tracker.snapshot() is None
    with tracker.task("generating", 100):
        tracker.advance(25)
        snap = tracker.snapshot()
        assert (snap.what, snap.done, snap.total) == ("generating", 25, 100)
    assert tracker.snapshot() is None
    half = Preparation("generating", 50, 100, elapsed=20.0)
    assert half.fraction == 0.5 and half.eta_seconds == 20.0
    assert half.text() == "generating: 50 of 100 (50%) · about 0:20 left"
    assert Preparation("generating", 0, 100, elapsed=3.0).eta_seconds is None
    assert "estimating" in Preparation("generating", 0, 100, elapsed=3.0).text()


def test_advancing_without_a_task_is_ignored_and_threads_add_up():
    tracker = PreparationTracker()
    tracker.advance(5)
    assert tracker.snapshot() is None
    with tracker.task("x", 4000):
        workers = [threading.Thread(target=lambda: [tracker.advance(1) for _ in range(1000)]) for _ in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        assert tracker.snapshot().done == 4000


def test_generating_the_built_in_digits_reports_every_digit(monkeypatch):
    tracker = PreparationTracker()
    monkeypatch.setattr(synthetic_digits, "PREPARATION", tracker)
    monkeypatch.setattr(digit_mix, "PREPARATION", tracker)   # the real pen digits of the mix count too
    seen = []
    real_advance = tracker.advance

    def advance(n):
        real_advance(n)
        seen.append(tracker.snapshot())
    monkeypatch.setattr(tracker, "advance", advance)
    builtin_digits.load(seed=5, n_train=60, n_test=30, use_cache=False)
    assert seen and seen[-1].done == seen[-1].total == 90
    assert [s.done for s in seen] == sorted(s.done for s in seen)
    assert seen[0].what == synthetic_digits.PREPARING and preparation.PREPARATION.snapshot() is None
