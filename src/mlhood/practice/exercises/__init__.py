"""The exercises, one module per question (``q01.py`` .. ``q15.py``), collected here.

Every module of this package that exposes ``EXERCISES`` is imported; the exercises are
listed by question, then in the module's order.

Examples
--------
>>> from mlhood.practice import exercises
>>> exercises.get("dropout_forward").question
'q03'
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from mlhood.practice._exercise import Exercise, Solution


@cache
def all_exercises() -> dict[str, Exercise]:
    """Every exercise by id, ordered by question then module order."""
    found: list[Exercise] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found.extend(getattr(module, "EXERCISES", ()))
    found.sort(key=lambda e: e.question)  # stable: module order kept within a question
    by_id: dict[str, Exercise] = {}
    for exercise in found:
        if exercise.id in by_id:
            raise ValueError(f"exercise id {exercise.id!r} is defined twice")
        by_id[exercise.id] = exercise
    return by_id


def get(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; a ValueError lists the valid ids when it is unknown."""
    known = all_exercises()
    if exercise_id not in known:
        raise ValueError(f"unknown exercise {exercise_id!r}; valid ids: {', '.join(known)}")
    return known[exercise_id]


def with_references(exercise: Exercise, graded=None) -> Solution:
    """``graded`` (default: the reference) as a solution, with the references it requires."""
    others = {name: get(name).reference for name in exercise.requires}
    return Solution(exercise.reference if graded is None else graded, others)


__all__ = ["all_exercises", "get", "with_references"]
