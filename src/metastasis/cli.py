"""Command-line entry point: ``metastasis <command>``, one sub-command per capability.

Every command prints a readable result by default and JSON with ``--json``; bad input prints one line on
stderr and exits with status 2. Outputs are decision support and education, not a medical device.
"""

from __future__ import annotations

import typer

from metastasis import DISCLAIMER, __version__
from metastasis.commands import bone, example, knowledge, predict, report, schema, score, serve, spread, stage

app = typer.Typer(
    name="metastasis",
    help=f"Metastatic breast cancer and bone metastasis: staging, scores and education.\n\n{DISCLAIMER}",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for _module in (stage, score, knowledge, predict, spread, bone, schema, report, example, serve):
    _module.register(app)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"metastasis {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """Metastatic breast cancer and bone metastasis toolkit."""


def main() -> None:
    """Console-script entry point."""
    app()
