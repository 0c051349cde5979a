"""Where the explorer computes: a small process pool with a cache in front of it.

Mistakes are process-wide patches (:func:`mlhood.mistakes.applied`), so they are never
applied in the server process: every computation runs in a worker process, one task at a
time per worker, inside ``applied(*mistakes)``. The server process keeps answering pages
and ``/healthz`` while workers compute. Identical requests share one computation (in
flight) and are answered from an LRU cache afterwards.
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing
import signal
from collections import OrderedDict
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from threadpoolctl import threadpool_limits


def _ignore_interrupt() -> None:
    """Worker initializer: Ctrl-C is the server's to handle; load the pages once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threadpool_limits(1)
    import mlhood.explorer._pages  # noqa: F401 - import the library before the first task


def run_task(kind: str, lab_id: str, params: dict, mistakes: tuple[str, ...]) -> dict:
    """Run one task in a worker: a page's computation or a lab's claims, with mistakes.

    Returns ``{"ok": payload}`` or ``{"error": message}`` (a library error raised by a
    combination of parameters is reported, never lost in the pool).
    """
    from mlhood.mistakes import applied

    try:
        if kind == "claims":
            from mlhood.labs._runner import run_one

            lab = run_one(lab_id, quick=True, seed=params["seed"], mistakes=mistakes)
            claims = [claim.to_dict() for claim in lab.claims]
            return {"ok": {"title": lab.title, "claims": claims, "seconds": lab.seconds}}
        from mlhood.explorer._pages import PAGES

        page = PAGES[lab_id]
        with applied(*mistakes):
            return {"ok": page.compute(page.params(**params))}
    except (ValueError, TypeError, ArithmeticError, RuntimeError) as error:
        return {"error": f"{type(error).__name__}: {error}"}


class Computer:
    """Process pools behind a cache of ``cache_size`` answers.

    Page computations (a fraction of a second) run in ``workers`` processes; a lab's
    claims (a few seconds) run in ``claim_workers`` separate processes, so a claims run
    never holds up a chart.
    """

    def __init__(self, workers: int = 2, cache_size: int = 512, claim_workers: int = 1) -> None:
        self.workers = workers
        self.claim_workers = claim_workers
        self.cache_size = cache_size
        self._pools: dict[str, ProcessPoolExecutor] = {}
        self._cache: OrderedDict[str, dict] = OrderedDict()
        self._pending: dict[str, Future] = {}
        self.hits = self.misses = 0

    def start(self) -> None:
        """Start the workers (spawned, so no lock or thread of the server is inherited)."""
        context = multiprocessing.get_context("spawn")
        for kind, size in (("page", self.workers), ("claims", self.claim_workers)):
            if kind not in self._pools:
                self._pools[kind] = ProcessPoolExecutor(
                    size, mp_context=context, initializer=_ignore_interrupt
                )

    def stop(self) -> None:
        """Stop the workers, dropping queued tasks."""
        while self._pools:
            _, pool = self._pools.popitem()
            pool.shutdown(wait=True, cancel_futures=True)

    async def run(
        self, kind: str, lab_id: str, params: dict, mistakes: tuple[str, ...] = ()
    ) -> dict:
        """The answer of one task, from the cache, from the same task in flight, or fresh."""
        key = json.dumps([kind, lab_id, params, sorted(mistakes)], sort_keys=True)
        if key in self._cache:
            self.hits += 1
            self._cache.move_to_end(key)
            return self._cache[key]
        if key not in self._pending:
            self.misses += 1
            self.start()
            pool = self._pools[kind]
            self._pending[key] = pool.submit(run_task, kind, lab_id, params, tuple(mistakes))
        future = self._pending[key]  # a concurrent.futures.Future: usable from any loop
        try:
            answer = await asyncio.shield(asyncio.wrap_future(future))
        except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh
            self.stop()
            raise
        finally:
            if future.done():
                self._pending.pop(key, None)
        self._cache[key] = answer
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return answer

    def stats(self) -> dict[str, Any]:
        """Cache size, hits and misses, tasks in flight."""
        return {
            "cached": len(self._cache),
            "hits": self.hits,
            "misses": self.misses,
            "in_flight": len(self._pending),
            "workers": self.workers,
            "claim_workers": self.claim_workers,
        }
