"""Run a list of labs, turning a lab that crashes into a failed result instead of an abort."""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable, Iterable

from mlhood.labs import LABS, run_lab
from mlhood.labs._result import Claim, LabResult


def check_ids(ids: Iterable[str]) -> list[str]:
    """Validate lab ids (``"q3"`` and ``"3"`` are accepted for ``"q03"``); all when empty."""
    ids = list(ids)
    if not ids:
        return list(LABS)
    out = []
    for raw in ids:
        key = raw.lower().lstrip("q")
        lab_id = f"q{int(key):02d}" if key.isdigit() else raw
        if lab_id not in LABS:
            raise ValueError(f"unknown lab id {raw!r}; valid ids: {', '.join(LABS)}")
        if lab_id not in out:
            out.append(lab_id)
    return out


def _crashed(lab_id: str, error: BaseException, seconds: float) -> LabResult:
    """A failed result standing in for a lab that raised."""
    return LabResult(
        id=lab_id,
        title=f"{lab_id} (crashed)",
        question="",
        answer="The lab raised an exception before it could measure anything.",
        claims=[
            Claim(
                "The lab runs to the end without an error.",
                {"error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc()},
                False,
            )
        ],
        seconds=seconds,
    )


def run_labs(
    ids: Iterable[str],
    *,
    quick: bool = True,
    seed: int = 0,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[LabResult], None] | None = None,
) -> list[LabResult]:
    """Run the labs ``ids`` in order and return their results.

    A lab that raises becomes a :class:`LabResult` with one failed claim carrying the
    error, so one broken lab never hides the others.
    """
    results = []
    for lab_id in ids:
        if on_start:
            on_start(lab_id)
        start = time.perf_counter()
        try:
            result = run_lab(lab_id, quick=quick, seed=seed)
        except Exception as error:  # noqa: BLE001 - reported as a failed claim
            result = _crashed(lab_id, error, time.perf_counter() - start)
        results.append(result)
        if on_done:
            on_done(result)
    return results
