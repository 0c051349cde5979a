"""The verdicts: one :class:`Check` per grader, one :class:`Report` per graded solution.

Kept apart from the graders so that the command line can read a report without importing
hypothesis.

Examples
--------
>>> report = Report("roc_auc", (Check("matches the reference", True, "ok"),))
>>> report.passed, report.to_dict()["mistake"]
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Check:
    """The verdict of one grader: ``{"name", "passed", "message"}``."""

    name: str
    passed: bool
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": self.passed, "message": self.message}


@dataclass(frozen=True)
class Report:
    """The verdict on a solution: every check, and the catalogued mistake it matches."""

    id: str
    checks: tuple[Check, ...]
    mistake: str | None = None
    mistake_message: str = ""

    @property
    def passed(self) -> bool:
        return bool(self.checks) and all(c.passed for c in self.checks)

    def to_dict(self) -> dict[str, Any]:
        """``{"id", "passed", "checks": [...], "mistake"}``, as ``check --json`` prints."""
        return {
            "id": self.id,
            "passed": self.passed,
            "checks": [c.to_dict() for c in self.checks],
            "mistake": self.mistake,
        }
