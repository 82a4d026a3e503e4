import threading

import pytest
import torch

from playground.engine.config import TrainConfig
from playground.engine.datasets import toy2d
from playground.engine.train.records import EpochRecord, RunEnd, StepRecord
from playground.engine.train.training import RunControl, Trainer

MOONS = TrainConfig(dataset="moons", hidden=(32, 32), epochs=10, batch_size=64, device="cpu", dropout=(0.0,))


def _run(trainer, control=None):
    return list(trainer.run(control))


def test_loss_decreases_and_moons_is_learned():
    records = _run(Trainer(MOONS))
    epochs = [r for r in records if isinstance(r, EpochRecord)]
    assert len(epochs) == 10
    assert epochs[-1].train_loss < epochs[0].train_loss
    assert epochs[-1].test_accuracy > 0.9
    assert isinstance(records[-1], RunEnd) and records[-1].status == "finished"


def test_records_are_plain_numbers():
    for r in _run(Trainer(MOONS.replace(epochs=1))):
        for value in vars(r).values():
            assert not isinstance(value, torch.Tensor)
        if isinstance(r, StepRecord):
            assert len(r.grad_norms) == 3 and all(isinstance(g, float) for g in r.grad_norms)


def test_same_seed_same_curve():
    a = [r.train_loss for r in _run(Trainer(MOONS.replace(epochs=3))) if isinstance(r, EpochRecord)]
    b = [r.train_loss for r in _run(Trainer(MOONS.replace(epochs=3))) if isinstance(r, EpochRecord)]
    assert a == b


def test_stop_request_is_honoured_between_steps():
    trainer = Trainer(MOONS.replace(epochs=1000))
    control = RunControl()
    records = []
    for r in trainer.run(control):
        records.append(r)
        if isinstance(r, StepRecord) and r.step >= 50:
            control.stop()
    assert records[-1] == RunEnd("stopped", "stopped", records[-1].epoch, 50)
    assert trainer.global_step == 50


def test_pause_blocks_and_resume_continues():
    trainer = Trainer(MOONS.replace(epochs=2))
    control = RunControl()
    control.pause()
    out = []
    worker = threading.Thread(target=lambda: out.extend(trainer.run(control)))
    worker.start()
    worker.join(0.5)
    assert worker.is_alive() and trainer.global_step == 0
    control.resume()
    worker.join(30)
    assert not worker.is_alive() and out[-1].status == "finished"


def test_learning_rate_change_applies_from_the_next_step():
    trainer = Trainer(MOONS.replace(epochs=1))
    control = RunControl()
    for r in trainer.run(control):
        if isinstance(r, StepRecord):
            control.set_lr(0.123)
    assert all(g["lr"] == 0.123 for g in trainer.optimizer.param_groups)
    assert trainer.config.lr == 0.123


def test_divergence_stops_at_the_first_non_finite_loss():
    config = MOONS.replace(lr=1e12, optimizer="sgd", init="normal-1", epochs=50)
    records = _run(Trainer(config))
    end = records[-1]
    assert end.status == "diverged" and "learning rate" in end.message
    assert all(r.loss == r.loss for r in records if isinstance(r, StepRecord))  # no NaN was reported
    assert len([r for r in records if isinstance(r, EpochRecord)]) < 50


def test_step_trains_exactly_one_batch():
    trainer = Trainer(MOONS)
    before = [p.clone() for p in trainer.model.parameters()]
    records = trainer.step()
    assert trainer.global_step == 1 and isinstance(records[0], StepRecord)
    assert any(not torch.equal(a, b) for a, b in zip(before, trainer.model.parameters()))


def test_weight_decay_leaves_biases_alone_unless_asked():
    trainer = Trainer(MOONS.replace(weight_decay=0.1))
    weight_group, bias_group = trainer.optimizer.param_groups
    assert weight_group["weight_decay"] == 0.1 and bias_group["weight_decay"] == 0.0
    trainer = Trainer(MOONS.replace(weight_decay=0.1, decay_biases=True))
    assert trainer.optimizer.param_groups[1]["weight_decay"] == 0.1


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("loss", ["cross-entropy", "mse"])
def test_every_optimizer_and_loss_learns(optimizer, loss):
    lr = 1e-2 if optimizer == "adam" else 0.5
    config = MOONS.replace(optimizer=optimizer, loss=loss, lr=lr, epochs=5)
    epochs = [r for r in _run(Trainer(config)) if isinstance(r, EpochRecord)]
    assert epochs[-1].train_loss < epochs[0].train_loss


def test_image_training_with_augmentation_runs(small_digits):
    config = TrainConfig(hidden=(64,), epochs=2, device="cpu", augment=True)
    epochs = [r for r in _run(Trainer(config, small_digits)) if isinstance(r, EpochRecord)]
    assert epochs[-1].test_accuracy > 0.5


def test_predict_is_safe_while_training(small_digits):
    trainer = Trainer(TrainConfig(hidden=(32,), epochs=3, device="cpu"), small_digits)
    errors = []

    def predict_loop():
        try:
            for _ in range(50):
                p = trainer.predict_proba(small_digits.test_x[:4])
                assert torch.allclose(p.sum(1), torch.ones(4))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    t = threading.Thread(target=predict_loop)
    t.start()
    _run(trainer)
    t.join()
    assert not errors


@pytest.mark.parametrize("name", sorted(toy2d.GENERATORS))
def test_toy_sets_are_deterministic_and_balanced(name):
    a, b = toy2d.load(name, seed=4), toy2d.load(name, seed=4)
    assert torch.equal(a.train_x, b.train_x) and a.train_x.shape == (toy2d.N_TRAIN, 2)
    counts = a.train_y.bincount()
    assert counts.min() > 0.4 * len(a.train_y) / len(counts)


def test_spiral_takes_up_to_five_classes():
    assert toy2d.load("spiral", classes=5).n_classes == 5


def test_divergence_between_log_points_still_reports_the_last_finite_loss(small_digits):
    config = TrainConfig(hidden=(64,), lr=1e9, optimizer="sgd", init="normal-1", batch_size=8, epochs=1,
                         device="cpu", augment=False)
    trainer = Trainer(config, small_digits)
    assert trainer.log_every == 10
    records = _run(trainer)
    assert records[-1].status == "diverged"
    steps = [r for r in records if isinstance(r, StepRecord)]
    assert steps and all(r.loss == r.loss and r.loss != float("inf") for r in steps)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_run_gives_the_same_kind_of_records_as_cpu():
    cpu = _run(Trainer(MOONS.replace(epochs=3)))
    gpu = _run(Trainer(MOONS.replace(epochs=3, device="cuda")))
    assert [type(r) for r in cpu] == [type(r) for r in gpu]
    assert gpu[-1].status == "finished"
    last = lambda rs: [r for r in rs if isinstance(r, EpochRecord)][-1]  # noqa: E731
    assert abs(last(cpu).test_accuracy - last(gpu).test_accuracy) < 0.1


def test_each_epoch_reports_the_test_predictions_behind_its_accuracy():
    from playground.engine.train.records import TestRecord
    records = _run(Trainer(MOONS.replace(epochs=2)))
    tests = [r for r in records if isinstance(r, TestRecord)]
    epochs = [r for r in records if isinstance(r, EpochRecord)]
    assert [t.epoch for t in tests] == [1, 2]
    truth = toy2d.load("moons", seed=MOONS.seed).test_y.numpy()
    for test, epoch in zip(tests, epochs):
        assert len(test.predicted) == len(truth)
        assert (test.predicted == truth).mean() == pytest.approx(epoch.test_accuracy)
        assert ((test.confidence >= 0.5) & (test.confidence <= 1.0)).all()   # two classes: the top one is >= 1/2


def test_relu_on_the_output_layer_reports_its_dead_output_units():
    from playground.engine.inspect.probes import layer_report
    trainer = Trainer(MOONS.replace(output_activation="relu"))
    report = layer_report(trainer.model, *trainer._probe, trainer.loss_fn)
    out = report[-1]
    assert out.name == "out" and out.activation_mean >= 0 and out.saturated_fraction > 0
    plain = layer_report(Trainer(MOONS).model, *trainer._probe, trainer.loss_fn)[-1]
    assert plain.saturated_fraction == 0


def test_train_figures_are_measured_in_eval_mode_on_clean_training_data():
    """Heavy dropout makes the running batch accuracy low; the epoch's train figure is measured without it."""
    config = MOONS.replace(epochs=3, dropout=(0.6,), hidden=(64, 64))
    trainer = Trainer(config)
    epochs = [r for r in _run(trainer) if isinstance(r, EpochRecord)]
    from playground.engine.train.training import evaluate_model
    x, y = trainer._train_eval
    assert len(y) == min(len(trainer.train_y), 10_000)
    clean = evaluate_model(trainer.model, trainer.loss_fn, x, y)
    assert epochs[-1].train_accuracy == pytest.approx(clean.accuracy)
    assert epochs[-1].train_loss == pytest.approx(clean.loss, rel=1e-5)
    assert epochs[-1].train_accuracy >= epochs[-1].test_accuracy - 0.03
