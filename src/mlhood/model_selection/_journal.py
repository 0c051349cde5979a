"""A SQLite journal of finished trials, so a killed search resumes where it stopped.

One file holds two tables: ``meta`` (the search's signature: space, method, seed and
objective tag) and ``trials`` (number, parameters as JSON, value, extra scores as JSON,
duration, finish time, writer's pid). The database runs in WAL mode with a busy timeout,
and every write is one ``BEGIN IMMEDIATE`` transaction, so several processes can append
to one journal without corrupting it. Trials are keyed by their number and inserted with
``INSERT OR IGNORE``: two writers that computed the same trial keep the first copy.

Opening a journal whose stored signature differs from the search's raises a
``ValueError`` and writes nothing.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
import time
from dataclasses import dataclass, field

SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS trials (number INTEGER PRIMARY KEY, params TEXT NOT NULL, "
    "value REAL, info TEXT NOT NULL, duration REAL NOT NULL, finished_at REAL NOT NULL, "
    "pid INTEGER NOT NULL)",
)


@dataclass
class Trial:
    """One finished evaluation: its number, point, value (lower is better) and extras."""

    number: int
    params: list
    value: float
    info: dict = field(default_factory=dict)
    duration: float = 0.0


def _describe_difference(stored: dict, given: dict) -> str:
    keys = sorted(set(stored) | set(given))
    parts = [
        f"{k}: journal has {stored.get(k)!r}, this search has {given.get(k)!r}"
        for k in keys
        if stored.get(k) != given.get(k)
    ]
    return "; ".join(parts)


class Journal:
    """Append-only trial store in one SQLite file (see module docstring).

    Parameters
    ----------
    path : str or os.PathLike
    signature : dict
        JSON-serialisable description of the search; must match the stored one.
    """

    def __init__(self, path, signature: dict):
        self.path = os.fspath(path)
        self.signature = json.loads(json.dumps(signature))
        self._connection = sqlite3.connect(self.path, timeout=60.0, isolation_level=None)
        self._connection.execute("PRAGMA busy_timeout = 60000")
        self._connection.execute("PRAGMA journal_mode = WAL")
        self._connection.execute("PRAGMA synchronous = NORMAL")
        with self._transaction() as cursor:
            for statement in SCHEMA:
                cursor.execute(statement)
            row = cursor.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
            if row is None:
                cursor.execute(
                    "INSERT INTO meta VALUES ('signature', ?)",
                    (json.dumps(self.signature, sort_keys=True),),
                )
                stored = self.signature
            else:
                stored = json.loads(row[0])
        if stored != self.signature:
            self.close()
            raise ValueError(
                f"journal {self.path!r} was written by a different search "
                f"({_describe_difference(stored, self.signature)}); use a new journal file "
                "or the original search settings. The journal was left unchanged."
            )

    @staticmethod
    def stored_seed(path) -> int | None:
        """The seed recorded in an existing journal (None if there is none)."""
        if not os.path.exists(path):
            return None
        connection = sqlite3.connect(os.fspath(path), timeout=60.0)
        try:
            row = connection.execute("SELECT value FROM meta WHERE key = 'signature'").fetchone()
        except sqlite3.DatabaseError:
            return None
        finally:
            connection.close()
        return None if row is None else json.loads(row[0]).get("seed")

    def _transaction(self):
        connection = self._connection

        class _Tx:
            def __enter__(self_inner):
                connection.execute("BEGIN IMMEDIATE")
                return connection.cursor()

            def __exit__(self_inner, exc_type, exc, tb):
                connection.execute("ROLLBACK" if exc_type else "COMMIT")
                return False

        return _Tx()

    def load(self) -> dict[int, Trial]:
        """Every stored trial, by number (parameters still in their JSON form)."""
        rows = self._connection.execute(
            "SELECT number, params, value, info, duration FROM trials ORDER BY number"
        ).fetchall()
        return {
            number: Trial(
                number,
                json.loads(params),
                math.nan if value is None else value,
                json.loads(info),
                duration,
            )
            for number, params, value, info, duration in rows
        }

    def record(self, trial: Trial, params_json: list) -> None:
        """Store one finished trial (ignored if that number is already stored)."""
        value = None if math.isnan(trial.value) else float(trial.value)
        with self._transaction() as cursor:
            cursor.execute(
                "INSERT OR IGNORE INTO trials VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    trial.number,
                    json.dumps(params_json),
                    value,
                    json.dumps(trial.info),
                    float(trial.duration),
                    time.time(),
                    os.getpid(),
                ),
            )

    def close(self) -> None:
        self._connection.close()

    def __enter__(self) -> Journal:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
