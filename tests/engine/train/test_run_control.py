from playground.engine.config import TrainConfig
from playground.engine.train.records import EpochRecord, RunEnd
from playground.engine.train.run_control import RunControl
from playground.engine.train.training import Trainer

MOONS = TrainConfig(dataset="moons", hidden=(8,), epochs=2, batch_size=64, device="cpu")


def test_requests_are_taken_once():
    control = RunControl()
    control.set_lr(0.1)
    control.set_epochs(4)
    assert control.take_lr() == 0.1 and control.take_lr() is None
    assert control.take_epochs() == 4 and control.take_epochs() is None


def test_an_epoch_count_set_during_a_run_changes_where_it_ends():
    control = RunControl()
    trainer = Trainer(MOONS)
    records = []
    for record in trainer.run(control):
        records.append(record)
        if len(records) == 1:
            control.set_epochs(3)   # from 2: the run goes on for one more epoch
    epochs = [r.epoch for r in records if isinstance(r, EpochRecord)]
    assert epochs == [1, 2, 3] and isinstance(records[-1], RunEnd) and records[-1].status == "finished"
    assert trainer.total_steps == 3 * trainer.steps_per_epoch


def test_a_paused_loop_holds_between_steps_until_resumed():
    import threading
    control = RunControl()
    control.pause()
    waiter = threading.Thread(target=control.wait_while_paused)
    waiter.start()
    for _ in range(100):
        if control.holding:
            break
        threading.Event().wait(0.05)
    assert control.holding and waiter.is_alive()
    control.resume()
    waiter.join(5)
    assert not waiter.is_alive() and not control.holding
