"""The ``mlhood`` command line."""

from __future__ import annotations

import typer
from rich.console import Console

from mlhood import __version__

app = typer.Typer(
    name="mlhood",
    help="mlhood: machine learning with the hood open.",
    no_args_is_help=False,
    add_completion=False,
)
console = Console()


def _version_callback(value: bool) -> None:
    if value:
        console.print(f"mlhood {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version."
    ),
) -> None:
    """mlhood: machine learning with the hood open."""
    if ctx.invoked_subcommand is None:
        console.print(f"mlhood {__version__}")
        console.print(ctx.get_help())


@app.command("version")
def version_command() -> None:
    """Print the version."""
    console.print(f"mlhood {__version__}")


def main() -> None:
    """Entry point of the ``mlhood`` console script."""
    app()
