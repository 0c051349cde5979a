"""The ``mlhood`` command line: run the labs into a report, list them, print the version.

Exit status: 0 when every claim held, 1 when any claim failed, 2 on a usage error.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from mlhood import __version__
from mlhood.practice._commands import app as practice_app

app = typer.Typer(
    name="mlhood",
    help="mlhood: machine learning with the hood open. Run `mlhood labs` to prove fifteen "
    "interview answers with measured numbers.",
    add_completion=False,
)
app.add_typer(practice_app, name="practice")
console = Console()
err_console = Console(stderr=True)


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"mlhood {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version_callback, is_eager=True, help="Print the version."
        ),
    ] = False,
) -> None:
    """mlhood: machine learning with the hood open."""
    if ctx.invoked_subcommand is None:
        console.print(f"mlhood {__version__}")
        console.print(ctx.get_help())


@app.command("version")
def version_command() -> None:
    """Print the version."""
    console.print(f"mlhood {__version__}")


@app.command("list")
def list_command() -> None:
    """List the fifteen labs, one line each."""
    from mlhood.labs import LABS, TITLES

    for lab_id in LABS:
        console.print(f"{lab_id}  {TITLES[lab_id]}", highlight=False)


def _usage_error(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {message}", soft_wrap=True)
    raise typer.Exit(2)


def _check_writable(out: Path) -> None:
    """Fail early, before any lab runs, when ``out`` cannot be written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".mlhood-write-test"):
            pass
    except OSError as error:
        _usage_error(f"--out {str(out)!r} is not writable: {error.strerror or error}")
    if not os.access(out, os.W_OK):
        _usage_error(f"--out {str(out)!r} is not writable")


def _verdict_table(results) -> Table:
    table = Table(title="mlhood labs")
    for name, justify in (("lab", "left"), ("title", "left"), ("claims", "right"), ("s", "right")):
        table.add_column(name, justify=justify)
    for r in results:
        style = "green" if r.all_held else "bold red"
        table.add_row(r.id, r.title, f"[{style}]{r.n_held}/{len(r.claims)}[/]", f"{r.seconds:.1f}")
    return table


@app.command("labs")
def labs_command(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Lab ids to run (e.g. q03 q07); all if none.")
    ] = None,
    full: Annotated[bool, typer.Option("--full", help="Larger data, more repetitions.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; same seed, same numbers.")] = 0,
    out: Annotated[Path, typer.Option("--out", help="Folder for the report.")] = Path(
        "mlhood-report"
    ),
    as_json: Annotated[
        bool, typer.Option("--json", help="Print results as JSON instead of the table.")
    ] = False,
    mistake: Annotated[
        list[str] | None,
        typer.Option(
            "--mistake",
            help="Run with this catalogued mistake applied (repeatable); see `mlhood mistakes`.",
        ),
    ] = None,
    n_jobs: Annotated[
        int,
        typer.Option("--n-jobs", help="Labs run at once in separate processes; -1: one per core."),
    ] = -1,
) -> None:
    """Run the labs and write OUT/report.html and OUT/results.json."""
    from mlhood import mistakes as catalogue
    from mlhood.labs._runner import check_ids, run_labs
    from mlhood.report import results_payload, write_report

    try:
        lab_ids = check_ids(ids or [])
        applied = [catalogue.get(m).id for m in mistake or []]
    except ValueError as error:
        _usage_error(str(error))
    if n_jobs == 0 or n_jobs < -1:
        _usage_error(f"--n-jobs must be a positive number of processes or -1, got {n_jobs}")
    _check_writable(out)

    quick = not full
    shown = err_console if as_json else console
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=shown, transient=True) as progress:
        task = progress.add_task("labs", total=len(lab_ids))
        results = run_labs(
            lab_ids,
            quick=quick,
            seed=seed,
            mistakes=applied,
            n_jobs=n_jobs,
            on_start=lambda i: progress.update(task, description=f"running {i}"),
            on_done=lambda r: progress.advance(task),
        )
    html_path, json_path = write_report(results, out, seed=seed, quick=quick, mistakes=applied)
    if as_json:
        print(
            json.dumps(
                results_payload(results, seed=seed, quick=quick, mistakes=applied), indent=1
            )
        )
    else:
        if applied:
            console.print(
                f"[bold black on yellow] WHAT-IF RUN [/] mistakes applied: {', '.join(applied)}"
                " - red claims show what they break."
            )
        console.print(_verdict_table(results))
        held = sum(r.n_held for r in results)
        total = sum(len(r.claims) for r in results)
        console.print(f"{held}/{total} claims held · report: {html_path} · numbers: {json_path}")
    raise typer.Exit(0 if all(r.all_held for r in results) else 1)


@app.command("sweep")
def sweep_command(
    ids: Annotated[
        list[str] | None, typer.Argument(help="Lab ids to sweep (e.g. q03 q07); all if none.")
    ] = None,
    seeds: Annotated[
        str, typer.Option("--seeds", help="Seeds to run, e.g. 0-199 or 0,3,7.")
    ] = "0-19",
    full: Annotated[
        bool, typer.Option("--full", help="Sweep full mode instead of quick.")
    ] = False,
    n_jobs: Annotated[
        int, typer.Option("--n-jobs", help="Local processes (joblib); -1: one per core.")
    ] = -1,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="Dask scheduler address (tcp://host:8786): run there."),
    ] = None,
    mistake: Annotated[
        list[str] | None,
        typer.Option("--mistake", help="Sweep with this catalogued mistake applied (repeatable)."),
    ] = None,
    out: Annotated[
        Path, typer.Option("--out", help="Folder for sweep.html and sweep.json.")
    ] = Path("mlhood-sweep"),
) -> None:
    """Run labs over many seeds: per claim, the hold rate, worst margin and failed seeds."""
    from mlhood import mistakes as catalogue
    from mlhood.labs._runner import check_ids
    from mlhood.labs._sweep import parse_seeds, sweep
    from mlhood.report import write_sweep

    try:
        lab_ids = check_ids(ids or [])
        seed_list = parse_seeds(seeds)
        applied = [catalogue.get(m).id for m in mistake or []]
    except ValueError as error:
        _usage_error(str(error))
    if n_jobs == 0 or n_jobs < -1:
        _usage_error(f"--n-jobs must be a positive number of processes or -1, got {n_jobs}")
    _check_writable(out)
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
    )
    where = f"Dask scheduler {scheduler}" if scheduler else f"{n_jobs} local processes"
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task(f"sweep on {where}", total=len(lab_ids) * len(seed_list))
        summary = sweep(
            lab_ids,
            seed_list,
            quick=not full,
            mistakes=applied,
            n_jobs=n_jobs,
            scheduler=scheduler,
            on_done=lambda run: progress.advance(task),
        )
    html_path, json_path = write_sweep(summary, out)
    table = Table(title=f"mlhood sweep · {len(seed_list)} seeds")
    for name, justify in (
        ("lab", "left"),
        ("claim", "right"),
        ("held", "right"),
        ("worst margin", "right"),
        ("failed seeds", "left"),
    ):
        table.add_column(name, justify=justify)
    every = True
    for lab in summary["labs"]:
        for c in lab["claims"]:
            ok = c["hold_rate"] == 1
            every &= ok
            margin = "—" if c["worst_margin"] is None else f"{c['worst_margin']:.3g}"
            failed = ", ".join(map(str, c["failed_seeds"][:10]))
            style = "green" if ok else "bold red"
            table.add_row(
                lab["id"],
                str(c["index"] + 1),
                f"[{style}]{c['held']}/{c['runs']}[/]",
                margin,
                failed,
            )
        every &= not lab["crashes"]
    console.print(table)
    console.print(
        f"{len(summary['workers'])} worker processes · {summary['seconds']:.0f} s · "
        f"summary: {html_path} · numbers: {json_path}"
    )
    raise typer.Exit(0 if every else 1)


@app.command("mistakes")
def mistakes_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print the catalogue as JSON.")] = False,
) -> None:
    """List the catalogue of implementation mistakes that the labs catch."""
    from mlhood.mistakes import catalogue

    known = catalogue().values()
    if as_json:
        print(json.dumps([m.to_dict() for m in known], indent=1))
        return
    table = Table(title=f"{len(known)} mistakes (apply one: mlhood labs --mistake ID)")
    for name in ("id", "title", "changes", "labs"):
        table.add_column(name, overflow="fold")
    for m in known:
        table.add_row(m.id, m.title, m.changes, " ".join(m.labs))
    console.print(table)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to bind (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8765,
    open_browser: Annotated[
        bool, typer.Option("--open", help="Open the explorer in the default browser.")
    ] = False,
) -> None:
    """Start the explorer: every lab as a page you can move, computed live (Ctrl-C stops)."""
    from mlhood.explorer import serve

    serve(host=host, port=port, open_browser=open_browser)


def main() -> None:
    """Entry point of the ``mlhood`` console script."""
    app()
