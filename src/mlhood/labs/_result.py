"""What a lab returns: a :class:`LabResult` holding falsifiable :class:`Claim` objects."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
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
    if isinstance(value, float) and not math.isfinite(value):  # NaN, inf have no JSON form
        return None
    return value


_OPERATORS = {
    "<": lambda value, threshold: value < threshold,
    "<=": lambda value, threshold: value <= threshold,
    ">": lambda value, threshold: value > threshold,
    ">=": lambda value, threshold: value >= threshold,
    "==": lambda value, threshold: value == threshold,
}


@dataclass(frozen=True)
class Check:
    """One comparison of a measured value with its threshold: ``value op threshold``.

    Parameters
    ----------
    name : str
        What was measured, as it appears in the claim's evidence.
    value : float or str
        The measured value (a string only with ``op="=="``, e.g. a diagnosis).
    op : {"<", "<=", ">", ">=", "=="}
        How the value must compare with the threshold for the check to pass.
    threshold : float or str
        The bound, chosen from the spread measured over many seeds (``mlhood sweep``).

    Examples
    --------
    >>> check = Check("gap ratio", 0.4, "<", 2 / 3)
    >>> check.ok, round(check.margin, 2)
    (True, 0.4)
    >>> Check("p-value", 0.2, "<", 0.05).ok
    False
    """

    name: str
    value: Any
    op: str
    threshold: Any

    def __post_init__(self) -> None:
        if self.op not in _OPERATORS:
            raise ValueError(f"op must be one of {sorted(_OPERATORS)}, got {self.op!r}")
        for attr in ("value", "threshold"):
            raw = getattr(self, attr)
            if self.op != "==" and not isinstance(raw, (int, float)) and not hasattr(raw, "item"):
                raise TypeError(f"{attr} of check {self.name!r} must be a number, got {raw!r}")
            if hasattr(raw, "item"):  # NumPy scalar
                object.__setattr__(self, attr, raw.item())

    @property
    def ok(self) -> bool:
        """Whether the measured value satisfies the comparison (NaN never does)."""
        if self.op != "==" and (math.isnan(self.value) or math.isnan(self.threshold)):
            return False
        return bool(_OPERATORS[self.op](self.value, self.threshold))

    @property
    def margin(self) -> float | None:
        """How far the value sits on the passing side of the threshold.

        Relative to ``|threshold|`` (absolute when the threshold is 0); negative when the
        check fails, ``-inf`` for NaN, ``None`` for an equality check.
        """
        if self.op == "==":
            return None
        if math.isnan(self.value) or math.isnan(self.threshold):
            return -math.inf
        distance = (
            self.threshold - self.value
            if self.op in ("<", "<=")
            else (self.value - self.threshold)
        )
        scale = abs(self.threshold) if self.threshold != 0 else 1.0
        return distance / scale

    def describe(self) -> str:
        """``"name = value op threshold"``, as the report shows it."""
        fmt = lambda v: f"{v:.4g}" if isinstance(v, float) else str(v)  # noqa: E731
        return f"{self.name} = {fmt(self.value)} {self.op} {fmt(self.threshold)}"

    def to_dict(self) -> dict[str, Any]:
        """The check as JSON-ready data."""
        return _plain(
            {
                "name": self.name,
                "value": self.value,
                "op": self.op,
                "threshold": self.threshold,
                "ok": self.ok,
                "margin": self.margin,
            }
        )


@dataclass
class Claim:
    """A falsifiable sentence, the measured numbers behind it and whether they support it.

    A claim is at stake: it names the mistakes from :mod:`mlhood.mistakes` that turn it
    red (``catches``), and its verdict comes from :class:`Check` objects that compare what
    the lab measured with thresholds shown beside the values.

    Parameters
    ----------
    statement : str
        The sentence the lab sets out to test, in plain words.
    evidence : dict
        The measured numbers (name -> number, list or short string). Each check's
        threshold is added as ``"<name> threshold"``.
    holds : bool, optional
        A verdict the checks cannot express (e.g. a diagnosis being named). With
        ``checks``, the claim holds when ``holds`` (default True) and every check passes.
        Always computed from measured values by the lab, never written in.
    catches : sequence of str
        Ids of the mistakes (``mlhood.mistakes``) under which this claim turns red.
    checks : sequence of Check
        The comparisons that decide the verdict.

    Examples
    --------
    >>> claim = Claim(
    ...     "Dropout halves the gap.",
    ...     {"gap_without": 1.0, "gap_with": 0.4},
    ...     checks=[Check("gap ratio", 0.4, "<", 0.5)],
    ...     catches=["dropout-no-rescale"],
    ... )
    >>> claim.holds, round(claim.margin, 2), claim.evidence["gap ratio threshold"]
    (True, 0.2, '< 0.5')
    """

    statement: str
    evidence: dict[str, Any]
    holds: bool | None = None
    catches: Sequence[str] = ()
    checks: Sequence[Check] = ()

    def __post_init__(self) -> None:
        self.checks = tuple(self.checks)
        self.catches = tuple(self.catches)
        if self.holds is None and not self.checks:
            raise ValueError(f"claim {self.statement!r} needs checks or an explicit holds")
        held = True if self.holds is None else bool(self.holds)
        self.holds = held and all(check.ok for check in self.checks)
        evidence = dict(self.evidence)
        for check in self.checks:
            evidence.setdefault(check.name, check.value)
            shown = (
                f"{check.threshold:.4g}"
                if isinstance(check.threshold, float)
                else (check.threshold)
            )
            evidence[f"{check.name} threshold"] = f"{check.op} {shown}"
        self.evidence = _plain(evidence)

    @property
    def margin(self) -> float | None:
        """The smallest margin over the numeric checks (see :attr:`Check.margin`)."""
        margins = [c.margin for c in self.checks if c.margin is not None]
        return min(margins) if margins else None

    def to_dict(self) -> dict[str, Any]:
        """The claim as JSON-ready data."""
        return {
            "statement": self.statement,
            "evidence": self.evidence,
            "holds": self.holds,
            "catches": list(self.catches),
            "checks": [check.to_dict() for check in self.checks],
            "margin": _plain(self.margin),
        }


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
