"""``metastasis example``: the whole-case report of a bundled example case."""

from __future__ import annotations

from pathlib import Path

import typer

from metastasis.commands._common import out, reports_input_errors
from metastasis.commands.report import DEFAULT_EXAMPLE, emit
from metastasis.examples.cases import example_case_names, load_example_case


@reports_input_errors
def example(
    name: str = typer.Argument(DEFAULT_EXAMPLE, help="Which bundled example case to report on."),
    list_: bool = typer.Option(False, "--list", help="List the bundled example cases."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON (same as --format json)."),
    audience: str = typer.Option("clinician", "--audience", "-a", help="clinician or patient."),
    fmt: str | None = typer.Option(None, "--format", "-f", help="terminal, markdown, html or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
) -> None:
    """Report on a bundled example case (`metastasis report --example NAME` does the same)."""
    if list_:
        for item in example_case_names():
            out.print(f"{item}: {load_example_case(item).title}", markup=False)
        return
    case = load_example_case(name)
    emit(case, audience=audience, fmt="json" if as_json else fmt, output=output)


def register(app: typer.Typer) -> None:
    app.command("example")(example)
