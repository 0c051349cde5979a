"""``mlhood practice``: start an exercise, check it, ask for hints, reveal, see progress.

Exit status: 0 on success (``check``: the solution passed), 1 when a check fails or a
request is refused (``reveal`` before a pass), 2 on a usage error (unknown id, missing
file, a starter that would be overwritten).
"""

from __future__ import annotations

import inspect
import json
import sqlite3
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from mlhood.practice._sandbox import DEFAULT_TIMEOUT, UnknownExercise, check_file
from mlhood.practice._store import Progress, home

app = typer.Typer(
    name="practice",
    help="Write the techniques yourself: hidden property-based graders name your mistake.",
    add_completion=False,
    no_args_is_help=True,
)
console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)
DEFAULT_DIR = Path("mlhood-practice")

IdArgument = Annotated[str, typer.Argument(help="Exercise id, e.g. dropout_backward.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _usage_error(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(2)


def _progress() -> Progress:
    """The learner's progress store; a usage error when its folder cannot be used."""
    try:
        return Progress()
    except (OSError, sqlite3.Error) as error:
        _usage_error(
            f"cannot keep progress in {home()}: {error}; set MLHOOD_HOME to a writable folder"
        )


def _exercise(exercise_id: str):
    from mlhood.practice import exercises

    try:
        return exercises.get(exercise_id)
    except ValueError as error:
        _usage_error(str(error))


@app.command("list")
def list_command(as_json: JsonOption = False) -> None:
    """List the exercises by question, with your status (new, attempted, passed)."""
    from mlhood.practice.exercises import all_exercises

    statuses = _progress().statuses()
    rows = [
        {"id": e.id, "question": e.question, "title": e.title, "status": statuses.get(e.id, "new")}
        for e in all_exercises().values()
    ]
    if as_json:
        print(json.dumps(rows, indent=1))
        return
    table = Table(title=f"{len(rows)} exercises (start one: mlhood practice start ID)")
    for name in ("question", "id", "title", "status"):
        table.add_column(name)
    style = {"new": "dim", "attempted": "yellow", "passed": "green"}
    for r in rows:
        status = f"[{style[r['status']]}]{r['status']}[/]"
        table.add_row(r["question"], r["id"], r["title"], status)
    console.print(table)


def starter_text(exercise) -> str:
    """The file ``start`` writes: a header, then the stub of each function to write."""
    from mlhood.practice import exercises

    stubs = [exercises.get(name).stub() for name in exercise.requires] + [exercise.stub()]
    header = (
        f'"""mlhood practice - {exercise.id} ({exercise.question}): {exercise.title}.\n\n'
        f"Write the function(s) below, then run:  mlhood practice check {exercise.id}\n"
        f"Stuck? mlhood practice hint {exercise.id}\n"
        '"""\n\nimport numpy as np\n'
    )
    return header + "".join(f"\n\n{stub}" for stub in stubs)


@app.command("start")
def start_command(
    exercise_id: IdArgument,
    folder: Annotated[Path, typer.Option("--dir", help="Folder for the file.")] = DEFAULT_DIR,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write DIR/ID.py: the signature, the task as docstring, a body to replace."""
    exercise = _exercise(exercise_id)
    path = folder / f"{exercise.id}.py"
    if path.exists() and not force:
        _usage_error(f"{path} exists; keep your work, or overwrite it with --force")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(starter_text(exercise))
    except OSError as error:
        _usage_error(f"cannot write {path}: {error.strerror or error}")
    console.print(f"wrote {path}\nnext: edit it, then  mlhood practice check {exercise.id}")


def _print_report(outcome) -> None:
    report = outcome.report
    console.print(f"[bold]{report.id}[/]" + (f" ({outcome.question})" if outcome.question else ""))
    for check in report.checks:
        mark = "[green]PASS[/]" if check.passed else "[bold red]FAIL[/]"
        console.print(f"  {mark} {check.name}", markup=True)
        if not check.passed:
            indented = "\n".join(f"       {line}" for line in check.message.splitlines())
            console.print(indented, markup=False, soft_wrap=True)
    if report.mistake:
        console.print(f"\n[bold yellow]Mistake:[/] {outcome.mistake_message}", soft_wrap=True)
    shown = any("last lines it wrote" in c.message for c in report.checks)
    if outcome.output and not report.passed and not shown:
        console.print("\n[dim]your code printed (last lines):[/]")
        console.print(outcome.output, markup=False, soft_wrap=True)
    n_passed = sum(c.passed for c in report.checks)
    if report.passed:
        console.print(
            f"\n[bold green]passed[/] all {len(report.checks)} checks. "
            f"See mlhood's version: mlhood practice reveal {report.id}"
        )
    else:
        console.print(
            f"\n[bold red]failed[/]: {n_passed} of {len(report.checks)} checks passed. "
            f"A hint: mlhood practice hint {report.id}"
        )


@app.command("check")
def check_command(
    exercise_id: IdArgument,
    file: Annotated[
        Path | None, typer.Option("--file", help="Your solution (default: mlhood-practice/ID.py).")
    ] = None,
    as_json: JsonOption = False,
    timeout: Annotated[
        float, typer.Option("--timeout", help="Seconds before the run is stopped.")
    ] = DEFAULT_TIMEOUT,
) -> None:
    """Grade your solution in a sandboxed process; name the mistake if it is a known one."""
    path = file if file is not None else DEFAULT_DIR / f"{exercise_id}.py"
    if timeout <= 0:
        _usage_error(f"--timeout must be a positive number of seconds, got {timeout}")
    if not path.is_file():
        _exercise(exercise_id)  # an unknown id is the first thing to say
        _usage_error(f"no file {path}; write one with: mlhood practice start {exercise_id}")
    try:
        outcome = check_file(exercise_id, path, timeout=timeout)
    except UnknownExercise as error:
        _usage_error(str(error))
    if outcome.question is not None:
        _progress().record_check(
            exercise_id,
            outcome.question,
            passed=outcome.report.passed,
            mistake=outcome.report.mistake,
        )
    if as_json:
        print(json.dumps(outcome.report.to_dict(), indent=1))
    else:
        _print_report(outcome)
    raise typer.Exit(0 if outcome.report.passed else 1)


@app.command("hint")
def hint_command(exercise_id: IdArgument) -> None:
    """Show the next hint (each one gives more away)."""
    exercise = _exercise(exercise_id)
    n = _progress().next_hint(exercise.id, len(exercise.hints))
    console.print(f"hint {n}/{len(exercise.hints)}: {exercise.hints[n - 1]}", soft_wrap=True)
    if n == len(exercise.hints):
        console.print(
            f"(that was the last one; mlhood practice reveal {exercise.id} --force "
            "shows mlhood's own version)"
        )


@app.command("reveal")
def reveal_command(
    exercise_id: IdArgument,
    force: Annotated[bool, typer.Option("--force", help="Reveal before passing.")] = False,
) -> None:
    """Print mlhood's own implementation, with the maths (after a pass, or with --force)."""
    exercise = _exercise(exercise_id)
    if not force and _progress().status(exercise.id) != "passed":
        err_console.print(
            f"pass `mlhood practice check {exercise.id}` first, or use --force to see it now"
        )
        raise typer.Exit(1)
    from rich.syntax import Syntax

    for function in (exercise.reference, *exercise.reveal):
        source = inspect.getsource(function)
        where = f"{function.__module__}.{function.__qualname__}"
        console.print(f"[bold]{where}[/]")
        console.print(Syntax(source, "python", theme="ansi_dark", line_numbers=False))


@app.command("progress")
def progress_command(as_json: JsonOption = False) -> None:
    """Per question: exercises passed, attempts, hints used."""
    from mlhood.practice.exercises import all_exercises

    store = _progress()
    statuses, attempts, hints = store.statuses(), store.attempts(), store.hints_used()
    rows: dict[str, dict] = {}
    for e in all_exercises().values():
        row = rows.setdefault(
            e.question,
            {"question": e.question, "exercises": 0, "passed": 0, "attempts": 0, "hints": 0},
        )
        row["exercises"] += 1
        row["passed"] += statuses.get(e.id) == "passed"
        row["attempts"] += attempts.get(e.id, 0)
        row["hints"] += hints.get(e.id, 0)
    if as_json:
        print(json.dumps(list(rows.values()), indent=1))
        return
    table = Table(title=f"practice progress ({store.path})")
    for name in ("question", "passed", "attempts", "hints"):
        table.add_column(name, justify="left" if name == "question" else "right")
    for r in rows.values():
        table.add_row(
            r["question"], f"{r['passed']}/{r['exercises']}", str(r["attempts"]), str(r["hints"])
        )
    console.print(table)
