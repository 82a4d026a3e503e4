"""The record path: every record type reaches an event of the application model, and the window's views show it."""
import pytest
from playground.engine.datasets.downloads import DownloadProgress
from playground.engine.train.fine_tune import FineTuneEnd
from playground.engine.train.records import (EpochRecord, RunEnd, RunStarted, Status, StepRecord,
                                             TestSplit)
from playground.engine.train.training import Trainer

from tests.ui.conftest import MOONS


@pytest.mark.slow
def test_every_record_type_reaches_an_event(window):
    seen = []
    for name in window.model.events.names:
        getattr(window.model.events, name).connect(lambda *args, name=name: seen.append(name))
    trainer = Trainer(MOONS)
    d = trainer.dataset
    records = [Status("x"), TestSplit(d), DownloadProgress("mnist", "f", 1, 2, 10, 100, 1000.0),
               FineTuneEnd("stopped", 3, 0.5, 0.5, None, None, None)]
    for record in records:
        window.model.apply(record)
    assert {"status", "dataset_changed", "download_progress", "fine_tune"} <= set(seen)


@pytest.mark.slow
def test_records_reach_the_model_and_the_views(window, qtbot):
    trainer = Trainer(MOONS)
    d = trainer.dataset
    started = RunStarted(MOONS, d.kind, (2,), 2, tuple(d.class_names), "CPU (test)", trainer.steps_per_epoch,
                         (2, 16, 16, 2), True, False, d)
    step = StepRecord(1, 3, 0.1, 0.7, 1000.0, (0.1, 0.2, 0.3), 0.5, 65.0)
    for record in (started, Status("hello"), step, EpochRecord(1, 0.5, 0.8, 0.6, 0.75, 1.0, 6)):
        window.model.apply(record)
    window.session._set_state("running")
    window.display._update_progress()
    assert "ETA 1:05" in window.display.progress.format()   # the ETA comes from the record
    run = window.model.runs.current
    assert window.display.device_label.text() == "device: CPU (test)" and run.device == "CPU (test)"
    assert run.steps.n == 1 and run.steps.data()[0][0] == 0.5 and len(run.epochs) == 1
    assert "epoch 1: train loss 0.5000" in window.display.metrics_label.text()
    assert window.statusBar().currentMessage() == "hello"
    window.model.apply(RunEnd("finished", "all done", 1, 6))
    assert run.status == "finished" and window.display.progress.format() == "finished"
    assert run.run_id in window.training.plots.curves and window.training.table.rowCount() == 1
    window.session._set_state("idle")
