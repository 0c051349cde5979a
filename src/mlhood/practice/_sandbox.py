"""The sandbox: grade a learner's file in a child process with a time and memory limit.

The child (:mod:`mlhood.practice._child`) loads the file and runs the graders; it reports
every finished check on a private pipe, so a run cut short still shows what passed. Every
way a run can end becomes a verdict, never a hang or a traceback from mlhood:

- the time limit (default 10 s): the process group is killed; the check that was running
  fails with "did not finish within ...";
- the memory limit (``RLIMIT_AS``, default 2 GiB): a ``MemoryError`` fails that check, or
  the crash is reported;
- a crash (segmentation fault, abort), ``os._exit``, ``sys.exit``: reported with the
  signal or exit status and the last lines the process wrote;
- the learner's prints go to a file, never into the protocol; past 64 MiB a print raises
  ``OSError: File too large`` in the learner's code.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "f.py").write_text("def dropout_backward(dout, cache):\\n    return dout\\n")
>>> outcome = check_file("dropout_backward", folder / "f.py")
>>> outcome.report.passed, outcome.report.checks[0].message
(False, '`dropout_backward` uses your `dropout_forward`: define it in the same file')
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from mlhood.practice._report import Check, Report

DEFAULT_TIMEOUT = 10.0
DEFAULT_MEMORY = 2 * 1024**3
STARTUP_LIMIT = 120.0  # for mlhood's own imports in the child, before the learner's code
_OUTPUT_TAIL = 12
_OUTPUT_LIMIT = 64 * 1024**2  # bytes of output (prints) before the child is stopped


class UnknownExercise(ValueError):
    """The exercise id is not known; the message lists the valid ones."""


@dataclass(frozen=True)
class Outcome:
    """A graded run: the report, the question it belongs to, what the learner printed."""

    report: Report
    question: str | None
    mistake_message: str
    output: str


def _limits(memory_bytes: int):
    def apply() -> None:  # runs in the child between fork and exec
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (_OUTPUT_LIMIT, _OUTPUT_LIMIT))

    return apply


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # One BLAS thread: deterministic sums, and a thread pool's reserved memory stays small.
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[name] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _read_messages(fd: int, messages: list[dict], ready: threading.Event) -> None:
    """Collect the child's messages; ``ready`` is set once it has started (or has ended)."""
    try:
        with os.fdopen(fd, "rb") as pipe:
            for line in pipe:
                try:
                    message = json.loads(line)
                except ValueError:
                    continue  # the learner's code wrote to our descriptor: ignore it
                if isinstance(message, dict) and "event" in message:
                    messages.append(message)
                    if message["event"] == "ready":
                        ready.set()
    finally:
        ready.set()


def _tail(path: Path) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-_OUTPUT_TAIL:])


def _why(returncode: int | None, timed_out: bool, timeout: float, running: str) -> str:
    """Why the run stopped before its report, in the learner's terms."""
    if timed_out:
        return (
            f"stopped after {timeout:g} s while running {running}: an infinite loop, or a "
            "solution far slower than needed? (raise the limit with --timeout)"
        )
    if returncode is not None and returncode < 0:
        name = signal.Signals(-returncode).name
        why = {
            "SIGSEGV": "a segmentation fault",
            "SIGABRT": "an abort",
            "SIGKILL": "killed, probably out of memory",
            "SIGBUS": "a bus error",
        }.get(name, "a signal")
        return f"your code crashed the process ({why}, {name}) while running {running}"
    return (
        f"the process ended (exit status {returncode}) while running {running}: does your "
        "code call os._exit, or exit the interpreter some other way?"
    )


@dataclass(frozen=True)
class _Ending:
    """How the child process ended."""

    returncode: int | None
    timed_out: bool
    timeout: float
    output: str


def _unfinished(exercise_id: str, messages: list[dict], ending: _Ending) -> Report:
    """The checks that finished, then a failed one saying where and why the run stopped."""
    checks = [
        Check(m["name"], m["passed"], m["message"]) for m in messages if m["event"] == "check"
    ]
    started = [m["grader"] for m in messages if m["event"] == "start"]
    if len(started) > len(checks):
        name = started[len(checks)]
        running = f"the check {name!r}"
    elif checks:
        name = running = "the comparison with known mistakes"
    else:
        name, running = "load your file", "the loading of your file"
    message = _why(ending.returncode, ending.timed_out, ending.timeout, running)
    if ending.output:
        lines = "\n".join(f"    {line}" for line in ending.output.splitlines())
        message += f"\n  last lines it wrote:\n{lines}"
    return Report(exercise_id, (*checks, Check(name, False, message)))


def _report_from(
    exercise_id: str, messages: list[dict], ending: _Ending
) -> tuple[Report, str | None, str]:
    """``(report, question, mistake message)`` from the child's messages."""
    question = next((m["question"] for m in messages if m["event"] == "ready"), None)
    for m in messages:
        if m["event"] == "unknown":
            raise UnknownExercise(m["message"])
        if m["event"] == "load_error":
            return (
                Report(exercise_id, (Check("load your file", False, m["message"]),)),
                question,
                "",
            )
        if m["event"] == "report":
            checks = tuple(Check(c["name"], c["passed"], c["message"]) for c in m["checks"])
            return Report(exercise_id, checks, m["mistake"]), question, m["mistake_message"]
    return _unfinished(exercise_id, messages, ending), question, ""


def check_file(
    exercise_id: str,
    path: str | os.PathLike,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    memory_bytes: int = DEFAULT_MEMORY,
) -> Outcome:
    """Grade ``path`` for ``exercise_id`` in a child process; see the module docstring.

    Raises
    ------
    UnknownExercise
        When ``exercise_id`` is not an exercise (the message lists the valid ids).
    """
    if timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout}")
    path = Path(path).resolve()
    read_fd, write_fd = os.pipe()
    messages: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="mlhood-practice-") as scratch:
        output_path = Path(scratch) / "output.txt"
        with open(output_path, "wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "mlhood.practice._child", exercise_id, str(path)]
                + [str(write_fd)],
                stdin=subprocess.DEVNULL,
                stdout=output,
                stderr=subprocess.STDOUT,
                pass_fds=(write_fd,),
                cwd=scratch,
                env=_environment(),
                preexec_fn=_limits(memory_bytes),
                start_new_session=True,
            )
        os.close(write_fd)
        ready = threading.Event()
        reader = threading.Thread(
            target=_read_messages, args=(read_fd, messages, ready), daemon=True
        )
        reader.start()
        # The limit is for the learner's code: it starts once mlhood's imports are done.
        started = ready.wait(timeout=STARTUP_LIMIT)
        timed_out = False
        try:
            process.wait(timeout=timeout if started else 0.01)
        except subprocess.TimeoutExpired:
            timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        reader.join(timeout=5)
        ending = _Ending(process.returncode, timed_out, timeout, _tail(output_path))
    report, question, mistake_message = _report_from(exercise_id, messages, ending)
    return Outcome(report, question, mistake_message, ending.output)
