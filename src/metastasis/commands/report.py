"""``metastasis report``: one case file in, one evidence-cited report out (terminal, Markdown, HTML or JSON).

* ``metastasis report case.yaml`` prints the clinician report in the terminal.
* ``metastasis report case.json --audience patient --format html -o report.html`` writes a standalone HTML file.
* ``metastasis report case.yaml --trials studies.jsonl`` adds a "Clinical trials" section: the studies matched
  criterion by criterion.
* ``metastasis report --example hypercalcaemia`` reports on a bundled example case (``metastasis example --list``);
  with neither a file nor ``--example`` the default example is used.

A case file that cannot be read or has errors prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from metastasis.commands._common import (
    check_output,
    err,
    out,
    print_disclaimer,
    print_json,
    reports_input_errors,
    write_output,
)
from metastasis.domain import Case, load_case
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case

if TYPE_CHECKING:
    from metastasis.trials import Study

DEFAULT_EXAMPLE = "de-novo-bone-only"
AUDIENCES = ("clinician", "patient")
FORMATS = ("terminal", "markdown", "html", "json")
_SUFFIX_FORMAT = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown", ".json": "json"}
_SUFFIX_FORMAT[".txt"] = "terminal"


def _choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInputError(field, value, allowed)
    return value


def resolve_format(fmt: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's suffix names, else the terminal."""
    if fmt is not None:
        return _choice("format", fmt, FORMATS)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix not in _SUFFIX_FORMAT:
            raise InvalidInputError(
                "output", str(output), [f"a file ending {s}" for s in _SUFFIX_FORMAT], "or give --format"
            )
        return _SUFFIX_FORMAT[suffix]
    return "terminal"


def emit(
    case: Case, *, audience: str, fmt: str | None, output: Path | None, trials: Sequence[Study] | None = None
) -> None:
    """Assess ``case`` and print or write the report in the chosen format for the chosen audience (with a
    "Clinical trials" section when ``trials`` are given)."""
    from metastasis.assess.case import assess_case
    from metastasis.report.render import render, report_json
    from metastasis.report.terminal import print_report

    audience = _choice("audience", audience, AUDIENCES)
    chosen = resolve_format(fmt, output)
    if output is not None:
        check_output(output)  # before the work, not after it
    report = assess_case(case, trials=trials)
    if output is not None:
        text = render(report, audience=audience, fmt=chosen)  # type: ignore[arg-type]
        write_output(output, text)  # whole or not at all
        out.print(f"Wrote the {audience} report ({chosen}) to {output}", markup=False)
        print_disclaimer()
        return
    if chosen == "json":
        print_json(report_json(report, audience=audience))  # type: ignore[arg-type]
    elif chosen == "terminal":
        print_report(report, audience=audience, console=out)  # type: ignore[arg-type]
        print_disclaimer()
    else:  # Markdown and HTML end with the disclaimer themselves
        typer.echo(render(report, audience=audience, fmt=chosen), nl=False)  # type: ignore[arg-type]


@reports_input_errors
def report(
    case_file: Path | None = typer.Argument(None, help="Case file (.json, .yaml or .yml); see `metastasis schema`."),
    example: str | None = typer.Option(
        None, "--example", help=f"Use a bundled example case instead (default {DEFAULT_EXAMPLE})."
    ),
    audience: str = typer.Option("clinician", "--audience", "-a", help="clinician or patient."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="terminal, markdown, html or json (default: from -o's suffix, else terminal)."
    ),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    trials: Path | None = typer.Option(
        None,
        "--trials",
        help="ClinicalTrials.gov records (JSON Lines, an API page or one study): add a clinical-trials section.",
    ),
) -> None:
    """Assess one case and report it: staging, pattern, red flags, scores, calcium, prognosis, spread, options,
    alerts and what to do now, every statement with its sources."""
    if case_file is not None and example is not None:
        raise InvalidInputError("example", example, "either a case file or --example, not both")
    if case_file is not None:
        case = load_case(case_file)
    else:
        if example is None:
            err.print(f"No case file given: reporting on the bundled example {DEFAULT_EXAMPLE}.", markup=False)
        case = load_example_case(example or DEFAULT_EXAMPLE)
    studies = None
    if trials is not None:
        from metastasis.trials import read_studies

        studies = read_studies(trials)
    emit(case, audience=audience, fmt=fmt, output=output, trials=studies)


def register(app: typer.Typer) -> None:
    """Add this module's commands to the CLI."""
    app.command("report")(report)
