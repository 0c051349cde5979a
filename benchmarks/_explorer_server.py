"""A live ``mlhood serve`` for the explorer benchmarks, and random control moves.

Shared by ``bench_explorer.py`` (latency of one control change per page) and
``load_explorer.py`` (many clients at once). The server runs in its own process on a
free loopback port, exactly as a user starts it; memory is the resident set of the server
and its worker processes, read with psutil.
"""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager

import psutil


@contextmanager
def live_server():
    """Start ``mlhood serve`` on a free port; yield ``(url, process)``; stop it with SIGINT."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "mlhood", "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(url + "/healthz", timeout=2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield url, server
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)


def rss_mb(server: subprocess.Popen) -> float:
    """Resident memory of the server and all its worker processes, in MB."""
    root = psutil.Process(server.pid)
    procs = [root, *root.children(recursive=True)]
    return sum(p.memory_info().rss for p in procs if p.is_running()) / 2**20


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def controls(url: str) -> dict[str, dict]:
    """``{lab_id: {name: json schema}}`` of every page's query, read from /openapi.json."""
    spec = get_json(url + "/openapi.json")
    found = {}
    for path, item in spec["paths"].items():
        parts = path.strip("/").split("/")
        if parts[:2] == ["api", "labs"] and len(parts) == 3:
            found[parts[2]] = {p["name"]: p["schema"] for p in item["get"]["parameters"]}
    return found


def defaults(schema: dict[str, dict]) -> dict[str, str]:
    return {name: _text(s.get("default", "")) for name, s in schema.items()}


def _text(value) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def random_value(schema: dict, rng: random.Random) -> str:
    """A value a user could pick with this control (slider steps, options, true/false)."""
    if "enum" in schema or "const" in schema:
        return _text(rng.choice(schema.get("enum", [schema.get("const")])))
    if schema.get("type") == "boolean":
        return rng.choice(["true", "false"])
    low, high = schema["minimum"], schema["maximum"]
    step = schema.get("step", 1)
    steps = round((high - low) / step)
    value = low + step * rng.randint(0, steps)
    return str(int(value)) if schema.get("type") == "integer" else f"{value:.10g}"


def move(url: str, lab_id: str, query: dict[str, str]) -> tuple[float, int]:
    """One control change: GET the page's API; ``(seconds, HTTP status)``."""
    start = time.perf_counter()
    target = f"{url}/api/labs/{lab_id}?{urllib.parse.urlencode(query)}"
    try:
        with urllib.request.urlopen(target, timeout=120) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return time.perf_counter() - start, status


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]
