"""The window's record dispatch table: every record type has a handler, and the handlers show records."""
import typing

from playground.engine.inspect.boundary import BoundaryRecord
from playground.engine.train.records import EpochRecord, Record, RunEnd, RunStarted, Status, StepRecord, TestSplit
from playground.engine.train.training import Trainer

from tests.ui.conftest import MOONS


def test_every_record_type_has_a_handler(window):
    handled = set(window._handlers)
    assert set(typing.get_args(Record)) | {BoundaryRecord, Status, TestSplit} <= handled


def test_records_reach_the_model_and_the_views(window):
    trainer = Trainer(MOONS)
    d = trainer.dataset
    started = RunStarted(MOONS, d.kind, (2,), 2, tuple(d.class_names), "CPU (test)", trainer.steps_per_epoch,
                         (2, 16, 16, 2), True, False, d)
    step = StepRecord(1, 3, 0.1, 0.7, 1000.0, (0.1, 0.2, 0.3), 0.5, 65.0)
    window._on_records([started, Status("hello"), step, EpochRecord(1, 0.5, 0.8, 0.6, 0.75, 1.0, 6)])
    window._show_progress(step)
    assert "ETA 1:05" in window.progress.format()   # the ETA comes from the record
    run = window.runs.current
    assert window.device_label.text() == "device: CPU (test)" and run.device == "CPU (test)"
    assert run.steps.n == 1 and run.steps.data()[0][0] == 0.5 and len(run.epochs) == 1
    assert "epoch 1: train loss 0.5000" in window.metrics_label.text()
    assert window.statusBar().currentMessage() == "hello"
    window._on_records([RunEnd("finished", "all done", 1, 6)])
    assert run.status == "finished" and window.progress.format() == "finished"
    assert run.run_id in window.training.plots.curves and window.training.table.rowCount() == 1
