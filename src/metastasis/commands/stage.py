"""``metastasis stage``: breast TNM staging on the command line."""

from __future__ import annotations

import typer
from rich.table import Table

from metastasis.commands._common import out, print_disclaimer, print_evidence, print_json, reports_input_errors
from metastasis.staging import StageResult, stage_breast


def render_stage(result: StageResult) -> None:
    """Print a staging result for a clinician: the groups, then reasons, caveats and sources."""
    table = Table(show_header=False, box=None, padding=(0, 2))
    table.add_row("TNM", f"{result.t} {result.n} {result.m}")
    table.add_row("System / basis", f"{result.system.upper()} / {result.basis}")
    table.add_row("Anatomic stage", result.anatomic_stage or "no stage group")
    prognostic = result.prognostic_stage or "no stage group"
    if result.prognostic_table:
        prognostic += f" ({result.prognostic_table} prognostic table)"
    table.add_row("Prognostic stage", prognostic)
    out.print(table)
    print_evidence(result)


@reports_input_errors
def stage(
    t: str = typer.Argument(..., help="T category, e.g. pT2, cT1c, Tis(DCIS), TX."),
    n: str = typer.Argument(..., help="N category, e.g. pN1a, cN1mi, pN0(i+), NX."),
    m: str = typer.Argument(..., help="M category: cM0, cM0(i+), cM1 or pM1."),
    grade: str | None = typer.Option(None, "--grade", help="Histologic grade: 1-3 or G1-G3."),
    er: str | None = typer.Option(None, "--er", help="ER: + / - / positive / negative / unknown."),
    pr: str | None = typer.Option(None, "--pr", help="PR: + / - / positive / negative / unknown."),
    her2: str | None = typer.Option(None, "--her2", help="HER2: + / - / equivocal / unknown."),
    oncotype_rs: float | None = typer.Option(None, "--oncotype-rs", help="Oncotype DX recurrence score 0-100."),
    system: str = typer.Option("ajcc8", "--system", help="ajcc8 or uicc8."),
    basis: str | None = typer.Option(None, "--basis", help="clinical or pathological (default: from prefixes)."),
    as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    explain: bool = typer.Option(False, "--explain", help="Print the plain-language explanation for patients."),
) -> None:
    """Stage a breast cancer by TNM (AJCC 8th anatomic and prognostic, or UICC 8th)."""
    result = stage_breast(
        t, n, m, grade=grade, er=er, pr=pr, her2=her2, oncotype_rs=oncotype_rs, system=system, basis=basis
    )
    if as_json:
        print_json(result)
        return
    if explain:
        out.print(result.explain(), markup=False)
    else:
        render_stage(result)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    app.command("stage")(stage)
