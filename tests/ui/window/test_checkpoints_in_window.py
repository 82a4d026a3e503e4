import pytest
from PySide6.QtCore import Qt

from playground.cli import main
from playground.engine.runs.checkpoint import save_checkpoint
from playground.engine.train.training import Trainer

from tests.ui.conftest import MOONS, use_config, wait_idle


@pytest.fixture
def checkpoint(tmp_path):
    trainer = Trainer(MOONS.replace(hidden=(12,), activation="tanh"))
    for _ in trainer.run():
        pass
    path = tmp_path / "moons.pt"
    d = trainer.dataset
    save_checkpoint(path, trainer.config, trainer.model, d.n_inputs, d.class_names, d.kind, trainer.history)
    return path


@pytest.mark.slow
def test_window_opens_with_the_checkpoint_loaded(qtbot, checkpoint):
    from playground.app import MainWindow
    w = MainWindow(checkpoint=str(checkpoint))
    qtbot.addWidget(w)
    assert w.panel.config().hidden == (12,) and w.panel.config().activation == "tanh"
    run = w.model.runs.current
    assert run.status == "loaded" and run.name == "moons.pt" and len(run.epochs) == 3
    assert w.training.table.rowCount() == 1
    assert w.model.predict_proba(w.model.loaded.model[1].weight.new_zeros(2, 2)).shape == (2, 2)
    # the checkpoint is measured on its test split in the background: Mistakes and the boundary fill in
    qtbot.waitUntil(lambda: w.session.state == "idle" and w.mistakes.record is not None, timeout=20000)
    counts = sum(int(w.mistakes.matrix.item(i, j).text()) for i in range(2) for j in range(2))
    assert counts == len(w.mistakes.dataset.test_y) and w.mistakes.record.epoch == 3
    assert w.boundary.last is not None
    correct = sum(int(w.mistakes.matrix.item(i, i).text()) for i in range(2))
    assert correct / counts == pytest.approx(w.model.runs.current.last.test_accuracy)
    w.close()


@pytest.mark.slow
def test_save_then_load_checkpoint_from_the_window(qtbot, window, tmp_path):
    use_config(window, MOONS)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    path = tmp_path / "saved.pt"
    assert window.files.save_checkpoint(path)
    use_config(window, MOONS.replace(hidden=(3,)))
    assert window.files.load_checkpoint(path)
    assert window.panel.config().hidden == (16, 16)


@pytest.mark.slow
def test_a_bad_checkpoint_shows_an_error_and_keeps_the_work(qtbot, window, tmp_path):
    use_config(window, MOONS)
    qtbot.mouseClick(window.train_button, Qt.LeftButton)
    wait_idle(qtbot, window)
    trainer = window.model.trainer
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"not a checkpoint")
    assert not window.files.load_checkpoint(bad)
    assert window.feedback.banner_box.isVisible() and "bad.pt" in window.feedback.banner.text()
    assert window.model.trainer is trainer and window.panel.config() == MOONS


def test_cli_load_of_a_bad_file_fails_before_any_window(tmp_path, capsys):
    bad = tmp_path / "bad.pt"
    bad.write_bytes(b"junk")
    assert main(["--load", str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.pt" in err and "Traceback" not in err
    assert main(["--load", str(tmp_path / "missing.pt")]) == 1
