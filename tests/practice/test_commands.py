"""``mlhood practice``: a whole session through the command line, exit codes and JSON."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mlhood.cli import app
from mlhood.practice.exercises import all_exercises

runner = CliRunner()

FORWARD = """
import numpy as np

def dropout_forward(x, p, rng):
    mask = (rng.random(np.shape(x)) < 1 - p) / (1 - p)
    return x * mask, mask
"""


@pytest.fixture
def learner(tmp_path, monkeypatch):
    """A fresh progress store and working directory."""
    monkeypatch.setenv("MLHOOD_HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def practice(*args):
    return runner.invoke(app, ["practice", *args])


def test_list_json_has_every_exercise_as_new(learner):
    result = practice("list", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == list(all_exercises())
    assert all(set(r) == {"id", "question", "title", "status"} for r in rows)
    assert {r["status"] for r in rows} == {"new"}
    assert "dropout_backward" in practice("list").stdout


def test_start_writes_the_stubs_and_never_overwrites(learner):
    result = practice("start", "dropout_backward")
    assert result.exit_code == 0
    path = learner / "mlhood-practice" / "dropout_backward.py"
    text = path.read_text()
    assert (
        "def dropout_forward(x, p, rng):" in text and "def dropout_backward(dout, cache):" in text
    )
    path.write_text("my work")
    assert practice("start", "dropout_backward").exit_code == 2
    assert path.read_text() == "my work"
    assert practice("start", "dropout_backward", "--force").exit_code == 0
    assert practice("start", "dropout_backward", "--dir", "other").exit_code == 0
    assert (learner / "other" / "dropout_backward.py").exists()


def test_usage_errors_exit_2(learner):
    unknown = practice("check", "dropout_bwd")
    assert unknown.exit_code == 2 and "dropout_backward" in unknown.stderr
    missing = practice("check", "dropout_backward")
    assert missing.exit_code == 2 and "practice start dropout_backward" in missing.stderr
    for command in ("hint", "reveal", "start"):
        assert practice(command, "nope").exit_code == 2
    (learner / "f.py").write_text(FORWARD)
    assert practice("check", "dropout_forward", "--file", "f.py", "--timeout", "0").exit_code == 2


def test_session_fail_with_mistake_then_pass_then_reveal(learner):
    wrong = learner / "wrong.py"
    wrong.write_text(FORWARD + "\ndef dropout_backward(dout, cache):\n    return dout\n")
    shown = practice("check", "dropout_backward", "--file", str(wrong))
    assert shown.exit_code == 1 and "`dropout-backward-no-mask`" in shown.stdout
    debug = learner / "debug.py"
    debug.write_text(wrong.read_text().replace("return dout\n", "print('dx?')\n    return dout\n"))
    printed = practice("check", "dropout_backward", "--file", str(debug)).stdout
    assert "your code printed (last lines):" in printed and "dx?" in printed
    result = practice("check", "dropout_backward", "--file", str(wrong), "--json")
    assert result.exit_code == 1
    verdict = json.loads(result.stdout)
    assert set(verdict) == {"id", "passed", "checks", "mistake"}
    assert verdict["mistake"] == "dropout-backward-no-mask" and verdict["passed"] is False
    assert all(set(c) == {"name", "passed", "message"} for c in verdict["checks"])
    assert practice("reveal", "dropout_backward").exit_code == 1

    right = learner / "right.py"
    right.write_text(FORWARD + "\ndef dropout_backward(dout, cache):\n    return dout * cache\n")
    result = practice("check", "dropout_backward", "--file", str(right))
    assert result.exit_code == 0 and "passed" in result.stdout
    rows = {r["id"]: r["status"] for r in json.loads(practice("list", "--json").stdout)}
    assert rows["dropout_backward"] == "passed" and rows["dropout_forward"] == "new"
    revealed = practice("reveal", "dropout_backward")
    assert revealed.exit_code == 0 and "def dropout_backward(dout, cache):" in revealed.stdout

    shown = [practice("hint", "dropout_forward").stdout for _ in range(4)]
    assert shown[0].startswith("hint 1/3") and shown[3].startswith("hint 3/3")
    progress = {r["question"]: r for r in json.loads(practice("progress", "--json").stdout)}
    assert progress["q03"] == {
        "question": "q03",
        "exercises": 3,
        "passed": 1,
        "attempts": 4,
        "hints": 3,
    }


def test_reveal_with_force_before_passing(learner):
    result = practice("reveal", "dropout_forward", "--force")
    assert result.exit_code == 0 and "keep = 1.0 - p" in result.stdout


def test_unusable_progress_folder_is_a_usage_error(learner, monkeypatch):
    (learner / "a-file").write_text("")
    monkeypatch.setenv("MLHOOD_HOME", str(learner / "a-file"))
    result = practice("list")
    assert result.exit_code == 2 and "MLHOOD_HOME" in result.stderr
