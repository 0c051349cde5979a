"""Time of ``mlhood practice check`` for the reference solution of every exercise.

Each exercise's reference (mlhood's own implementation) is written to a solution file,
then graded through the command line exactly as a learner runs it:
``python -m mlhood practice check ID --file F --json``, a fresh process each time (the
parent's start-up, the sandboxed child, every grader, the progress store). The target is
<= 3 s per exercise. Prints one row per exercise (median of ``--rounds`` runs) and the
slowest. Run: ``python benchmarks/bench_practice.py [--rounds 3] [ID ...]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _harness import machine
from mlhood.practice.exercises import all_exercises

TARGET_S = 3.0


def solution_file(exercise, folder: Path) -> Path:
    """A file defining the reference (and the functions it requires) under their ids."""
    names = [*exercise.requires, exercise.id]
    lines = [f"from {exercises_module(name)} import {name}" for name in names]
    path = folder / f"{exercise.id}.py"
    path.write_text("\n".join(lines) + "\n")
    return path


def exercises_module(name: str) -> str:
    return all_exercises()[name].reference.__module__


def time_check(exercise_id: str, path: Path, home: Path) -> tuple[float, float, bool]:
    """Wall-clock and CPU seconds (of every process involved) of one check, and its verdict."""
    command = [sys.executable, "-m", "mlhood", "practice", "check", exercise_id]
    command += ["--file", str(path), "--json"]
    start, cpu_start = time.perf_counter(), _children_cpu()
    result = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "MLHOOD_HOME": str(home)}
    )
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu_start
    return seconds, cpu, result.returncode == 0 and json.loads(result.stdout)["passed"]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("ids", nargs="*", help="exercise ids (all if none)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    chosen = args.ids or list(all_exercises())
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    print(f"{'exercise':34s} {'question':8s} {'wall s':>7s} {'cpu s':>6s}  passed")
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        for exercise_id in chosen:
            exercise = all_exercises()[exercise_id]
            path = solution_file(exercise, folder)
            runs = [time_check(exercise_id, path, folder / "home") for _ in range(args.rounds)]
            seconds = statistics.median(s for s, _, _ in runs)
            cpu = statistics.median(c for _, c, _ in runs)
            passed = all(ok for _, _, ok in runs)
            rows.append((exercise_id, seconds, passed))
            print(f"{exercise_id:34s} {exercise.question:8s} {seconds:7.2f} {cpu:6.2f}  {passed}")
    slowest = max(rows, key=lambda row: row[1])
    over = [r[0] for r in rows if r[1] > TARGET_S]
    median = statistics.median(r[1] for r in rows)
    print(f"slowest: {slowest[0]} {slowest[1]:.2f} s; median {median:.2f} s")
    print(f"over {TARGET_S:g} s: {', '.join(over) or 'none'}")


if __name__ == "__main__":
    main()
