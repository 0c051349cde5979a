"""The progress store: every check and every hint, in one SQLite file.

The file is ``progress.sqlite3`` in the user's data directory (``platformdirs``), or in
``$MLHOOD_HOME`` when that is set. Each check and each hint is written in its own
transaction, committed before the command prints its verdict: killing the process at any
moment loses nothing that was recorded (SQLite's journal rolls back a half-written
transaction on the next open).

Examples
--------
>>> import tempfile
>>> store = Progress(tempfile.mkdtemp())
>>> store.record_check("dropout_backward", "q03", passed=False, mistake="dropout-backward-no-mask")
>>> store.status("dropout_backward"), store.next_hint("dropout_backward")
('attempted', 1)
>>> store.record_check("dropout_backward", "q03", passed=True, mistake=None)
>>> store.status("dropout_backward"), store.status("dropout_forward")
('passed', 'new')
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from datetime import datetime, timezone
from pathlib import Path

import platformdirs

_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY,
    exercise TEXT NOT NULL,
    question TEXT NOT NULL,
    passed INTEGER NOT NULL,
    mistake TEXT,
    at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hints (
    exercise TEXT PRIMARY KEY,
    used INTEGER NOT NULL
);
"""


def home() -> Path:
    """Where progress is kept: ``$MLHOOD_HOME`` or the platform's user data directory."""
    override = os.environ.get("MLHOOD_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("mlhood", appauthor=False))


class Progress:
    """Attempts and hints of one learner, in ``folder/progress.sqlite3``.

    Parameters
    ----------
    folder : path or None
        Defaults to :func:`home`.
    """

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        folder = Path(folder) if folder is not None else home()
        folder.mkdir(parents=True, exist_ok=True)
        self.path = folder / "progress.sqlite3"
        with closing(self._connect()) as db:
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        db.execute("PRAGMA synchronous = FULL")
        return db

    def record_check(self, exercise: str, question: str, *, passed: bool, mistake: str | None):
        """Store one graded attempt (one transaction)."""
        at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO attempts (exercise, question, passed, mistake, at) "
                "VALUES (?, ?, ?, ?, ?)",
                (exercise, question, int(passed), mistake, at),
            )
            db.execute("COMMIT")

    def next_hint(self, exercise: str, n_hints: int | None = None) -> int:
        """Count one more hint for ``exercise`` (capped at ``n_hints``); its 1-based number."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            row = db.execute("SELECT used FROM hints WHERE exercise = ?", (exercise,)).fetchone()
            used = (row[0] if row else 0) + 1
            if n_hints is not None:
                used = min(used, n_hints)
            db.execute(
                "INSERT OR REPLACE INTO hints (exercise, used) VALUES (?, ?)", (exercise, used)
            )
            db.execute("COMMIT")
        return used

    def _query(self, sql: str, params: Iterable = ()) -> list[tuple]:
        with closing(self._connect()) as db:
            return db.execute(sql, tuple(params)).fetchall()

    def status(self, exercise: str) -> str:
        """``"new"``, ``"attempted"`` or ``"passed"`` (passed once is passed)."""
        rows = self._query("SELECT MAX(passed) FROM attempts WHERE exercise = ?", (exercise,))
        best = rows[0][0]
        return "new" if best is None else ("passed" if best else "attempted")

    def statuses(self) -> dict[str, str]:
        """The status of every exercise with at least one attempt."""
        rows = self._query("SELECT exercise, MAX(passed) FROM attempts GROUP BY exercise")
        return {name: "passed" if best else "attempted" for name, best in rows}

    def attempts(self) -> dict[str, int]:
        """Number of graded attempts per exercise."""
        return dict(self._query("SELECT exercise, COUNT(*) FROM attempts GROUP BY exercise"))

    def hints_used(self) -> dict[str, int]:
        """Number of hints shown per exercise."""
        return dict(self._query("SELECT exercise, used FROM hints"))
