"""Resumable searches: a SIGKILLed run resumes exactly; two writers share one journal."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest

from mlhood.model_selection import Categorical, Integer, Real, minimize

SCRIPT = textwrap.dedent(
    """
    import sys, time
    from mlhood.model_selection import Categorical, Integer, Real, minimize

    journal, calls, pause, method, n_trials = sys.argv[1:6]

    def objective(x):
        time.sleep(float(pause))
        with open(calls, "a") as fh:
            fh.write("call\\n")
        return (x[0] - 0.3) ** 2 + (x[1] - 3) ** 2 / 10 + (0.0 if x[2] == "a" else 0.5)

    space = [Real(0, 1), Integer(0, 6), Categorical(["a", "b"])]
    res = minimize(objective, space, int(n_trials), method=method, random_state=7,
                   journal=journal)
    print(repr(res.x), repr(res.fun), res.n_evaluated)
    """
)


def stored_rows(path):
    with sqlite3.connect(path) as db:
        return db.execute("SELECT number, params, value FROM trials ORDER BY number").fetchall()


def start(tmp_path, journal, calls, pause, method, n_trials):
    script = tmp_path / "search.py"
    script.write_text(SCRIPT)
    return subprocess.Popen(
        [sys.executable, str(script), str(journal), str(calls), str(pause), method, str(n_trials)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def count_lines(path):
    return len(path.read_text().splitlines()) if path.exists() else 0


SPACE = [Real(0, 1), Integer(0, 6), Categorical(["a", "b"])]


def test_sigkilled_search_resumes_to_the_uninterrupted_result(tmp_path):
    n_trials = 14
    killed_journal, calls = tmp_path / "killed.sqlite", tmp_path / "calls.txt"
    proc = start(tmp_path, killed_journal, calls, 0.25, "bayes", n_trials)
    deadline = time.time() + 90
    while time.time() < deadline:
        if killed_journal.exists() and count_lines(calls) >= 1:
            try:
                if len(stored_rows(killed_journal)) >= 10:  # past the Sobol points
                    break
            except sqlite3.OperationalError:
                pass
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    n_before = len(stored_rows(killed_journal))
    assert 10 <= n_before < n_trials

    n_calls = []

    def objective(x):  # the script's objective, without the pause
        n_calls.append(1)
        return (x[0] - 0.3) ** 2 + (x[1] - 3) ** 2 / 10 + (0.0 if x[2] == "a" else 0.5)

    resumed = minimize(objective, SPACE, n_trials, random_state=7, journal=killed_journal)
    assert len(n_calls) == resumed.n_evaluated == n_trials - n_before  # only missing trials
    fresh = minimize(objective, SPACE, n_trials, random_state=7, journal=tmp_path / "f.sqlite")
    assert (resumed.x, resumed.fun) == (fresh.x, fresh.fun)
    assert resumed.x_iters == fresh.x_iters
    assert stored_rows(killed_journal) == stored_rows(tmp_path / "f.sqlite")


def test_two_processes_share_one_journal(tmp_path):
    journal = tmp_path / "shared.sqlite"
    procs = [
        start(tmp_path, journal, tmp_path / f"calls{i}.txt", 0.02, "random", 30) for i in range(2)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outputs]
    assert outputs[0][0].split()[:-1] == outputs[1][0].split()[:-1]
    with sqlite3.connect(journal) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        numbers = [r[0] for r in db.execute("SELECT number FROM trials ORDER BY number")]
    assert numbers == list(range(30))
    total_calls = count_lines(tmp_path / "calls0.txt") + count_lines(tmp_path / "calls1.txt")
    assert 30 <= total_calls <= 60


def test_journal_of_another_search_is_refused_and_left_unchanged(tmp_path):
    journal = tmp_path / "j.sqlite"

    def f(x):
        return x[0] ** 2

    minimize(f, [Real(0, 1)], 4, method="random", random_state=0, journal=journal)
    before = stored_rows(journal)
    with pytest.raises(ValueError, match="different search.*space"):
        minimize(f, [Real(0, 2)], 4, method="random", random_state=0, journal=journal)
    with pytest.raises(ValueError, match="different search.*seed"):
        minimize(f, [Real(0, 1)], 4, method="random", random_state=1, journal=journal)
    with pytest.raises(ValueError, match="different search.*method"):
        minimize(f, [Real(0, 1)], 4, method="bayes", random_state=0, journal=journal)
    assert stored_rows(journal) == before
    # Same search: nothing re-evaluated; more trials: only the new ones run.
    again = minimize(f, [Real(0, 1)], 4, method="random", random_state=0, journal=journal)
    assert again.n_evaluated == 0
    more = minimize(f, [Real(0, 1)], 6, method="random", random_state=0, journal=journal)
    assert more.n_evaluated == 2 and stored_rows(journal)[:4] == before
    with sqlite3.connect(journal) as db:
        signature = json.loads(db.execute("SELECT value FROM meta").fetchone()[0])
    assert signature["space"][0][1:] == ["real", 0.0, 1.0, False]


def test_search_cv_journal_resumes_without_refitting(tmp_path):
    import numpy as np
    from sklearn.linear_model import Ridge

    from mlhood.model_selection import GridSearchCV

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 3))
    y = X @ [1.0, 2.0, 0.0] + rng.normal(size=40)
    path = tmp_path / "grid.sqlite"
    first = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, cv=3, journal=path).fit(X, y)
    second = GridSearchCV(Ridge(), {"alpha": [0.1, 1.0, 10.0]}, cv=3, journal=path).fit(X, y)
    assert first.best_params_ == second.best_params_
    assert (
        first.cv_results_["mean_fit_time"].tolist() == second.cv_results_["mean_fit_time"].tolist()
    )  # times read back from the journal, not re-measured
    with pytest.raises(ValueError, match="different search"):
        GridSearchCV(Ridge(), {"alpha": [0.1, 2.0, 10.0]}, cv=3, journal=path).fit(X, y)
    assert os.path.exists(path)


def test_space_types_round_trip_through_the_journal(tmp_path):
    space = [Integer(1, 9), Categorical([None, "x", 2.5])]
    first = minimize(
        lambda x: float(x[0]),
        space,
        5,
        method="random",
        random_state=3,
        journal=tmp_path / "t.sqlite",
    )
    second = minimize(
        lambda x: float(x[0]),
        space,
        5,
        method="random",
        random_state=3,
        journal=tmp_path / "t.sqlite",
    )
    assert second.x_iters == first.x_iters and second.n_evaluated == 0
