"""The progress store: statuses, hints, MLHOOD_HOME, and nothing recorded is lost on SIGKILL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys

from mlhood.practice._store import Progress, home


def test_status_attempts_and_hints(tmp_path):
    store = Progress(tmp_path)
    assert store.status("roc_auc") == "new" and store.statuses() == {}
    store.record_check("roc_auc", "q12", passed=False, mistake="roc-ignores-ties")
    store.record_check("roc_auc", "q12", passed=True, mistake=None)
    store.record_check("roc_auc", "q12", passed=False, mistake=None)
    store.record_check("one_hot", "q14", passed=False, mistake=None)
    assert store.statuses() == {"roc_auc": "passed", "one_hot": "attempted"}
    assert store.attempts() == {"roc_auc": 3, "one_hot": 1}
    assert [store.next_hint("roc_auc", 3) for _ in range(5)] == [1, 2, 3, 3, 3]
    assert Progress(tmp_path).hints_used() == {"roc_auc": 3}


def test_mlhood_home_overrides_the_data_directory(tmp_path, monkeypatch):
    monkeypatch.setenv("MLHOOD_HOME", str(tmp_path / "elsewhere"))
    assert home() == tmp_path / "elsewhere"
    assert Progress().path == tmp_path / "elsewhere" / "progress.sqlite3"
    monkeypatch.delenv("MLHOOD_HOME")
    assert home() != tmp_path / "elsewhere" and home().name in ("mlhood", "Mlhood")


WRITER = """
import sys
from mlhood.practice._store import Progress
store = Progress(sys.argv[1])
i = 0
while True:
    store.record_check(f"ex{i % 7}", "q01", passed=i % 3 == 0, mistake=None)
    store.next_hint(f"ex{i % 7}")
    i += 1
    print(i, flush=True)
"""


def test_sigkill_loses_nothing_recorded(tmp_path):
    for kill_after in (1, 25, 60):
        process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path)], stdout=subprocess.PIPE, text=True
        )
        before = sum(Progress(tmp_path).attempts().values())
        for _ in range(kill_after):
            committed = int(process.stdout.readline())
        os.kill(process.pid, signal.SIGKILL)  # mid-transaction, most likely
        process.wait()
        process.stdout.close()
        after = sum(Progress(tmp_path).attempts().values())
        assert committed <= after - before <= committed + 1  # every reported commit survived
        with sqlite3.connect(tmp_path / "progress.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
