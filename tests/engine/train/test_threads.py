import json
import os
import sys
import threading

import pytest
import torch

from playground.engine.train.threads import compute_on_one_thread

linux_openmp = pytest.mark.skipif(
    not sys.platform.startswith("linux") or "OpenMP" not in torch.__config__.parallel_info()
    or (os.cpu_count() or 1) < 2, reason="the per-thread OpenMP setting is read through Linux's /proc and needs 2 cores")


def _in_thread(fn):
    out = {}
    thread = threading.Thread(target=lambda: out.setdefault("value", fn()))
    thread.start()
    thread.join()
    return out["value"]


@linux_openmp
def test_only_the_calling_thread_computes_on_one_core_and_others_keep_their_setting():
    def guarded():
        took = compute_on_one_thread()
        return took, torch.get_num_threads(), _in_thread(torch.get_num_threads)
    default = _in_thread(torch.get_num_threads)
    if default < 2:
        pytest.skip("torch uses one thread here")
    took, here, elsewhere = _in_thread(guarded)
    assert took and here == 1
    assert elsewhere == default        # a thread started afterwards is not limited


POOL_SCRIPT = """
import json, os, sys, threading, time
import torch
from playground.engine.train.threads import compute_on_one_thread

def count():
    return len(os.listdir("/proc/self/task"))

def heavy(guard, out):
    if guard:
        compute_on_one_thread()
    before = count()
    x = torch.randn(600, 600)
    (x @ x).sum()
    x.clone()
    out.append(count() - before)    # a pool lives as long as the thread that made it

found = []
for guard in (False, True):
    t = threading.Thread(target=heavy, args=(guard, found))
    t.start()
    t.join()
    time.sleep(0.2)                 # the unguarded thread's pool goes with it
print(json.dumps(found))
"""


@pytest.mark.slow
@linux_openmp
def test_a_guarded_thread_starts_no_pool_of_helper_threads_for_heavy_ops():
    """What makes the window train as fast as headless: a pool of OpenMP helpers kept by the GUI thread makes
    every pool sleep between ops once the process holds more OpenMP threads than cores. Measured in a fresh
    process, where no other test's threads come and go."""
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    out = subprocess.run([sys.executable, "-c", POOL_SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    unguarded, guarded = json.loads(out.stdout.strip().splitlines()[-1])
    assert unguarded >= 1 and guarded == 0      # libgomp starts helpers for an unguarded thread only


class FakeSteps:
    """A StepThreads driven by a fake clock, where a step takes `cost[threads]` seconds."""

    def __init__(self, cost: dict[int, float], **kw):
        from playground.engine.train.threads import StepThreads
        self.now, self.cost, self.settings = 0.0, cost, []
        self.threads = 2
        kw.setdefault("busy_since", [])
        self.chooser = StepThreads(clock=lambda: self.now, setter=self._set, **kw)

    def _set(self, n: int) -> None:
        self.threads = n
        self.settings.append(n)

    def steps(self, n: int) -> None:
        for _ in range(n):
            self.chooser.before_step()
            self.now += self.cost[self.threads]
            self.chooser.after_step()


def test_all_threads_are_kept_when_they_are_faster_or_only_a_little_slower(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    for slower in (0.5, 1.3):
        fake = FakeSteps({2: 0.01 * slower, 1: 0.01})
        fake.steps(40)
        assert fake.chooser.chosen == 2 and fake.threads == 2
        assert fake.settings == [1, 2]        # tried one thread first during the probe, then all


def test_one_thread_is_chosen_when_the_threads_wait_on_each_other_and_probed_again_later(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    busy: list[float] = []
    fake = FakeSteps({2: 0.4, 1: 0.01}, reprobe_s=5.0, busy_since=busy)
    fake.steps(12)              # 7 steps at one thread (the first untimed), 4 at two (clearly slower), 1 more
    assert fake.chooser.chosen == 1 and fake.threads == 1 and fake.settings == [1, 2, 1]
    soon = FakeSteps({2: 0.4, 1: 0.01}, reprobe_s=5.0, busy_since=busy)
    soon.now = fake.now
    soon.steps(3)               # a run started just after takes one thread at once
    assert soon.settings == [1] and soon.chooser.chosen == 1
    fake.cost[2] = 0.005                      # the other program finished
    fake.steps(int(5.0 / 0.01) + 20)
    assert fake.chooser.chosen == 2 and fake.threads == 2


def test_a_run_that_ends_during_a_probe_gives_its_thread_back_as_it_found_it(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    fake = FakeSteps({2: 0.01, 1: 0.01})
    fake.steps(5)                             # ended while trying one thread
    assert fake.threads == 1
    fake.chooser.restore()
    assert fake.threads == 2
    fake.steps(1)                             # a later run on the same thread goes on with the probe
    assert fake.threads == 1


def test_nothing_is_changed_off_the_cpu_or_with_one_thread(monkeypatch):
    from playground.engine.train.threads import StepThreads
    calls = []
    off = StepThreads(enabled=False, setter=calls.append)
    off.before_step()
    off.after_step()
    monkeypatch.setattr(torch, "get_num_threads", lambda: 1)
    single = StepThreads(setter=calls.append)
    for _ in range(20):
        single.before_step()
        single.after_step()
    assert calls == [] and not single.enabled


def test_the_user_hears_of_a_switch_to_one_thread_and_back_but_not_of_a_quiet_verdict(monkeypatch):
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    quiet = FakeSteps({2: 0.005, 1: 0.01})
    quiet.steps(20)
    assert quiet.chooser.chosen == 2 and quiet.chooser.change_note(0) == ""
    busy = FakeSteps({2: 0.4, 1: 0.01}, reprobe_s=5.0, busy_since=[])
    busy.steps(12)
    assert "training on 1 thread" in busy.chooser.change_note(0) and "every 5 s" in busy.chooser.change_note(0)
    busy.cost[2] = 0.005
    busy.steps(int(5.0 / 0.01) + 20)
    assert busy.chooser.change_note(1) == "Training on all 2 CPU threads again."


def test_a_training_run_tells_the_window_when_it_moves_to_one_thread():
    from playground.engine.config import TrainConfig
    from playground.engine.train.records import Status
    from playground.engine.train.training import Trainer

    class Busy:
        """Stands in for StepThreads: decides on one thread after the third step."""
        many, chosen, steps = 2, 0, 0

        def before_step(self):
            pass

        def after_step(self):
            self.steps += 1
            self.chosen = 1 if self.steps >= 3 else self.chosen

        def change_note(self, before):
            return f"1 thread now (was {before})"

        def restore(self):
            pass

    trainer = Trainer(TrainConfig(dataset="moons", hidden=(8,), epochs=1, device="cpu"))
    trainer.threads = Busy()
    notes = [r.text for r in trainer.run() if isinstance(r, Status)]
    assert notes == ["1 thread now (was 0)"]


def _threads_after(work) -> tuple[int, int]:
    """The calling thread's torch thread count before and after `work()`, on a fresh thread."""
    seen = []

    def run():
        before = torch.get_num_threads()
        work()
        seen.extend([before, torch.get_num_threads()])
    t = threading.Thread(target=run)
    t.start()
    t.join()
    return seen[0], seen[1]


@linux_openmp
@pytest.mark.skipif(torch.get_num_threads() < 2, reason="one thread: nothing to choose")
def test_fine_tuning_and_the_range_test_choose_threads_and_give_their_thread_back_mid_probe(small_digits,
                                                                                          monkeypatch):
    from playground.engine.train import fine_tune as fine_tune_module, lr_finder
    from playground.engine.config import TrainConfig
    from playground.engine.train.fine_tune import FineTuneSettings, fine_tune
    from playground.engine.train.lr_finder import find_lr
    from playground.engine.model import build_model
    from playground.engine.train.threads import StepThreads

    calls = []

    class Recording(StepThreads):
        def before_step(self):
            super().before_step()
            calls.append(torch.get_num_threads())

        def restore(self):
            super().restore()
            calls.append("restored")

    monkeypatch.setattr(fine_tune_module, "StepThreads", Recording)
    monkeypatch.setattr(lr_finder, "StepThreads", Recording)

    config = TrainConfig(hidden=(16,), device="cpu")
    model = build_model(config, 784, 10)
    images, labels = small_digits.test_x[:40].numpy(), small_digits.test_y[:40].numpy()
    # 3 steps end during the probe's one-thread half
    before, after = _threads_after(lambda: list(fine_tune(model, images, labels, small_digits,
                                                          settings=FineTuneSettings(steps=3))))
    assert after == before and calls == [1, 1, 1, "restored"]      # the probe's one-thread half, then back
    calls.clear()
    before, after = _threads_after(lambda: find_lr(config, small_digits, torch.device("cpu"), steps=3))
    assert after == before and calls == [1, 1, 1, "restored"]
