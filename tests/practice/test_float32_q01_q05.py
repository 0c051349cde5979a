"""A solution computed entirely in float32 is judged at float32's precision, and passes."""

from __future__ import annotations

import numpy as np
import pytest

from mlhood.practice._exercise import Solution, grade
from mlhood.practice.exercises import all_exercises

IN_FLOAT32 = [
    "ridge_closed_form",
    "linear_backward",
    "relu_backward",
    "expected_improvement",
    "softmax_cross_entropy",
    "log_softmax",
    "binary_cross_entropy_with_logits",
]


def _single(value):
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        return value.astype(np.float32)
    if isinstance(value, float):
        return np.float32(value)
    return value


@pytest.mark.parametrize("exercise_id", IN_FLOAT32)
def test_float32_solution_passes(exercise_id):
    exercise = all_exercises()[exercise_id]

    def in_float32(*args):
        out = exercise.reference(*[_single(a) for a in args])
        return tuple(_single(np.asarray(v)) for v in out) if isinstance(out, tuple) else out

    report = grade(exercise, Solution(in_float32, {}))
    assert report.passed, [c.message for c in report.checks if not c.passed]


def test_float32_does_not_hide_a_mistake():
    exercise = all_exercises()["linear_backward"]
    wrong = exercise.mistakes["linear-bias-grad-averaged"]
    report = grade(exercise, Solution(lambda *a: tuple(np.float32(v) for v in wrong(*a)), {}))
    assert not report.passed and report.mistake == "linear-bias-grad-averaged"
