"""The child side of the sandbox: load the learner's file, grade it, report on a private pipe.

Run as ``python -m mlhood.practice._child EXERCISE_ID PATH FD``. Every message is one JSON
line written to file descriptor ``FD`` (never stdout, which belongs to the learner's
prints)::

    {"event": "ready", "id", "question"}                      imports done: the clock starts
    {"event": "start", "id", "question", "grader": name}      before each grader
    {"event": "check", "name", "passed", "message"}           after each grader
    {"event": "unknown", "message"}                           no such exercise
    {"event": "load_error", "message"}                        the file cannot be used
    {"event": "report", "id", "passed", "checks", "mistake", "mistake_message"}

The child exits with :func:`os._exit` after the report, so no handler the learner
registered (``atexit``, ``__del__``) runs after grading.
"""

from __future__ import annotations

import json
import os
import runpy
import sys
import traceback
from pathlib import Path


class _Channel:
    """JSON lines on a file descriptor the learner's code does not know about."""

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def send(self, **message) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            data = data[os.write(self._fd, data) :]


def _learner_traceback(error: BaseException, path: str) -> str:
    """The error and the frames of the learner's own file (not mlhood's, not runpy's)."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == path]
    lines = [f"  line {f.lineno}: {f.line}" for f in frames[-3:]]
    if isinstance(error, SyntaxError) and error.filename == path:
        lines.append(f"  line {error.lineno}: {(error.text or '').strip()}")
    return "\n".join([f"{type(error).__name__}: {error}", *lines])


def _load(path: str) -> dict:
    """Run the learner's file as a module named ``solution`` and return its namespace."""
    sys.path.insert(0, str(Path(path).parent))
    return runpy.run_path(path, run_name="solution")


def main(exercise_id: str, path: str, fd: int) -> None:
    channel = _Channel(fd)
    from mlhood.practice import exercises
    from mlhood.practice._exercise import Solution, grade

    try:
        exercise = exercises.get(exercise_id)
    except ValueError as error:
        channel.send(event="unknown", message=str(error))
        return
    channel.send(event="ready", id=exercise.id, question=exercise.question)
    try:
        namespace = _load(path)
    except SystemExit as error:
        channel.send(
            event="load_error",
            message=f"your file called sys.exit({error.code!r}) while it was being loaded",
        )
        return
    except BaseException as error:  # the learner's file: anything may go wrong
        channel.send(
            event="load_error",
            message="your file could not be loaded:\n" + _learner_traceback(error, path),
        )
        return
    graded = namespace.get(exercise.id)
    if not callable(graded):
        channel.send(
            event="load_error",
            message=f"your file does not define a function `{exercise.id}`",
        )
        return
    missing = [name for name in exercise.requires if not callable(namespace.get(name))]
    if missing:
        channel.send(
            event="load_error",
            message=f"`{exercise.id}` uses your `{missing[0]}`: define it in the same file",
        )
        return

    graders = iter(exercise.graders)

    def announce_next() -> None:
        grader = next(graders, None)
        if grader is not None:
            channel.send(
                event="start", id=exercise.id, question=exercise.question, grader=grader.name
            )

    def on_check(check) -> None:
        channel.send(event="check", **check.to_dict())
        announce_next()

    announce_next()
    report = grade(exercise, Solution(graded, namespace), on_check=on_check)
    channel.send(event="report", mistake_message=report.mistake_message, **report.to_dict())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
    sys.stdout.flush()
    os._exit(0)
