"""The sandbox gives a clear verdict for every way a learner's file can go wrong."""

from __future__ import annotations

import textwrap

import pytest

from mlhood.practice import exercises
from mlhood.practice._exercise import Solution, grade
from mlhood.practice._sandbox import UnknownExercise, check_file

CORRECT_FORWARD = """
import numpy as np

def dropout_forward(x, p, rng):
    mask = (rng.random(np.shape(x)) < 1 - p) / (1 - p)
    return x * mask, mask
"""

# (file body, expected words in the last failed check's message)
BROKEN = {
    "infinite loop": (
        "def dropout_forward(x, p, rng):\n    while True:\n        pass\n",
        "stopped after 3 s while running the check",
    ),
    "segfault": (
        "import ctypes\ndef dropout_forward(x, p, rng):\n    ctypes.string_at(0)\n",
        "segmentation fault",
    ),
    "os._exit": ("import os\ndef dropout_forward(x, p, rng):\n    os._exit(3)\n", "exit status 3"),
    "sys.exit in the function": (
        "import sys\ndef dropout_forward(x, p, rng):\n    sys.exit(4)\n",
        "your code called sys.exit(4)",
    ),
    "sys.exit on import": ("import sys\nsys.exit(0)\n", "called sys.exit(0) while it was being"),
    "endless printing": (
        "def dropout_forward(x, p, rng):\n    while True:\n        print('x' * 10000)\n",
        "File too large",
    ),
    "import error": ("import not_a_module_xyz\n", "No module named 'not_a_module_xyz'"),
    "syntax error": ("def dropout_forward(x, p, rng)\n    return x\n", "SyntaxError"),
    "out of memory": (
        "import numpy as np\ndef dropout_forward(x, p, rng):\n    return np.ones(1 << 32), 0\n",
        "MemoryError",
    ),
    "missing function": ("def dropout_fwd(x, p, rng):\n    return x, None\n", "does not define"),
}


# Verdicts on the output itself need no child process: graded in-process.
BAD_OUTPUT = {
    "wrong return type": (
        "def dropout_forward(x, p, rng):\n    return 'out'\n",
        "should be a tuple of 2 values, got str",
    ),
    "wrong shape": (
        "def dropout_forward(x, p, rng):\n    return x.ravel(), None\n",
        "should have shape",
    ),
    "NaN": ("def dropout_forward(x, p, rng):\n    return x * float('nan'), None\n", "NaN"),
    "not written yet": (
        "def dropout_forward(x, p, rng):\n    raise NotImplementedError\n",
        "not written yet",
    ),
}


@pytest.mark.parametrize("case", BAD_OUTPUT)
def test_bad_output_gives_a_clear_verdict(case):
    body, words = BAD_OUTPUT[case]
    namespace: dict = {}
    exec(body, namespace)
    exercise = exercises.get("dropout_forward")
    report = grade(exercise, Solution(namespace["dropout_forward"], namespace))
    assert not report.passed
    assert all(words in c.message for c in report.checks), report.checks


@pytest.mark.parametrize("case", BROKEN)
def test_every_failure_mode_gives_a_clear_verdict(tmp_path, case):
    body, words = BROKEN[case]
    path = tmp_path / "solution.py"
    path.write_text(body)
    outcome = check_file("dropout_forward", path, timeout=3)
    assert not outcome.report.passed
    failed = [c for c in outcome.report.checks if not c.passed]
    assert words in failed[-1].message or words in failed[0].message, failed
    assert "Traceback" not in " ".join(c.message for c in failed)


def test_correct_file_passes_and_its_prints_stay_out_of_the_protocol(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text(
        CORRECT_FORWARD.replace(
            "return x * mask", 'print(\'{"event": "report"}\')\n    return x * mask'
        )
    )
    outcome = check_file("dropout_forward", path)
    assert outcome.report.passed, outcome.report.checks
    assert outcome.question == "q03"
    assert '{"event": "report"}' in outcome.output


def test_known_mistake_is_named_through_the_sandbox(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text(CORRECT_FORWARD + "\ndef dropout_backward(dout, cache):\n    return dout\n")
    outcome = check_file("dropout_backward", path)
    assert not outcome.report.passed
    assert outcome.report.mistake == "dropout-backward-no-mask"
    assert "`dropout-backward-no-mask`" in outcome.mistake_message


def test_required_function_missing(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text("def dropout_backward(dout, cache):\n    return dout * cache\n")
    outcome = check_file("dropout_backward", path)
    (check,) = outcome.report.checks
    assert "define it in the same file" in check.message and "dropout_forward" in check.message
    assert outcome.question == "q03"  # a file that cannot be graded is still an attempt


def test_same_file_same_verdict(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text(textwrap.dedent(CORRECT_FORWARD).replace("/ (1 - p)", ""))
    first, second = (check_file("dropout_forward", path).report for _ in range(2))
    assert first == second and first.mistake == "dropout-no-rescale"


def test_unknown_exercise_lists_the_valid_ids(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text(CORRECT_FORWARD)
    with pytest.raises(UnknownExercise, match="valid ids: .*dropout_forward"):
        check_file("dropout_fwd", path)
    with pytest.raises(ValueError, match="timeout"):
        check_file("dropout_forward", path, timeout=0)
