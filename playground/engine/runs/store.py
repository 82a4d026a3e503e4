"""The experiment store: every run, its curves and its models, kept in `<data folder>/runs.db` as it happens.

Schema (SQLite, WAL; `PRAGMA user_version` is the schema version, see store_db.MIGRATIONS):
- runs: id (never reused), name, created / ended / updated (unix seconds), status (running, finished,
  stopped, diverged, interrupted), kind (train, fine-tune), sweep (a group id or NULL), parent (the run a
  fine-tune started from), config (TrainConfig JSON), dataset (its name) with dataset_path and dataset_hash
  for csv:/folder:, data_kind (image, points), n_inputs, class_names (JSON), device, architecture,
  regression (0/1), notes, pid / host / proc_start (who records it, to tell a dead recorder), and a summary
  kept up to date with each epoch: epochs (completed), best_epoch, best_test_accuracy, best_test_r2.
- epochs: (run_id, epoch) -> every field of the EpochRecord (the `train --json` fields, and step).
- steps: (run_id, chunk) -> the batch-loss series of one epoch (chunk = epoch number), downsampled, as a
  float32 (n, 2) blob of (epoch position, loss).
Model files: `<data folder>/runs/<id>/last.pt` and `best.pt` (best by test accuracy, or R² for a
regression), in the checkpoint format (runs/checkpoint.py), written atomically before the epoch commits.
"""
from __future__ import annotations

import json
import os
import shutil
import sqlite3
import threading
import time
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.files import atomic_link, atomic_write_bytes, user_data_dir
from playground.engine.runs import liveness
from playground.engine.runs.store_db import open_database
from playground.engine.train.records import EpochRecord

if TYPE_CHECKING:
    from playground.engine.config import TrainConfig

DB_NAME = "runs.db"
MODELS = ("last", "best")
MAX_POINTS_PER_CHUNK = 200
EPOCH_FIELDS = tuple(f.name for f in fields(EpochRecord))
SUMMARY_COLUMNS = ("id", "name", "created", "ended", "status", "kind", "sweep", "parent", "dataset",
                   "dataset_path", "dataset_hash", "data_kind", "device", "architecture", "regression", "notes",
                   "epochs", "best_epoch", "best_test_accuracy", "best_test_r2", "config")


@dataclass
class StoredRun:
    """One run's row: what `runs list` and the runs table show (its epochs are read on demand)."""
    id: int
    name: str
    created: float
    ended: float | None
    status: str
    kind: str
    sweep: str | None
    parent: int | None
    dataset: str
    dataset_path: str | None
    dataset_hash: str | None
    data_kind: str | None
    device: str | None
    architecture: str | None
    regression: bool
    notes: str
    epochs: int
    best_epoch: int | None
    best_test_accuracy: float | None
    best_test_r2: float | None
    config_json: str

    @property
    def config(self) -> "TrainConfig":
        from playground.engine.config import TrainConfig   # imports torch: not needed to list runs
        data = json.loads(self.config_json)
        try:   # written by to_dict(): only its lists need to be tuples again (from_dict's checks cost 0.5 ms)
            return TrainConfig(**{k: tuple(v) if isinstance(v, list) else v for k, v in data.items()})
        except (TypeError, ValueError, PlaygroundError):
            return TrainConfig.from_dict(data)

    def to_json_dict(self) -> dict:
        d = {k: getattr(self, k) for k in SUMMARY_COLUMNS if k != "config"}
        d["regression"] = bool(self.regression)
        d["created"] = iso_time(self.created)
        d["ended"] = iso_time(self.ended) if self.ended is not None else None
        return d


def iso_time(t: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(t))


def _downsample(points: np.ndarray, limit: int = MAX_POINTS_PER_CHUNK) -> np.ndarray:
    if len(points) <= limit:
        return points
    keep = np.unique(np.linspace(0, len(points) - 1, limit).round().astype(int))
    return points[keep]


class RunStore:
    """The store of one data folder. It never raises for a disk fault: `recording` turns False and
    `notice` says why in one line. `error` is set (and reads raise it) for a store a newer app wrote."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.path = self.folder / DB_NAME
        self._lock = threading.RLock()
        opened = open_database(self.path)
        self._con = opened.connection
        self.recording = opened.writable
        self.notice = opened.notice
        self.error = opened.error
        if self.recording:
            self._mark_interrupted()

    @classmethod
    def open(cls, folder: str | Path | None = None) -> "RunStore":
        """The store in `folder`, by default the user data folder."""
        return cls(Path(folder) if folder is not None else user_data_dir())

    def close(self) -> None:
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None

    # --- writing -------------------------------------------------------------------------------
    def _fail(self, exc: BaseException) -> None:
        """A write failed (full disk, folder made read-only): stop recording, keep the app going."""
        why = getattr(exc, "strerror", None) or str(exc)
        self.recording = False
        self.notice = f"cannot record runs in {self.folder} ({why}); the app works on without recording"

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """`work(connection)` in one write transaction, under the lock that keeps this store's threads (the
        window's worker and GUI thread) from interleaving theirs: its result, or None when it cannot."""
        if not self.recording or self._con is None:
            return None
        with self._lock:
            con = self._con
            try:
                con.execute("BEGIN IMMEDIATE")
                try:
                    result = work(con)
                    con.execute("COMMIT")
                except BaseException:
                    if con.in_transaction:
                        con.execute("ROLLBACK")
                    raise
            except sqlite3.IntegrityError:         # the run was deleted meanwhile (by another window)
                return None
            except (sqlite3.OperationalError, OSError) as exc:
                self._fail(exc)
                return None
        return result

    def _transaction(self, statements: Iterable[tuple[str, tuple]]) -> bool:
        """Run the statements in one write transaction; False when it cannot."""
        def work(con: sqlite3.Connection) -> bool:
            for sql, args in statements:
                con.execute(sql, args)
            return True
        return bool(self._write(work))

    def _rows(self, sql: str, args: tuple = ()) -> list[tuple]:
        with self._lock:
            return self._reader().execute(sql, args).fetchall()

    def _owner(self) -> tuple:
        return os.getpid(), liveness.host_name(), liveness.start_token(), time.time()

    def create_run(self, config: "TrainConfig", name: str, *, dataset_kind: str | None = None,
                   n_inputs: int | None = None, class_names: Iterable[str] = (), device: str | None = None,
                   architecture: str | None = None, regression: bool = False, kind: str = "train",
                   sweep: str | None = None, parent: int | None = None) -> int | None:
        """A new run, status running, recorded by this process; its id, or None when not recording."""
        if not self.recording or self._con is None:
            return None
        from playground.engine.runs.identity import dataset_identity
        path, digest = dataset_identity(config.dataset)
        now = time.time()
        return self._write(lambda con: int(con.execute(
            "INSERT INTO runs (name, created, status, kind, sweep, parent, config, dataset, dataset_path, "
            "dataset_hash, data_kind, n_inputs, class_names, device, architecture, regression, pid, host, "
            "proc_start, updated) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (name, now, kind, sweep, parent, json.dumps(config.to_dict()), config.dataset, path, digest,
             dataset_kind, n_inputs, json.dumps(list(class_names)), device, architecture, int(regression),
             *self._owner()[:3], now)).lastrowid))

    def append_epoch(self, run_id: int, record: EpochRecord, model: bytes | None = None,
                     steps: np.ndarray | None = None) -> bool:
        """Commit one epoch: its model file first (last.pt, and best.pt when it is the best so far), then the
        epoch row, its batch-loss points and the run's summary in one transaction."""
        if not self.recording or self._con is None:
            return False
        score = record.test_r2 if record.regression else record.test_accuracy
        best_column = "best_test_r2" if record.regression else "best_test_accuracy"
        rows = self._rows(f"SELECT {best_column} FROM runs WHERE id = ?", (run_id,))
        if not rows:
            return False     # deleted meanwhile (by another window)
        is_best = score is not None and (rows[0][0] is None or score > rows[0][0])
        if model is not None:
            try:
                atomic_write_bytes(self.model_path(run_id, "last"), model)
                if is_best:
                    atomic_link(self.model_path(run_id, "last"), self.model_path(run_id, "best"), model)
            except OSError as exc:
                self._fail(exc)
                return False
        values = tuple(getattr(record, f) for f in EPOCH_FIELDS)
        statements = [(f"INSERT OR REPLACE INTO epochs (run_id, {', '.join(EPOCH_FIELDS)}) VALUES "
                       f"(?{', ?' * len(EPOCH_FIELDS)})", (run_id, *values))]
        if steps is not None and len(steps):
            statements.append(self._steps_statement(run_id, record.epoch, steps))
        best_set = f", best_epoch = ?, {best_column} = ?" if is_best else ""
        statements.append((f"UPDATE runs SET epochs = ?, updated = ?, regression = ?{best_set} WHERE id = ?",
                           (record.epoch, time.time(), int(record.regression),
                            *((record.epoch, score) if is_best else ()), run_id)))
        return self._transaction(statements)

    @staticmethod
    def _steps_statement(run_id: int, chunk: int, points: np.ndarray) -> tuple[str, tuple]:
        blob = _downsample(np.asarray(points, dtype=np.float32).reshape(-1, 2)).tobytes()
        return "INSERT OR REPLACE INTO steps (run_id, chunk, points) VALUES (?, ?, ?)", (run_id, chunk, blob)

    def append_steps(self, run_id: int, chunk: int, points: np.ndarray) -> bool:
        """The batch-loss points of an epoch not finished yet (a stopped run): replaced when it finishes."""
        return self._transaction([self._steps_statement(run_id, chunk, points)])

    def save_model(self, run_id: int, model: bytes) -> bool:
        """A run's model without an epoch (a fine-tune's result): written as both last.pt and best.pt."""
        try:
            for which in MODELS:
                atomic_write_bytes(self.model_path(run_id, which), model)
        except OSError as exc:
            self._fail(exc)
            return False
        return True

    def finish_run(self, run_id: int, status: str) -> bool:
        now = time.time()
        return self._transaction([("UPDATE runs SET status = ?, ended = ?, updated = ? WHERE id = ?",
                                   (status, now, now, run_id))])

    def resume_run(self, run_id: int) -> bool:
        """Training goes on in the same run (Train after Stop, or a stored run's last model continued)."""
        pid, host, token, now = self._owner()
        return self._transaction([("UPDATE runs SET status = 'running', ended = NULL, pid = ?, host = ?, "
                                   "proc_start = ?, updated = ? WHERE id = ?", (pid, host, token, now, run_id))])

    def branch_run(self, run_id: int, epochs: int, name: str) -> int | None:
        """A new run holding the first `epochs` epochs of `run_id` (training goes on from its best model)."""
        pid, host, token, now = self._owner()
        columns = ("kind, sweep, config, dataset, dataset_path, dataset_hash, data_kind, n_inputs, class_names, "
                   "device, architecture, regression")
        cols = ", ".join(EPOCH_FIELDS)

        def work(con: sqlite3.Connection) -> int:
            new = int(con.execute(
                f"INSERT INTO runs (name, created, status, parent, pid, host, proc_start, updated, {columns}) "
                f"SELECT ?, ?, 'running', id, ?, ?, ?, ?, {columns} FROM runs WHERE id = ?",
                (name, now, pid, host, token, now, run_id)).lastrowid)
            con.execute(f"INSERT INTO epochs (run_id, {cols}) SELECT ?, {cols} FROM epochs WHERE run_id = ? AND "
                        f"epoch <= ?", (new, run_id, epochs))
            con.execute("INSERT INTO steps SELECT ?, chunk, points FROM steps WHERE run_id = ? AND chunk <= ?",
                        (new, run_id, epochs))
            mine = "FROM epochs WHERE run_id = :id"
            con.execute(f"UPDATE runs SET epochs = (SELECT COUNT(*) {mine}), "
                        f"best_test_accuracy = (SELECT MAX(test_accuracy) {mine} AND regression = 0), "
                        f"best_test_r2 = (SELECT MAX(test_r2) {mine} AND regression = 1), "
                        f"best_epoch = (SELECT epoch {mine} ORDER BY COALESCE(test_r2, test_accuracy) DESC, epoch "
                        f"LIMIT 1) WHERE id = :id", {"id": new})
            return new
        return self._write(work)

    def rename(self, run_id: int, name: str) -> bool:
        return self._transaction([("UPDATE runs SET name = ? WHERE id = ?", (name, run_id))])

    def set_notes(self, run_id: int, notes: str) -> bool:
        return self._transaction([("UPDATE runs SET notes = ? WHERE id = ?", (notes, run_id))])

    def delete(self, run_ids: Iterable[int]) -> list[int]:
        """Delete runs and their model files; the ids that existed."""
        ids = [i for i in run_ids if self.find(i) is not None]
        if ids and self._transaction([("DELETE FROM runs WHERE id = ?", (i,)) for i in ids]):
            for i in ids:
                shutil.rmtree(self.folder / "runs" / str(i), ignore_errors=True)
            return ids
        return []

    def _mark_interrupted(self) -> None:
        """Runs left 'running' by a process that is gone (kill -9, a crash, power loss) are interrupted."""
        rows = self._rows("SELECT id, pid, host, proc_start FROM runs WHERE status = 'running'")
        dead = [run_id for run_id, pid, host, token in rows if not liveness.is_alive(pid, host, token)]
        self._transaction([("UPDATE runs SET status = 'interrupted', ended = updated WHERE id = ? AND "
                            "status = 'running'", (i,)) for i in dead])

    # --- reading -------------------------------------------------------------------------------
    def _reader(self) -> sqlite3.Connection:
        if self.error:
            raise PlaygroundError(self.error)
        if self._con is None:
            raise PlaygroundError(self.notice or f"the run store {self.path} cannot be opened")
        return self._con

    def read(self, sql: str, args: tuple = ()) -> list[tuple]:
        """The rows of a read-only query, under this store's lock (for readers in this package)."""
        return self._rows(sql, args)

    def list_runs(self, where: str = "", args: tuple = ()) -> list[StoredRun]:
        """Every run, newest first (`where`: an SQL condition on the runs table, for callers in this package)."""
        rows = self._rows(f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM runs {'WHERE ' + where if where else ''} "
                          f"ORDER BY id DESC", args)
        return [StoredRun(*row[:-1], config_json=row[-1]) for row in rows]

    def find(self, run_id: int) -> StoredRun | None:
        runs = self.list_runs("id = ?", (int(run_id),))
        return runs[0] if runs else None

    def get(self, run_id: int | str) -> StoredRun:
        """The run with this id, or a PlaygroundError that says there is none."""
        try:
            run_id = int(run_id)
        except (TypeError, ValueError):
            raise PlaygroundError(f"a run id is a whole number (see 'mlp-playground runs list'), got '{run_id}'") \
                from None
        run = self.find(run_id)
        if run is None:
            raise PlaygroundError(f"there is no run {run_id} in {self.path} (see 'mlp-playground runs list')")
        return run

    def epoch_records(self, run_id: int) -> list[EpochRecord]:
        rows = self._rows(f"SELECT {', '.join(EPOCH_FIELDS)} FROM epochs WHERE run_id = ? ORDER BY epoch", (run_id,))
        return [_epoch(row) for row in rows]

    def all_epoch_records(self) -> dict[int, list[EpochRecord]]:
        """Every run's epochs in one query (loading the store at launch)."""
        out: dict[int, list[EpochRecord]] = {}
        for row in self._rows(f"SELECT run_id, {', '.join(EPOCH_FIELDS)} FROM epochs ORDER BY run_id, epoch"):
            out.setdefault(row[0], []).append(_epoch(row[1:]))
        return out

    def step_points(self, run_id: int | None = None) -> dict[int, np.ndarray]:
        """{run id: (n, 2) float32 (epoch position, batch loss)} for one run or all."""
        sql = "SELECT run_id, points FROM steps" + (" WHERE run_id = ?" if run_id is not None else "")
        chunks: dict[int, list[bytes]] = {}
        for rid, blob in self._rows(sql + " ORDER BY run_id, chunk", (run_id,) if run_id is not None else ()):
            chunks.setdefault(rid, []).append(blob)
        return {rid: np.frombuffer(b"".join(parts), dtype=np.float32).reshape(-1, 2) for rid, parts in chunks.items()}

    def model_path(self, run_id: int, which: str = "last") -> Path:
        if which not in MODELS:
            raise PlaygroundError(f"a run's model is 'last' or 'best', got '{which}'")
        return self.folder / "runs" / str(int(run_id)) / f"{which}.pt"

    def open_model(self, run_id: int | str, which: str = "last"):
        """The run's model as a LoadedModel (weights_only); a PlaygroundError saying why it cannot be opened."""
        from playground.engine.runs.checkpoint import load_checkpoint
        run = self.get(run_id)
        path = self.model_path(run.id, which)
        if not path.is_file():
            why = "it finished no epoch" if run.epochs == 0 else "its file is missing"
            raise PlaygroundError(f"run {run.id} ('{run.name}') has no {which} model: {why} ({path})")
        try:
            return load_checkpoint(path)
        except PlaygroundError as exc:
            raise PlaygroundError(f"run {run.id} ('{run.name}'): its {which} model cannot be opened: {exc}") \
                from None

    def size_on_disk(self) -> int:
        """Bytes used by the database (with its WAL) and the model files."""
        total = 0
        for path in [self.path, self.path.with_name(DB_NAME + "-wal")]:
            total += path.stat().st_size if path.exists() else 0
        models = self.folder / "runs"
        if models.is_dir():
            total += sum(p.stat().st_size for p in models.rglob("*.pt") if p.is_file())
        return total


_REGRESSION = EPOCH_FIELDS.index("regression")


def _epoch(row: tuple) -> EpochRecord:
    return EpochRecord(*row[:_REGRESSION], bool(row[_REGRESSION]), *row[_REGRESSION + 1:])
