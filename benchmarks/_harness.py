"""Side-by-side timing of mlhood against a peer library, shared by every benchmark script.

Each case gives two zero-argument callables. They are warmed up once each, then timed
alternately (mlhood, peer, mlhood, peer, ...) for ``rounds`` rounds so both see the same
machine state, and the median of each is reported with the ratio mlhood / peer. Peak
memory is measured separately, one extra call each, with ``tracemalloc`` (NumPy reports
its allocations to it), so the timing runs are not slowed by tracing.
"""

from __future__ import annotations

import gc
import os
import platform
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class CaseResult:
    """Timings (seconds, median over rounds) and peak memory (bytes) of one case."""

    name: str
    mlhood_s: float
    peer_s: float
    mlhood_peak: int
    peer_peak: int

    @property
    def ratio(self) -> float:
        """mlhood time over peer time: below 1 means mlhood is faster."""
        return self.mlhood_s / self.peer_s

    @property
    def memory_ratio(self) -> float:
        """mlhood peak memory over the peer's."""
        return self.mlhood_peak / max(self.peer_peak, 1)


def _peak_bytes(func: Callable[[], object]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak


def compare(
    name: str,
    mlhood: Callable[[], object],
    peer: Callable[[], object],
    rounds: int = 5,
    memory: bool = True,
    warmup: bool = True,
) -> CaseResult:
    """Time ``mlhood`` and ``peer`` alternately and return their medians and peak memory.

    ``warmup=False`` skips the untimed first call of each (for cases of a minute or more,
    where compilation and caches are a rounding error).
    """
    if warmup:
        mlhood()
        peer()
    times: dict[str, list[float]] = {"mlhood": [], "peer": []}
    for _ in range(rounds):
        for key, func in (("mlhood", mlhood), ("peer", peer)):
            gc.collect()
            start = time.perf_counter()
            func()
            times[key].append(time.perf_counter() - start)
    peaks = (_peak_bytes(mlhood), _peak_bytes(peer)) if memory else (0, 0)
    return CaseResult(
        name,
        statistics.median(times["mlhood"]),
        statistics.median(times["peer"]),
        *peaks,
    )


def machine() -> str:
    """One line naming the machine the numbers were measured on."""
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, " + (
        f"Python {platform.python_version()}"
    )


def print_table(results: list[CaseResult], peer_name: str = "peer") -> None:
    """Print ``case | mlhood s | peer s | ratio | mem ratio`` as a Markdown table."""
    print(f"machine: {machine()}")
    peer = peer_name
    print(f"| case | mlhood s | {peer} s | ratio | mlhood MiB | {peer} MiB | mem ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(
            f"| {r.name} | {r.mlhood_s:.4f} | {r.peer_s:.4f} | {r.ratio:.2f} | "
            f"{r.mlhood_peak / 2**20:.1f} | {r.peer_peak / 2**20:.1f} | {r.memory_ratio:.2f} |"
        )
