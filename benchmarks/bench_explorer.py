"""Latency of one control change on each explorer page (``mlhood serve``), p50 and p95.

Starting from a page's defaults, each round moves one control (chosen in turn) to a new
value a user could pick, never asked before (so the cache cannot answer), and times the
request; one client, so this is the latency a single user sees. Target: p95 <= 300 ms.

    .venv/bin/python benchmarks/bench_explorer.py [--moves 30] [--seed 0]
"""

from __future__ import annotations

import argparse
import os
import platform
import random

from _explorer_server import controls, defaults, live_server, move, percentile, random_value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=30, help="control changes per page")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with live_server() as (url, _):
        pages = controls(url)
        print(f"{platform.node()}: {os.cpu_count()} cores, {args.moves} control changes per page")
        print(f"{'page':5} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  errors")
        for lab_id, schema in pages.items():
            base = defaults(schema)
            move(url, lab_id, base)  # the first view (a page load), not a control change
            movable = [
                n for n, s in schema.items() if len(s.get("enum", [0, 1])) > 1 and "const" not in s
            ]
            seen, times, errors = {tuple(base.items())}, [], 0
            for i in range(args.moves):
                name = movable[i % len(movable)]
                for _ in range(50):
                    query = {**base, name: random_value(schema[name], rng)}
                    if tuple(query.items()) not in seen:
                        break
                seen.add(tuple(query.items()))
                seconds, status = move(url, lab_id, query)
                times.append(seconds * 1000)
                errors += status != 200
            print(
                f"{lab_id:5} {percentile(times, 50):8.0f} {percentile(times, 95):8.0f} "
                f"{max(times):8.0f}  {errors}"
            )


if __name__ == "__main__":
    main()
