from playground.engine.app_model import AppModel
from playground.engine.config import OUTPUT_ACTIVATIONS, TrainConfig
from playground.engine.train.sweep import Sweep
from playground.engine.train.sweep_params import PARAMS, parse_values
from playground.engine.train.sweep_presets import LABELS, presets

TINY = TrainConfig(dataset="moons", hidden=(8,), epochs=2, batch_size=64, device="cpu")


def test_every_preset_is_a_sweep_of_its_setting():
    assert set(LABELS) == set(PARAMS)
    for param in PARAMS:
        assert presets(param, TINY), param
        for preset in presets(param, TINY):
            values = parse_values(param, preset.text)
            assert len(Sweep(TINY, param, values).configs) == len(values) > 1, preset.label
    assert parse_values("output-activation", presets("output-activation", TINY)[0].text)[0] == OUTPUT_ACTIVATIONS[0]


def _run(app: AppModel, param, values) -> None:
    app.new_control()
    for record in app.sweeps.job(app, param, values)():
        app.apply(record)
    app.sweeps.job_ended()


def test_a_sweep_is_runs_of_the_history_that_leave_the_current_run_alone():
    app = AppModel(TINY)
    events = []
    app.sweeps.events.ended.connect(lambda state: events.append(state.name))
    _run(app, "seed", [3, 4])
    _run(app, "dropout", [(0.0,), (0.5,)])
    assert [r.name for r in app.runs.runs] == ["sweep 1: seed 3", "sweep 1: seed 4", "sweep 2: dropout 0",
                                              "sweep 2: dropout 0.5"]
    assert app.runs.current is None and app.trainer is None
    assert all(r.status == "finished" and len(r.epochs) == 2 and r.steps.n for r in app.runs.runs)
    assert [r.config.seed for r in app.runs.runs[:2]] == [3, 4] and app.runs.runs[3].config.dropout == (0.5,)
    state = app.sweeps.current
    assert events == ["sweep 1", "sweep 2"] and state.progress == 1.0 and state.done == 2
    assert [p.final for p in state.points] == [r.epochs[-1].test_accuracy for r in app.runs.runs[2:]]


def test_a_stopped_sweep_stops_its_runs():
    app = AppModel(TINY.replace(epochs=50))
    job = app.sweeps.job(app, "lr", [0.01, 0.1])
    for record in job():
        app.apply(record)
        if any(p.run is not None and p.run.epochs for p in app.sweeps.current.points):
            app.control.stop()
    app.sweeps.job_ended()
    assert {p.status for p in app.sweeps.current.points} == {"stopped"}
    assert not app.sweeps.current.running
