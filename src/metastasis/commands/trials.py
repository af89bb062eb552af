"""``metastasis trials``: import and update ClinicalTrials.gov records, match a case, show a study.

* ``trials import FILE`` loads one study, an API page or JSON Lines into the local store.
* ``trials update --condition "breast cancer" [--status recruiting] [--since DATE]`` pages through the live API
  with a progress bar; an interrupted update resumes; without a network it says so in one line (exit 2).
* ``trials match CASE.yaml [--trials FILE.jsonl] [--status recruiting] [--near LAT,LON --within-km N] [--json]``
* ``trials show NCT_ID``

Bad input prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

import typer
from rich.table import Table

from metastasis import DISCLAIMER
from metastasis.commands._common import err, out, print_disclaimer, printable, reports_input_errors
from metastasis.errors import InvalidInputError

trials_app = typer.Typer(
    name="trials",
    help="Clinical trials: import ClinicalTrials.gov records, match a case criterion by criterion, show a study.",
    add_completion=False,
)

_BADGE = {
    "eligible": "[green]eligible[/green]",
    "possibly_eligible": "[yellow]possibly eligible[/yellow]",
    "not_eligible": "[red]not eligible[/red]",
}


def _store(path: Path | None = None):
    from metastasis.trials.store import TrialStore

    return TrialStore(path)


def _near(text: str | None) -> tuple[float, float] | None:
    if text is None:
        return None
    parts = text.split(",")
    try:
        if len(parts) != 2:
            raise ValueError
        return float(parts[0]), float(parts[1])
    except ValueError:
        raise InvalidInputError("near", text, "LAT,LON in decimal degrees, e.g. 48.85,2.35") from None


def _date(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise InvalidInputError("since", text, "a date YYYY-MM-DD") from None


@trials_app.command("import")
@reports_input_errors
def import_(
    file: Path = typer.Argument(..., help='A study (.json), an API page {"studies": [...]} or JSON Lines.'),
    store: Path | None = typer.Option(
        None,
        "--store",
        help="The store file (default: $METASTASIS_TRIALS_FILE or trials.jsonl in the user data folder).",
    ),
) -> None:
    """Load ClinicalTrials.gov API v2 records into the local trial store (a newer version replaces a study)."""
    from metastasis.trials.store import read_studies

    studies = read_studies(file)
    result = _store(store).add(studies)
    out.print(f"Imported {len(studies)} studies: {result.summary()}.", markup=False)


@trials_app.command("update")
@reports_input_errors
def update(
    condition: str = typer.Option(..., "--condition", help="What to search for (query.cond), e.g. 'breast cancer'."),
    status: list[str] = typer.Option([], "--status", help="Recruitment status to keep, e.g. recruiting (repeatable)."),
    since: str | None = typer.Option(None, "--since", help="Only records updated on or after this date (YYYY-MM-DD)."),
    page_size: int = typer.Option(100, "--page-size", help="Studies per request (1-1000)."),
    store: Path | None = typer.Option(None, "--store", help="The store file."),
) -> None:
    """Page through the live ClinicalTrials.gov API v2 into the local store; an interrupted update resumes."""
    from rich.progress import Progress

    from metastasis.interop.ctgov import CtgovUnavailable, fetch_pages

    target = _store(store)
    state = target.path.with_name(target.path.name + ".update-state.json")
    seen = 0
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("ClinicalTrials.gov", total=None)
            for page in fetch_pages(
                condition, statuses=tuple(status), since=_date(since), page_size=page_size, state=state
            ):
                target.add(page.studies)
                seen += len(page.studies)
                progress.update(task, advance=len(page.studies), total=page.total)
    except CtgovUnavailable as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        raise typer.Exit(code=2) from None
    out.print(f"Fetched {seen} studies into {target.path}.", markup=False)


def _render(matches: list, limit: int) -> None:
    table = Table(show_header=True, box=None, padding=(0, 1))
    for column in ("Trial", "Result", "Score", "Recruitment", "Condition fit", "Title"):
        table.add_column(column)
    for match in matches[:limit]:
        table.add_row(
            match.nct_id,
            _BADGE[match.status],
            f"{match.score:g}",
            match.overall_status or "-",
            match.relevance.replace("_", " "),
            match.title[:70],
        )
    out.print(table)
    for match in matches[: min(limit, 5)]:
        out.print(f"\n[bold]{match.nct_id}[/bold] {match.url}")
        decisive = [c for c in match.criteria if c.status != "unknown" and c.depth == 0 and c.kind != "structured"]
        for criterion in [c for c in match.criteria if c.kind == "structured"] + decisive[:8]:
            out.print(
                f"  {criterion.status:8} {criterion.kind:10} {criterion.text[:80]} - {criterion.reason}", markup=False
            )
        unknown = match.check_next
        if unknown:
            out.print(f"  to check next: {len(unknown)} criteria, e.g. {unknown[0].text[:80]}", markup=False)


@trials_app.command("match")
@reports_input_errors
def match(
    case_file: Path = typer.Argument(..., help="The case (.yaml, .yml or .json)."),
    trials: Path | None = typer.Option(
        None, "--trials", help="Studies to match (JSON Lines, a page or a study); the local store without it."
    ),
    status: list[str] = typer.Option([], "--status", help="Keep only this recruitment status (repeatable)."),
    near: str | None = typer.Option(None, "--near", help="LAT,LON: report the nearest site's distance."),
    within_km: float | None = typer.Option(None, "--within-km", help="Keep studies with a site within N km of --near."),
    limit: int = typer.Option(20, "--limit", help="Rows shown in the terminal (JSON lists all)."),
    as_json: bool = typer.Option(False, "--json", help='Print {"matches": [TrialMatch, ...]} as JSON.'),
) -> None:
    """Match a case against trials: every criterion met, not met or unknown with its reason, ranked."""
    from metastasis.domain import load_case
    from metastasis.trials import match_trials, read_studies

    case = load_case(case_file)
    studies = read_studies(trials) if trials is not None else _store().studies()
    matches = match_trials(case, studies, statuses=status, near=_near(near), within_km=within_km)
    if as_json:
        data = {"matches": [m.model_dump(mode="json") for m in matches], "disclaimer": DISCLAIMER}
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not matches:
        out.print("No trials to match (import some with `metastasis trials import FILE`).", markup=False)
    else:
        _render(matches, limit)
    print_disclaimer()


@trials_app.command("show")
@reports_input_errors
def show(
    nct_id: str = typer.Argument(..., help="The study's NCT id, e.g. NCT01234567."),
    trials: Path | None = typer.Option(None, "--trials", help="Look in this file instead of the local store."),
    as_json: bool = typer.Option(False, "--json", help="Print the record as the API sent it."),
) -> None:
    """Show one stored study: title, status, conditions, eligibility and its criteria split one per line."""
    from metastasis.trials import read_studies, split_criteria
    from metastasis.trials.models import NCT_ID

    key = nct_id.strip().upper()
    if not NCT_ID.match(key):
        raise InvalidInputError("nct_id", nct_id, "NCT followed by 8 digits")
    if trials is not None:
        study = next((s for s in read_studies(trials) if s.nct_id == key), None)
    else:
        study = _store().get(key)
    if study is None:
        raise InvalidInputError("nct_id", key, "an NCT id in the store (import it first)", detail="not found")
    if as_json:
        typer.echo(json.dumps(study.to_record(), indent=2, ensure_ascii=False))
        return
    eligibility = study.protocol.eligibility
    out.print(f"[bold]{study.nct_id}[/bold] {study.title}")
    out.print(
        f"{study.url}\nRecruitment: {study.overall_status or '-'}; phases: {', '.join(study.phases) or '-'}",
        markup=False,
    )
    out.print(f"Conditions: {'; '.join(study.conditions) or '-'}", markup=False)
    out.print(
        f"Sex: {eligibility.sex or '-'}; age: {eligibility.minimum_age or '-'} to {eligibility.maximum_age or '-'}",
        markup=False,
    )
    for item in split_criteria(study.criteria_text):
        out.print(f"{'  ' * item.depth}- [{item.kind}] {item.text}", markup=False)
    print_disclaimer()


def register(app: typer.Typer) -> None:
    """Add the ``trials`` command group to the main application."""
    app.add_typer(trials_app, name="trials")
