"""Stored runs listed at launch: one event, figures without epochs, epochs read when a run is shown."""
import numpy as np

from playground.engine.config import TrainConfig
from playground.engine.runs.history import RunHistory
from playground.engine.runs.stored_edits import StoredEdits, human_size
from playground.engine.runs.stored_listing import ListedRun, listed_runs
from playground.engine.runs.store import RunStore
from playground.engine.train.records import EpochRecord

CONFIG = TrainConfig(dataset="moons", hidden=(8,), epochs=3)


def _fill(store: RunStore, n: int = 3, epochs: int = 2) -> list[int]:
    ids = []
    for i in range(n):
        run_id = store.create_run(CONFIG.replace(lr=0.01 * (i + 1)), f"run {i + 1}", device="cpu",
                                  architecture="2-8-2")
        for e in range(1, epochs + 1):
            store.append_epoch(run_id, EpochRecord(e, 1 / e, 0.5, 1.2 / e, 1.1 - 0.2 * e + 0.01 * i, 0.25,
                                                   step=10 * e), steps=np.array([[e - 0.5, 1 / e], [e, 0.9 / e]]))
        store.finish_run(run_id, "finished")
        ids.append(run_id)
    return ids


def test_runs_list_oldest_first_with_their_figures_and_no_epochs_read(tmp_path):
    store = RunStore.open(tmp_path)
    ids = _fill(store)
    store.set_notes(ids[1], "lr 0.02 was best")
    runs = listed_runs(store)
    assert [r.store_id for r in runs] == ids and all(isinstance(r, ListedRun) for r in runs)
    second = runs[1]
    assert second.epochs == [] and second.loader is not None and not second.visible
    s = second.summary
    assert (s.dataset, s.epochs, s.seconds, s.test_loss) == ("moons", 2, 0.5, 0.6)
    assert abs(s.test_accuracy - 0.71) < 1e-9 and abs(s.best_test_accuracy - 0.91) < 1e-9   # last, best
    assert second.notes == "lr 0.02 was best" and second.config.lr == 0.02


def test_one_event_for_the_listing_and_epochs_read_when_shown(tmp_path):
    store = RunStore.open(tmp_path)
    _fill(store, n=4)
    history = RunHistory()
    added, listed = [], []
    history.events.run_added.connect(lambda run, pos: added.append(run))
    history.events.runs_listed.connect(listed.append)
    history.add_stored(listed_runs(store))
    assert added == [] and len(listed) == 1 and len(listed[0]) == 4
    run = history.runs[2]
    history.set_visible(run.run_id, True)
    assert [e.epoch for e in run.epochs] == [1, 2] and run.steps.n == 4 and run.loader is None
    assert history.runs.index(run) == 2     # identity, not a comparison of every field (configs stay unread)
    assert history.runs[0]._config is None


def test_edits_reach_the_store_and_deletions_wait_for_flush(tmp_path):
    store = RunStore.open(tmp_path)
    ids = _fill(store)
    history = RunHistory()
    history.add_stored(listed_runs(store))
    edits = StoredEdits(store, history)
    first, second, third = history.runs
    assert edits.rename(first.run_id, "  baseline  ") == "baseline" and store.get(ids[0]).name == "baseline"
    edits.set_notes(second.run_id, "too slow\n")
    assert store.get(ids[1]).notes == "too slow" and second.notes == "too slow"
    model = store.model_path(ids[2], "last")
    model.parent.mkdir(parents=True, exist_ok=True)
    model.write_bytes(b"x")
    for run in (second, third):
        history.remove(run.run_id)
    edits.deleted([second, third])
    assert store.find(ids[2]) is not None and model.exists()     # Undo can still bring them back
    history.restore(second, 1)
    edits.restored([second])
    assert edits.flush() == [ids[2]]
    assert store.find(ids[2]) is None and not model.exists() and store.find(ids[1]) is not None
    assert "2 runs kept" in edits.status_line() and "on disk" in edits.status_line()


def test_status_line_without_a_store_or_recording(tmp_path):
    assert "not recorded" in StoredEdits(None, RunHistory()).status_line()
    store = RunStore.open(tmp_path)
    store.recording, store.notice = False, "cannot record runs in X (read-only)"
    assert StoredEdits(store, RunHistory()).status_line() == "Not recording: cannot record runs in X (read-only)"
    assert human_size(999) == "999 bytes" and human_size(25_800_000) == "25.8 MB"
