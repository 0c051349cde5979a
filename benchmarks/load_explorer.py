"""Load test of ``mlhood serve`` on loopback: concurrent clients moving controls.

``--clients`` threads (20) each pick a random page and move one control to a random value
(a request), pause ``--think`` seconds as a user would, and repeat for ``--seconds`` (60).
Prints requests, p50/p95 latency, errors (anything but 200: must be 0) and the resident
memory of the server and its workers before, every ``--every`` seconds, and after: memory
must level off (bounded caches), not grow with the number of requests. Bounded in count
and time; not a test.

    .venv/bin/python benchmarks/load_explorer.py [--clients 20] [--seconds 60]
"""

from __future__ import annotations

import argparse
import random
import threading
import time

from _explorer_server import (
    controls,
    defaults,
    live_server,
    move,
    percentile,
    random_value,
    rss_mb,
)


def client(url, pages, seed, until, think, results, lock) -> None:
    rng = random.Random(seed)
    while time.monotonic() < until:
        lab_id = rng.choice(list(pages))
        schema = pages[lab_id]
        name = rng.choice(list(schema))
        query = {**defaults(schema), name: random_value(schema[name], rng)}
        seconds, status = move(url, lab_id, query)
        with lock:
            results.append((lab_id, seconds, status))
        time.sleep(think)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=0.5, help="pause between moves (s)")
    parser.add_argument("--every", type=float, default=15.0, help="memory sample period (s)")
    args = parser.parse_args()
    with live_server() as (url, server):
        pages = controls(url)
        for lab_id, schema in pages.items():  # every page's first view, as after a visit
            move(url, lab_id, defaults(schema))
        before = rss_mb(server)
        results, lock = [], threading.Lock()
        until = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(url, pages, i, until, args.think, results, lock))
            for i in range(args.clients)
        ]
        for thread in threads:
            thread.start()
        samples = []
        while any(t.is_alive() for t in threads):
            time.sleep(min(args.every, max(until - time.monotonic(), 0.5)))
            samples.append((len(results), rss_mb(server)))
        for thread in threads:
            thread.join()
        after = rss_mb(server)
    times = [s * 1000 for _, s, _ in results]
    errors = sum(status != 200 for _, _, status in results)
    print(f"{args.clients} clients, {args.seconds:.0f} s, think {args.think} s")
    print(f"requests {len(results)}  ({len(results) / args.seconds:.1f}/s)")
    print(
        f"latency p50 {percentile(times, 50):.0f} ms  p95 {percentile(times, 95):.0f} ms  "
        f"max {max(times):.0f} ms"
    )
    print(f"errors {errors}")
    print(f"memory (server + workers) before {before:.0f} MB, after {after:.0f} MB")
    print("memory by requests served: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in samples))


if __name__ == "__main__":
    main()
