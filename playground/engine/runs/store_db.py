"""Opening the store's SQLite database: WAL, busy timeout, schema versions and the faults a user can meet.

Nothing here locks anything by hand: SQLite locks between processes (WAL lets readers go on while one
writer commits; `busy_timeout` makes a second writer wait instead of failing with "database is locked").
"""
from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from playground.engine.errors import PlaygroundError

BUSY_TIMEOUT_MS = 30_000

# MIGRATIONS[i] brings a store from user_version i to i + 1; SCHEMA_VERSION is what this app writes.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        created REAL NOT NULL,
        ended REAL,
        status TEXT NOT NULL,
        kind TEXT NOT NULL DEFAULT 'train',
        sweep TEXT,
        parent INTEGER,
        config TEXT NOT NULL,
        dataset TEXT NOT NULL,
        dataset_path TEXT,
        dataset_hash TEXT,
        data_kind TEXT,
        n_inputs INTEGER,
        class_names TEXT,
        device TEXT,
        architecture TEXT,
        regression INTEGER NOT NULL DEFAULT 0,
        notes TEXT NOT NULL DEFAULT '',
        pid INTEGER,
        host TEXT,
        proc_start TEXT,
        updated REAL,
        epochs INTEGER NOT NULL DEFAULT 0,
        best_epoch INTEGER,
        best_test_accuracy REAL,
        best_test_r2 REAL
    );
    CREATE INDEX runs_status ON runs(status);
    CREATE INDEX runs_sweep ON runs(sweep);
    CREATE TABLE epochs (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        epoch INTEGER NOT NULL,
        step INTEGER NOT NULL,
        train_loss REAL, train_accuracy REAL, test_loss REAL, test_accuracy REAL, seconds REAL,
        regression INTEGER NOT NULL DEFAULT 0,
        train_rmse REAL, train_r2 REAL, test_rmse REAL, test_r2 REAL,
        PRIMARY KEY (run_id, epoch)
    ) WITHOUT ROWID;
    CREATE TABLE steps (
        run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        chunk INTEGER NOT NULL,
        points BLOB NOT NULL,
        PRIMARY KEY (run_id, chunk)
    ) WITHOUT ROWID;
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)


@dataclass
class Opened:
    connection: sqlite3.Connection | None
    writable: bool
    notice: str = ""     # one line for the user (banner or stderr), empty when all is well
    error: str = ""      # set when the store cannot be read at all (a newer app's store)


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode={'ro' if read_only else 'rwc'}"
    # autocommit mode: transactions are the explicit BEGIN IMMEDIATE ... COMMIT in store.py
    con = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                          timeout=BUSY_TIMEOUT_MS / 1000)
    con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _healthy(con: sqlite3.Connection) -> bool:
    rows = con.execute("PRAGMA integrity_check").fetchall()
    return len(rows) == 1 and rows[0][0] == "ok"


def move_aside(path: Path) -> Path:
    """runs.db (and its -wal and -shm) -> runs.db.damaged-<time>; returns the new name of runs.db."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            os.replace(side, target.with_name(target.name + suffix))
    os.replace(path, target)
    return target


def migrate(con: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one migration per transaction; a newer store is refused."""
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise PlaygroundError(f"{path} was written by a newer MLP Playground (store version {version}; this app "
                              f"reads up to {SCHEMA_VERSION}): update the app to see these runs")
    while version < SCHEMA_VERSION:
        con.execute("BEGIN IMMEDIATE")
        try:
            # another process may have migrated while this one waited for the write lock
            version = con.execute("PRAGMA user_version").fetchone()[0]
            if version < SCHEMA_VERSION:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        con.execute(statement)
                version += 1
                con.execute(f"PRAGMA user_version = {version}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _check_writable(con: sqlite3.Connection) -> None:
    """Rewrite the version, unchanged: a read-only file or mount raises here, not at the first epoch."""
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        con.execute("COMMIT")
    except BaseException:
        if con.in_transaction:
            con.execute("ROLLBACK")
        raise


def _cannot_record(folder: Path, why: str) -> str:
    return f"cannot record runs in {folder} ({why}); the app works on without recording"


def open_database(path: Path) -> Opened:
    """Open (creating, migrating or replacing a damaged one) the store at `path`; never raises for a fault
    the user can only work around: the result says whether it can be written and why not."""
    folder = path.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        return Opened(None, False, _cannot_record(folder, exc.strerror or str(exc)))
    notice = ""
    for attempt in range(2):
        con = None
        try:
            con = connect(path)
            if not _healthy(con):
                raise sqlite3.DatabaseError("integrity check failed")
            con.execute("PRAGMA journal_mode = WAL")
            migrate(con, path)
            _check_writable(con)
            return Opened(con, True, notice)
        except PlaygroundError as exc:
            if con is not None:
                con.close()
            return Opened(None, False, str(exc), error=str(exc))
        except sqlite3.OperationalError as exc:   # read-only folder or file, full disk, locked for too long
            if con is not None:
                con.close()
            return _read_only(path, _cannot_record(folder, str(exc)))
        except sqlite3.DatabaseError as exc:      # not a database, or damaged
            if con is not None:
                con.close()
            if attempt:
                return Opened(None, False, _cannot_record(folder, str(exc)))
            try:
                moved = move_aside(path)
            except OSError as err:
                return Opened(None, False, _cannot_record(folder, f"{path.name} is damaged and cannot be moved "
                                                                  f"aside: {err.strerror or err}"))
            notice = (f"the run store {path} was damaged ({exc}); it was moved aside to {moved.name} and a fresh "
                      f"store started")
    return Opened(None, False, notice)


def _read_only(path: Path, notice: str) -> Opened:
    """The store can still be listed when only writing fails (a read-only folder)."""
    if not path.exists():
        return Opened(None, False, notice)
    try:
        con = connect(path, read_only=True)
        version = con.execute("PRAGMA user_version").fetchone()[0]
        if version != SCHEMA_VERSION:
            con.close()
            return Opened(None, False, notice)
        return Opened(con, False, notice)
    except sqlite3.Error:
        return Opened(None, False, notice)
