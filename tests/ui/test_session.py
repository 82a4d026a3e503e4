"""The session's state machine on a real job runner and a real app model (no window)."""
from playground.engine.app_model import AppModel
from playground.ui.session import TrainingSession

from tests.ui.conftest import MOONS


def test_train_runs_a_job_and_returns_to_idle_and_reset_forgets_the_model(qtbot):
    session = TrainingSession(MOONS)
    states, epochs = [], []
    session.state_changed.connect(states.append)
    session.model.events.epoch.connect(epochs.append)   # the session hands every record to the model
    session.train()
    qtbot.waitUntil(lambda: session.state == "idle", timeout=30000)
    assert states[0] == "running" and states[-1] == "idle" and len(epochs) == MOONS.epochs
    assert session.model.trainer is not None and session.model.trainer.epoch == MOONS.epochs
    assert not session.model.can_continue
    with qtbot.waitSignal(session.model_reset, timeout=5000):
        session.reset()
    assert session.model.trainer is None and session.model.runs.current is None


def test_a_step_then_train_continues_the_same_model(qtbot):
    model = AppModel(MOONS)
    session = TrainingSession(MOONS, model=model)
    session.step()
    qtbot.waitUntil(lambda: session.state == "idle", timeout=30000)
    trainer = model.trainer
    assert trainer.global_step == 1 and model.can_continue
    session.train()
    qtbot.waitUntil(lambda: session.state == "idle", timeout=30000)
    assert model.trainer is trainer and trainer.epoch == MOONS.epochs and len(model.runs.runs) == 1
    assert session.shutdown()
