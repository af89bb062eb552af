"""Command-line entry point: ``metastasis <command>``, one sub-command per capability.

Every command prints a readable result by default and JSON with ``--json``; bad input prints one line on
stderr and exits with status 2. Outputs are decision support and education, not a medical device.

Commands are loaded on use: ``metastasis --help`` lists them from :data:`COMMANDS` without importing any command
module, and ``metastasis stage ...`` imports only :mod:`metastasis.commands.stage`, so that start-up does not pay
for scipy, pandas, matplotlib or FastAPI (``benchmarks/bench_cli_startup.py``).
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import TYPE_CHECKING, Any

import typer
import typer.main
from typer.core import TyperCommand, TyperGroup

from metastasis import DISCLAIMER, __version__

if TYPE_CHECKING:
    from typer import _click as click

COMMANDS: dict[str, tuple[str, str]] = {
    "stage": ("stage", "Stage a breast cancer by TNM (AJCC 8th anatomic and prognostic, or UICC 8th)."),
    "sites": (
        "knowledge",
        "List the metastatic-site catalogue with codes (unverified codes flagged) and bone primaries.",
    ),
    "triage": (
        "knowledge",
        "Triage symptoms: urgency, what to do now, suspected sites and work-up (never a diagnosis).",
    ),
    "options": ("knowledge", "List treatment-option families for a case profile (to discuss with the care team)."),
    "learn": ("knowledge", "Read a plain-language explainer (what metastasis is, bone lesions, survival numbers...)."),
    "quiz": ("knowledge", "Take the quiz on metastasis (interactive in a terminal; --answers for scripted use)."),
    "predict": (
        "predict",
        "PREDICT Breast: survival after surgery for early breast cancer and the benefit of each treatment.",
    ),
    "npi": ("predict", "Nottingham Prognostic Index with its band and published survival."),
    "cts5": ("predict", "CTS5: risk of late distant recurrence (years 5-10) after 5 years of endocrine therapy."),
    "late-recurrence": ("predict", "Late distant recurrence of ER-positive breast cancer, years 5-20 (Pan 2017)."),
    "stats": ("predict", "Reference survival statistics with their period, population and sources."),
    "survival": (
        "predict",
        "Kaplan-Meier curves, medians, log-rank test and (optionally) a Cox model of your own cohort.",
    ),
    "spread": ("spread", "Where and when breast cancer spreads: a Markov chain over anatomic sites (Newton et al.)."),
    "cascade": (
        "spread",
        "Metastatic inefficiency: per-step survival through the cascade and how many shed cells succeed.",
    ),
    "bone": (
        "bone",
        "Simulate a bone lesion untreated and with denosumab or zoledronic acid; print bone-mass milestones.",
    ),
    "schema": (
        "schema",
        "Print the JSON Schema of a case, check a case file against it, or print a bundled example case.",
    ),
    "report": (
        "report",
        "Assess one case and report it: staging, pattern, red flags, scores, calcium, prognosis, spread, options,\n"
        "alerts and what to do now, every statement with its sources.",
    ),
    "example": ("example", "Report on a bundled example case (`metastasis report --example NAME` does the same)."),
    "serve": ("serve", "Serve the web app (patients and clinicians) and the REST API (/docs) until interrupted."),
    "score": (
        "score",
        "Bone-metastasis risk scores, corrected calcium, CTCAE hypercalcaemia and performance status.",
    ),
    "db": ("db", "The case store's database: upgrade, current, backup, restore."),
    "users": ("users", "Accounts of the case store: add, list, disable, enable."),
    "alerts": ("alerts", "Stored alerts of the case store."),
    "audit": ("audit", "Read the audit trail: who did what to which record, and whether it was allowed."),
    "records": ("records", "Records of the case store."),
    "trials": (
        "trials",
        "Clinical trials: import ClinicalTrials.gov records, match a case criterion by criterion, show a study.",
    ),
    "fhir": (
        "fhir",
        "Import an mCODE FHIR bundle as a case, or export a case (and its assessment) as mCODE FHIR.",
    ),
    "batch": (
        "batch",
        "Stage registry files (CSV, Parquet, NAACCR XML) here or on a Dask cluster; PREDICT over patient files.",
    ),
}
"""Command name -> (module in :mod:`metastasis.commands` whose ``register`` adds it, the help line that
``metastasis --help`` lists). The lines are the commands' own help (``tests/commands/test_cli_imports.py``)."""

_LISTING = "metastasis.listing"


@cache
def _module_commands(module: str) -> dict[str, click.Command]:
    """The click commands that ``metastasis.commands.<module>.register`` adds (imported once, on first use)."""
    registry = typer.Typer(add_completion=False, pretty_exceptions_enable=False)
    importlib.import_module(f"metastasis.commands.{module}").register(registry)
    return dict(typer.main.get_group(registry).commands)


def load_command(name: str) -> click.Command:
    """The real command ``name`` of :data:`COMMANDS` (imports its module)."""
    return _module_commands(COMMANDS[name][0])[name]


class LazyGroup(TyperGroup):
    """The top-level group: lists :data:`COMMANDS` by their help lines and imports a module only to run a command."""

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for name, (_, help_line) in COMMANDS.items():
            self.commands.setdefault(name, TyperCommand(name=name, help=help_line))

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        ctx.meta[_LISTING] = True  # the listing needs only names and help lines
        try:
            super().format_help(ctx, formatter)
        finally:
            ctx.meta.pop(_LISTING, None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and not ctx.meta.get(_LISTING):
            return load_command(cmd_name)
        return super().get_command(ctx, cmd_name)


app = typer.Typer(
    name="metastasis",
    cls=LazyGroup,
    help=f"Metastatic breast cancer and bone metastasis: staging, scores and education.\n\n{DISCLAIMER}",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


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
