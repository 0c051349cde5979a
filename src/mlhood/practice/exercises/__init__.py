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

import ast
import importlib
import pkgutil
from functools import cache
from pathlib import Path

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


@cache
def _index() -> dict[str, str]:
    """Exercise id -> module name, read from the sources without importing them.

    Every check imports only the module that defines its exercise (some import the
    library, which takes a while); ids are literal ``Exercise(id="...")`` arguments.
    """
    index: dict[str, str] = {}
    for info in pkgutil.iter_modules(__path__):
        try:
            tree = ast.parse((Path(__file__).parent / f"{info.name}.py").read_text())
        except (OSError, SyntaxError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Exercise":
                for keyword in node.keywords:
                    if keyword.arg == "id" and isinstance(keyword.value, ast.Constant):
                        index[keyword.value.value] = info.name
    return index


def get(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; a ValueError lists the valid ids when it is unknown."""
    module_name = _index().get(exercise_id)
    if module_name is not None:
        module = importlib.import_module(f"{__name__}.{module_name}")
        for exercise in getattr(module, "EXERCISES", ()):
            if exercise.id == exercise_id:
                return exercise
    known = all_exercises()
    if exercise_id not in known:
        raise ValueError(f"unknown exercise {exercise_id!r}; valid ids: {', '.join(known)}")
    return known[exercise_id]


def with_references(exercise: Exercise, graded=None) -> Solution:
    """``graded`` (default: the reference) as a solution, with the references it requires."""
    others = {name: get(name).reference for name in exercise.requires}
    return Solution(exercise.reference if graded is None else graded, others)


__all__ = ["all_exercises", "get", "with_references"]
