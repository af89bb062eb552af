"""``metastasis schema``: publish the case JSON Schema, check a case file, show a bundled example case.

* ``metastasis schema`` prints the JSON Schema (``-o FILE`` writes it) so that other tools can produce cases.
* ``metastasis schema --check case.json`` lists every problem of a case file with its JSON path; the exit
  status is 0 when the case has no error (warnings allowed) and 2 when it has one.
* ``metastasis schema --example NAME`` prints a bundled example case (YAML, or JSON with ``--json``).
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from metastasis.commands._common import out, print_disclaimer, print_json, reports_input_errors, write_output
from metastasis.domain import CASE_SCHEMA_VERSION, CaseValidation, case_json_schema, read_case_data, validate_case
from metastasis.examples.cases import example_case_names, load_example_case

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow"}
_ALLOWED_WIDTH = 200


def _shorten(text: str) -> str:
    """Long vocabularies are cut (the schema lists them in full)."""
    if len(text) <= _ALLOWED_WIDTH:
        return text
    return text[:_ALLOWED_WIDTH].rsplit(", ", 1)[0] + ", ... (see `metastasis schema`)"


def render_validation(name: str, report: CaseValidation) -> None:
    """Print a validation report: a verdict line, a table of problems, and caveats."""
    if report.ok:
        verdict = "[green]valid[/green]"
        if report.warnings:
            verdict += f" with {len(report.warnings)} warning{'s' * (len(report.warnings) != 1)}"
    else:
        verdict = f"[bold red]invalid[/bold red]: {report.summary(limit=0).split(':')[0]}"
    out.print(f"{name}: {verdict} (case schema {CASE_SCHEMA_VERSION})", highlight=False)
    for problem in report.errors + report.warnings:
        style = _SEVERITY_STYLE[problem.severity.value]
        out.print(f"  [{style}]{problem.severity.value:<7}[/{style}] ", end="")
        allowed = f"; allowed: {_shorten(problem.allowed)}" if problem.allowed else ""
        out.print(f"{problem.path}: {problem.message}{allowed}", markup=False, highlight=False)
    if report.caveats:
        out.print("\n[bold]Caveats[/bold]")
        for caveat in report.caveats:
            out.print(f"  - {caveat}", markup=False)


@reports_input_errors
def schema(
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the JSON Schema to this file."),
    check: Path | None = typer.Option(None, "--check", help="Check a case file (.json, .yaml, .yml) instead."),
    example: str | None = typer.Option(None, "--example", help="Print a bundled example case ('list' lists them)."),
    as_json: bool = typer.Option(False, "--json", help="With --check or --example: print JSON."),
) -> None:
    """Print the JSON Schema of a case, check a case file against it, or print a bundled example case."""
    if check is not None:
        report = validate_case(read_case_data(check))
        if as_json:
            print_json(
                {
                    "file": str(check),
                    "schema_version": CASE_SCHEMA_VERSION,
                    "valid": report.ok,
                    "problems": [p.model_dump(mode="json") for p in report.problems],
                    "caveats": list(report.caveats),
                }
            )
        else:
            render_validation(str(check), report)
            print_disclaimer()
        if not report.ok:
            raise typer.Exit(code=2)
        return
    if example is not None:
        if example == "list":
            for name in example_case_names():
                out.print(f"{name}: {load_example_case(name).title}", markup=False, highlight=False)
            return
        case = load_example_case(example)
        typer.echo(case.to_json() if as_json else case.to_yaml(), nl=False)
        return
    text = json.dumps(case_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if output is None:
        typer.echo(text, nl=False)  # the schema's $comment carries the disclaimer; stdout stays valid JSON
        return
    write_output(output, text)
    out.print(f"Wrote the case JSON Schema {CASE_SCHEMA_VERSION} to {output}", markup=False, highlight=False)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("schema")(schema)
