from playground.engine.errors import PlaygroundError
from playground.engine.train.records import RunEnd
from playground.ui.job_runner import JobRunner, failure_message


def test_a_generator_job_forwards_every_record_in_order_then_finishes(qtbot):
    runner = JobRunner()
    got = []
    runner.records.connect(got.extend)
    with qtbot.waitSignal(runner.finished, timeout=10000):
        assert runner.run(lambda: iter([1, 2, 3, RunEnd("finished", "done")]))
        assert runner.busy and not runner.run(lambda: iter([]))   # one job at a time
    assert got == [1, 2, 3, RunEnd("finished", "done")] and not runner.busy


def test_a_call_hands_its_result_or_its_error_to_the_callbacks(qtbot):
    runner = JobRunner()
    results, errors = [], []
    with qtbot.waitSignal(runner.finished, timeout=10000):
        runner.call(lambda: 6 * 7, results.append, errors.append)
    with qtbot.waitSignal(runner.finished, timeout=10000):
        runner.call(lambda: (_ for _ in ()).throw(PlaygroundError("no data here")), results.append, errors.append)
    assert results == [42] and errors == ["no data here"]


def test_a_failing_generator_job_reports_one_line_and_the_runner_is_free_again(qtbot):
    runner = JobRunner()
    failed = []
    runner.failed.connect(failed.append)

    def job():
        yield 1
        raise ValueError("bad\nsecond line")
    with qtbot.waitSignal(runner.finished, timeout=10000):
        runner.run(job)
    assert failed == ["stopped by an unexpected ValueError: bad"] and runner.shutdown()
    assert failure_message(MemoryError()).startswith("out of memory")


def test_a_job_started_after_shutdown_is_not_waited_on_by_the_old_jobs_finished_signal(qtbot):
    """shutdown() joins a job itself; the finished signal that job queued must not make the GUI thread wait
    on the next job, whose own end is queued behind it (the window would hang)."""
    import time
    runner = JobRunner()
    results = []
    runner.call(lambda: time.sleep(0.05) or "first", results.append, results.append)
    assert runner.shutdown(None)                       # joined directly; its finished signal is still queued
    runner.call(lambda: time.sleep(0.3) or "second", results.append, results.append)
    with qtbot.waitSignal(runner.finished, timeout=10000):
        pass                                           # the stale signal arrives first and must return at once
    assert "second" in results and not runner.busy


def test_a_one_thread_runner_computes_on_one_thread_and_a_training_runner_on_all(qtbot):
    import os
    import pytest
    import torch
    if "OpenMP" not in torch.__config__.parallel_info() or (os.cpu_count() or 1) < 2:
        pytest.skip("nothing to tell apart on a single-threaded torch")
    counts = []
    for one_thread in (True, False):
        runner = JobRunner(one_thread=one_thread)
        with qtbot.waitSignal(runner.finished, timeout=10000):
            runner.call(torch.get_num_threads, counts.append, counts.append)
    assert counts[0] == 1 and counts[1] > 1
