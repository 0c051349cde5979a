"""Run a list of labs, turning a lab that crashes into a failed result instead of an abort.

With ``n_jobs > 1`` the labs run in separate processes (joblib's loky backend), each
rendering its own figures to PNG, so the wall clock of a whole run is shared by the cores.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterable, Sequence

from joblib import Parallel, delayed
from threadpoolctl import threadpool_limits

from mlhood.labs import LABS, run_lab
from mlhood.labs._figures import png_bytes
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


def run_one(
    lab_id: str,
    *,
    quick: bool = True,
    seed: int = 0,
    mistakes: Sequence[str] = (),
    render: bool = False,
    blas_threads: int | None = None,
) -> LabResult:
    """Run one lab; a lab that raises becomes a failed result carrying the error.

    With ``render`` the figures are replaced by their PNG bytes (cheap to send between
    processes); ``blas_threads`` caps BLAS threads while the lab runs.
    """
    start = time.perf_counter()
    try:
        with threadpool_limits(blas_threads):
            result = run_lab(lab_id, quick=quick, seed=seed, mistakes=mistakes)
    except Exception as error:  # noqa: BLE001 - reported as a failed claim
        result = _crashed(lab_id, error, time.perf_counter() - start)
    if render:
        result.figures = {name: png_bytes(fig) for name, fig in result.figures.items()}
    return result


def run_labs(
    ids: Iterable[str],
    *,
    quick: bool = True,
    seed: int = 0,
    mistakes: Sequence[str] = (),
    n_jobs: int = 1,
    on_start: Callable[[str], None] | None = None,
    on_done: Callable[[LabResult], None] | None = None,
) -> list[LabResult]:
    """Run the labs ``ids`` and return their results, in the order of ``ids``.

    A lab that raises becomes a :class:`LabResult` with one failed claim carrying the
    error, so one broken lab never hides the others. ``mistakes`` (ids from
    :mod:`mlhood.mistakes`) are applied in whichever process runs a lab. ``n_jobs``
    processes run labs at once (``-1``: one per core); their figures come back as PNG.
    """
    ids = list(ids)
    cores = os.cpu_count() or 1
    n_jobs = min(cores if n_jobs == -1 else max(1, n_jobs), max(1, len(ids)))
    if n_jobs == 1:
        results = []
        for lab_id in ids:
            if on_start:
                on_start(lab_id)
            results.append(run_one(lab_id, quick=quick, seed=seed, mistakes=mistakes))
            if on_done:
                on_done(results[-1])
        return results
    if on_start:
        on_start(f"{len(ids)} labs on {n_jobs} processes")
    threads = max(1, cores // n_jobs)
    jobs = (
        delayed(run_one)(
            i, quick=quick, seed=seed, mistakes=mistakes, render=True, blas_threads=threads
        )
        for i in ids
    )
    by_id = {}
    for result in Parallel(n_jobs=n_jobs, return_as="generator_unordered")(jobs):
        by_id[result.id] = result
        if on_done:
            on_done(result)
    return [by_id[i] for i in ids]
