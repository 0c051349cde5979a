"""What a lab returns: a :class:`LabResult` holding falsifiable :class:`Claim` objects."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any


def _plain(value: Any) -> Any:
    """Turn NumPy scalars and arrays (also nested in dicts and lists) into JSON types."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "tolist"):  # NumPy scalar or array
        return _plain(value.tolist())
    if isinstance(value, float) and value != value:  # NaN has no JSON form
        return None
    return value


@dataclass
class Claim:
    """A falsifiable sentence, the measured numbers behind it and whether they support it.

    Parameters
    ----------
    statement : str
        The sentence the lab sets out to test, in plain words.
    evidence : dict
        The measured numbers (name -> number, list or short string).
    holds : bool
        Whether the evidence supports the statement. Always computed from ``evidence``
        by the lab, never written in.
    """

    statement: str
    evidence: dict[str, Any]
    holds: bool

    def __post_init__(self) -> None:
        self.holds = bool(self.holds)
        self.evidence = _plain(self.evidence)

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data."""
        return {"statement": self.statement, "evidence": self.evidence, "holds": self.holds}


@dataclass
class LabResult:
    """Everything one lab measured.

    Parameters
    ----------
    id : str
        ``"q01"`` ... ``"q15"``.
    title, question, answer : str
        Short title, the interview question in our words, and a short correct answer
        (Markdown).
    claims : list of Claim
    tables : dict
        Table name -> list of rows, each a dict column -> value (small tables only).
    figures : dict
        Figure name -> :class:`matplotlib.figure.Figure`.
    seconds : float
        Wall-clock time the lab took.
    """

    id: str
    title: str
    question: str
    answer: str
    claims: list[Claim] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def n_held(self) -> int:
        """How many claims held."""
        return sum(c.holds for c in self.claims)

    @property
    def all_held(self) -> bool:
        """True when every claim held."""
        return self.n_held == len(self.claims)

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready data (figures are left to the report)."""
        return {
            "id": self.id,
            "title": self.title,
            "question": self.question,
            "answer": self.answer,
            "seconds": round(self.seconds, 3),
            "claims": [c.to_dict() for c in self.claims],
            "tables": _plain(self.tables),
        }


@contextmanager
def timed(result: LabResult) -> Iterator[LabResult]:
    """Fill ``result.seconds`` with the time spent inside the ``with`` block."""
    start = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
