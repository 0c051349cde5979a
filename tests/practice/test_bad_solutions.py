"""Every exercise gives a clear verdict, never an error, for garbage and broken solutions."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from mlhood.practice._exercise import grade
from mlhood.practice.exercises import all_exercises, with_references

ALL = all_exercises()


def _nan_like(value):
    """The same structure with every number replaced by NaN."""
    if isinstance(value, (tuple, list)):
        return type(value)(_nan_like(v) for v in value)
    if isinstance(value, dict) or value is None:
        return value
    return np.full(np.shape(value), np.nan)


def _raises(*args):
    raise ValueError("boom")


def _exits(*args):
    sys.exit(3)


BROKEN = {
    "returns None": (lambda *args: None, None),
    "returns a string": (lambda *args: "garbage", None),
    "raises": (_raises, "your code raised ValueError: boom"),
    "calls sys.exit": (_exits, "sys.exit(3)"),
}


@pytest.mark.parametrize("case", BROKEN)
@pytest.mark.parametrize("exercise_id", ALL)
def test_broken_solution_fails_with_a_message(exercise_id, case):
    exercise = ALL[exercise_id]
    function, words = BROKEN[case]
    report = grade(exercise, with_references(exercise, function))
    failed = [c for c in report.checks if not c.passed]
    assert failed and all(c.message for c in failed)  # (one_hot must raise: that check passes)
    assert words is None or any(words in c.message for c in failed)
    assert report.mistake is None


@pytest.mark.parametrize("exercise_id", ALL)
def test_nan_output_fails(exercise_id):
    exercise = ALL[exercise_id]
    reference = exercise.reference
    report = grade(exercise, with_references(exercise, lambda *a: _nan_like(reference(*a))))
    assert not report.passed and report.mistake is None
    # NaN is named, or the output is rejected before (integer indices cannot be NaN)
    assert all(c.message for c in report.checks if not c.passed)
