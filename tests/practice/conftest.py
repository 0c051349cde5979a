"""Shared helpers for the practice tests: build solutions from functions or files."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

SOLUTIONS = Path(__file__).parent / "solutions"


def load_solutions(question: str) -> dict:
    """The functions of ``solutions/qNN.py`` and ``solutions/qNN_*.py``, by name."""
    functions: dict = {}
    for path in sorted(SOLUTIONS.glob(f"{question}*.py")):
        spec = importlib.util.spec_from_file_location(f"practice_solutions_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        functions.update({k: v for k, v in vars(module).items() if callable(v)})
    return functions


@pytest.fixture
def solutions():
    """``solutions(question)``: the independent solutions of that question, by name."""
    return load_solutions
