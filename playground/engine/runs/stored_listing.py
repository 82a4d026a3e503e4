"""The stored runs as RunHistory runs, listed at launch without reading their epochs.

Listing 2,000 stored runs must not read 40,000 epoch rows and 2,000 batch-loss curves: each run gets a
`StoredSummary` (the figures the runs table shows, from one aggregate query) and a loader that reads its
epochs and curve from the store the first time it is shown (`Run.ensure_loaded`, called when it is ticked
or opened).
"""
from __future__ import annotations

from dataclasses import dataclass

from playground.engine.runs.history import Run
from playground.engine.runs.series import Series
from playground.engine.runs.store import RunStore, StoredRun

# per run: its last epoch's test figures and its summed training time, in one pass over the epochs table
SUMMARY_SQL = """
    WITH totals AS (SELECT run_id, MAX(epoch) AS last, COUNT(*) AS n, SUM(seconds) AS seconds
                    FROM epochs GROUP BY run_id)
    SELECT totals.run_id, totals.n, totals.seconds, e.test_accuracy, e.test_loss, e.test_r2, e.test_rmse,
           e.regression
    FROM totals JOIN epochs AS e ON e.run_id = totals.run_id AND e.epoch = totals.last
"""


@dataclass(frozen=True)
class StoredSummary:
    """What the runs table shows of a stored run whose epochs are not read yet."""
    dataset: str = ""
    epochs: int = 0
    seconds: float = 0.0
    regression: bool = False
    test_accuracy: float | None = None
    test_loss: float | None = None
    test_r2: float | None = None
    test_rmse: float | None = None
    best_test_accuracy: float | None = None
    best_test_r2: float | None = None


def listed_runs(store: RunStore | None) -> list[Run]:
    """Every stored run as a hidden RunHistory run, oldest first, its epochs read when it is first shown."""
    if store is None or store.error or not store.path.exists():
        return []
    stored = store.list_runs()
    figures = {row[0]: row[1:] for row in store.read(SUMMARY_SQL)}
    return [_run(store, s, figures.get(s.id)) for s in reversed(stored)]


def _summary(stored: StoredRun, figures: tuple | None) -> StoredSummary:
    if figures is None:
        return StoredSummary(stored.dataset, best_test_accuracy=stored.best_test_accuracy,
                             best_test_r2=stored.best_test_r2, regression=bool(stored.regression))
    n, seconds, accuracy, loss, r2, rmse, regression = figures
    return StoredSummary(stored.dataset, n, seconds or 0.0, bool(regression), accuracy, loss, r2, rmse,
                         stored.best_test_accuracy, stored.best_test_r2)


def _config(stored: StoredRun):
    from playground.engine.config import TrainConfig
    try:
        return stored.config
    except Exception:    # a config this app cannot read (written by another version): the defaults
        try:
            return TrainConfig(dataset=stored.dataset)
        except Exception:
            return TrainConfig()


class ListedRun(Run):
    """A stored run listed at launch. Its config is parsed when first read (parsing 2,000 configs would
    cost a quarter of a second at every launch), and its epochs when it is first shown."""
    # one run is one object: comparing fields would parse every config a list.index() passes
    __eq__ = object.__eq__
    __hash__ = object.__hash__

    def __init__(self, store: RunStore, stored: StoredRun, figures: tuple | None) -> None:
        self._stored, self._config = stored, None
        super().__init__(0, stored.name, None, stored.architecture or "", stored.device or "", [], Series(16),
                         status=stored.status, visible=False, store_id=stored.id, created=stored.created,
                         notes=stored.notes or "", summary=_summary(stored, figures),
                         loader=lambda run: load_epochs(store, run))

    @property
    def config(self):
        if self._config is None:
            self._config = _config(self._stored)
        return self._config

    @config.setter
    def config(self, value) -> None:
        self._config = value


def _run(store: RunStore, stored: StoredRun, figures: tuple | None) -> Run:
    return ListedRun(store, stored, figures)


def load_epochs(store: RunStore, run: Run) -> None:
    """Read a stored run's epochs and batch-loss curve into it (sized to fit: a default 4,096-point buffer per
    run would be 130 MB for 2,000 runs)."""
    try:
        epochs = store.epoch_records(run.store_id)
        points = store.step_points(run.store_id).get(run.store_id)
    except Exception:    # the store went away (closed, damaged meanwhile): the run shows no curves
        return
    run.epochs[:0] = epochs
    n = 0 if points is None else len(points)
    steps = Series(max(n, 16))
    if n:
        steps.x[:n], steps.y[:n], steps.n = points[:, 0], points[:, 1], n
    run.steps = steps

