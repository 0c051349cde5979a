"""Robustness over seeds: run labs on many seeds and summarise each claim's verdicts.

A claim is only worth showing if it holds on *any* seed with margin. :func:`sweep` runs
each (lab, seed) pair as one task - on local processes through joblib, or on a Dask
cluster when a scheduler address is given - and :func:`summarise` reduces the runs to,
per claim, the hold rate, the worst margin (see :attr:`mlhood.labs.Claim.margin`) and
the seeds where it failed.
"""

from __future__ import annotations

import math
import os
import re
import socket
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from joblib import Parallel, delayed

from mlhood.labs import TITLES
from mlhood.labs._runner import run_one


def parse_seeds(text: str) -> list[int]:
    """Seeds from ``"0-199"``, ``"0,3,7"`` or a mix (``"0-9,20"``), in order, unique.

    Examples
    --------
    >>> parse_seeds("0-3,7,2")
    [0, 1, 2, 3, 7]
    """
    seeds: list[int] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*(?:-\s*(\d+)\s*)?", part)
        if not match:
            raise ValueError(f"seeds must look like '0-199' or '0,3,7', got {text!r}")
        low = int(match.group(1))
        high = int(match.group(2)) if match.group(2) is not None else low
        if high < low:
            raise ValueError(f"seed range {part.strip()!r} runs backwards")
        seeds.extend(s for s in range(low, high + 1) if s not in seeds)
    return seeds


def run_task(lab_id: str, seed: int, quick: bool, mistakes: Sequence[str]) -> dict[str, Any]:
    """One lab on one seed, reduced to what the sweep keeps (no figures, no tables)."""
    result = run_one(lab_id, quick=quick, seed=seed, mistakes=mistakes, blas_threads=1)
    crashed = result.title.endswith("(crashed)")
    return {
        "lab": lab_id,
        "seed": seed,
        "seconds": result.seconds,
        "worker": f"{socket.gethostname()}:{os.getpid()}",
        "error": result.claims[0].evidence["error"] if crashed else None,
        "claims": [
            {"statement": c.statement, "holds": c.holds, "margin": _finite(c.margin)}
            for c in ([] if crashed else result.claims)
        ],
    }


def _finite(margin: float | None) -> float | None:
    """A margin JSON can hold: NaN and infinite margins (a failed check) become None."""
    return margin if margin is not None and math.isfinite(margin) else None


def _local(tasks: list[tuple], n_jobs: int) -> Iterator[dict[str, Any]]:
    if n_jobs == 1:
        yield from (run_task(*task) for task in tasks)
        return
    yield from Parallel(n_jobs=n_jobs, return_as="generator_unordered")(
        delayed(run_task)(*task) for task in tasks
    )


def _dask(tasks: list[tuple], scheduler: str) -> Iterator[dict[str, Any]]:
    try:
        from distributed import Client, as_completed
    except ImportError as error:  # pragma: no cover - depends on the environment
        raise RuntimeError(
            "a Dask scheduler needs the 'dist' extra: pip install 'mlhood[dist]'"
        ) from error
    with Client(scheduler) as client:
        futures = [client.submit(run_task, *task, pure=False) for task in tasks]
        for future in as_completed(futures):
            yield future.result()


def sweep(
    ids: Iterable[str],
    seeds: Iterable[int],
    *,
    quick: bool = True,
    mistakes: Sequence[str] = (),
    n_jobs: int = 1,
    scheduler: str | None = None,
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Run every lab of ``ids`` on every seed of ``seeds`` and summarise the claims.

    Parameters
    ----------
    ids, seeds : iterables of lab ids and of ints
    quick : bool
        Quick mode (the default of ``mlhood labs``) or full mode.
    mistakes : sequence of str
        Catalogued mistakes applied in every run (a what-if sweep).
    n_jobs : int
        Local processes (joblib); ``-1`` one per core. Ignored with ``scheduler``.
    scheduler : str, optional
        Address of a Dask scheduler (``tcp://host:8786``): the runs go to its workers.
    on_done : callable, optional
        Called with each finished run (for a progress bar).

    Returns
    -------
    dict
        The JSON-ready summary written to ``sweep.json`` (see :func:`summarise`).
    """
    tasks = [(lab_id, seed, quick, tuple(mistakes)) for lab_id in ids for seed in seeds]
    start = time.perf_counter()
    cores = os.cpu_count() or 1
    runs = []
    stream = (
        _dask(tasks, scheduler)
        if scheduler
        else _local(tasks, cores if n_jobs == -1 else max(1, n_jobs))
    )
    for run in stream:
        runs.append(run)
        if on_done:
            on_done(run)
    summary = summarise(runs)
    summary.update(
        quick=quick,
        seeds=sorted({s for _, s, _, _ in tasks}),
        mistakes=list(mistakes),
        seconds=round(time.perf_counter() - start, 2),
        workers=sorted({run["worker"] for run in runs}),
    )
    return summary


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per lab and claim: hold rate, worst margin, failed seeds and every margin.

    A run whose lab crashed counts as a failure of every claim of that lab, and its error
    is listed under the lab's ``crashes``.
    """
    labs = []
    for lab_id in sorted({run["lab"] for run in runs}):
        mine = sorted((r for r in runs if r["lab"] == lab_id), key=lambda r: r["seed"])
        n_claims = max(len(r["claims"]) for r in mine)
        claims = []
        for index in range(n_claims):
            seen = [(r["seed"], r["claims"][index]) for r in mine if index < len(r["claims"])]
            failed = [r["seed"] for r in mine if index >= len(r["claims"])]
            failed += [seed for seed, c in seen if not c["holds"]]
            margins = [c["margin"] for _, c in seen if c["margin"] is not None]
            claims.append(
                {
                    "index": index,
                    "statement": seen[0][1]["statement"] if seen else "",
                    "runs": len(mine),
                    "held": len(mine) - len(failed),
                    "hold_rate": (len(mine) - len(failed)) / len(mine),
                    "worst_margin": min(margins) if margins else None,
                    "failed_seeds": sorted(failed),
                    "margins": margins,
                }
            )
        labs.append(
            {
                "id": lab_id,
                "title": TITLES.get(lab_id, lab_id),
                "seconds_per_run": sum(r["seconds"] for r in mine) / len(mine),
                "claims": claims,
                "crashes": [{"seed": r["seed"], "error": r["error"]} for r in mine if r["error"]],
            }
        )
    return {"labs": labs}
