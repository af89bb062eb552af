"""``metastasis trials``: import and update ClinicalTrials.gov records, match a case, show a study.

* ``trials import FILE`` loads one study, an API page or JSON Lines into the local store.
* ``trials update --condition "breast cancer" [--status recruiting] [--since DATE]`` pages through the live API
  with a progress bar; an interrupted update resumes; without a network it says so in one line (exit 2).
* ``trials match CASE.yaml [--trials FILE.jsonl] [--status recruiting] [--near LAT,LON --within-km N] [--json]``
* ``trials show NCT_ID``
* ``trials watch add RECORD_ID [--status ..] [--phase ..] [--near LAT,LON --within-km N] [--as EMAIL]``,
  ``trials watch list [RECORD_ID]``, ``trials watch remove RECORD_ID WATCH_ID``, ``trials watch run``

The local store is the case store's database when one exists, else a JSON Lines file (``--store`` picks a file).
Bad input, an unusable or out-of-date database print one line on stderr and exit with status 2.
"""

from __future__ import annotations

import datetime
import functools
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

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


watch_app = typer.Typer(
    help="Watches on case-store records: a new matching trial raises an alert on the record.", no_args_is_help=True
)
trials_app.add_typer(watch_app, name="watch")

P = ParamSpec("P")
R = TypeVar("R")


def reports_store_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A case-store error (out-of-date schema, unknown record) or an unusable database as one line, exit 2.

    Like :func:`metastasis.commands._store.reports_store_errors`, without importing the store (and SQLAlchemy)
    when the command never opens it.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Exception as exc:
            errors = sys.modules.get("metastasis.store.errors")
            database = sys.modules.get("sqlalchemy.exc")
            if errors is not None and isinstance(exc, errors.StoreError):
                err.print(printable(f"error: {exc}"), markup=False)
            elif database is not None and isinstance(exc, database.SQLAlchemyError):
                err.print(f"error: the database could not be used ({type(exc).__name__})", markup=False)
            else:
                raise
        raise typer.Exit(code=2)

    return wrapper


def _store(path: Path | None = None):
    from metastasis.trials.store import open_trial_store

    return open_trial_store(path)


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
@reports_store_errors
def import_(
    file: Path = typer.Argument(..., help='A study (.json), an API page {"studies": [...]} or JSON Lines.'),
    store: Path | None = typer.Option(
        None,
        "--store",
        help="A store file (default: the case store's database when there is one, else $METASTASIS_TRIALS_FILE or "
        "trials.jsonl in the user data folder).",
    ),
) -> None:
    """Load ClinicalTrials.gov API v2 records into the local trial store (a newer version replaces a study);
    watched case-store records are matched again against the studies that changed."""
    from metastasis.trials.store import read_studies

    studies = read_studies(file)
    result = _store(store).add(studies)
    out.print(f"Imported {len(studies)} studies: {result.summary()}.", markup=False, soft_wrap=True)


@trials_app.command("update")
@reports_input_errors
@reports_store_errors
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
    state = target.state_path
    seen = alerts = 0
    try:
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("ClinicalTrials.gov", total=None)
            for page in fetch_pages(
                condition, statuses=tuple(status), since=_date(since), page_size=page_size, state=state
            ):
                alerts += target.add(page.studies).new_alerts
                seen += len(page.studies)
                progress.update(task, advance=len(page.studies), total=page.total)
    except CtgovUnavailable as exc:
        err.print(printable(f"error: {exc}"), markup=False)
        raise typer.Exit(code=2) from None
    extra = f"; {alerts} new trial alerts on watched records" if alerts else ""
    out.print(printable(f"Fetched {seen} studies into {target.location}{extra}."), markup=False, soft_wrap=True)


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
@reports_store_errors
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
@reports_store_errors
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


def _case_store():
    from metastasis.commands._store import open_store

    return open_store()


def _actor(store, email: str | None):
    """The user named by ``--as``, else the operator at the server's shell (an admin, as the store commands)."""
    if email is None:
        from metastasis.commands._store import OPERATOR

        return OPERATOR
    from metastasis.store.watches import acting_user

    return acting_user(store, email)


def _filters(watch) -> str:
    parts = []
    if watch.statuses:
        parts.append("status " + ", ".join(s.lower() for s in watch.statuses))
    if watch.phases:
        parts.append("phase " + ", ".join(p.lower() for p in watch.phases))
    if watch.within_km is not None:
        parts.append(f"within {watch.within_km:g} km of {watch.near_lat:g},{watch.near_lon:g}")
    return "; ".join(parts) or "every stored study"


@watch_app.command("add")
@reports_input_errors
@reports_store_errors
def watch_add(
    record_id: int = typer.Argument(..., help="The case-store record to watch."),
    status: list[str] = typer.Option(
        [], "--status", help="Keep this recruitment status, e.g. recruiting (repeatable)."
    ),
    phase: list[str] = typer.Option([], "--phase", help="Keep this phase, e.g. phase2 or 2 (repeatable)."),
    near: str | None = typer.Option(None, "--near", help="LAT,LON: keep studies with a site near this point."),
    within_km: float | None = typer.Option(None, "--within-km", help="The radius around --near, in km."),
    as_email: str | None = typer.Option(None, "--as", help="Act as this user (default: the operator, an admin)."),
) -> None:
    """Save a watch on a record: a stored or newly imported trial that fits its case raises an alert."""
    store = _case_store()
    actor = _actor(store, as_email)
    watch = store.watches.add(actor, record_id, statuses=status, phases=phase, near=_near(near), within_km=within_km)
    due = sum(a.state == "new" and a.kind == "trial" for a in store.alerts.list(actor, record_id))
    out.print(
        f"watch {watch.id} on record {record_id}: {_filters(watch)}; {due} new trial alerts on the record now",
        markup=False,
        soft_wrap=True,
    )


@watch_app.command("list")
@reports_input_errors
@reports_store_errors
def watch_list(
    record_id: int | None = typer.Argument(None, help="Only this record's watches."),
    as_email: str | None = typer.Option(None, "--as", help="Act as this user (default: the operator, an admin)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List watches: of one record, or of every record the user may read."""
    from metastasis.commands._common import print_json

    store = _case_store()
    watches = store.watches.list(_actor(store, as_email), record_id)
    if as_json:
        print_json({"watches": [w.model_dump(mode="json") for w in watches]})
        return
    if not watches:
        out.print("No watches.", markup=False)
    for watch in watches:
        out.print(f"watch {watch.id} on record {watch.record_id}: {_filters(watch)}", markup=False, soft_wrap=True)


@watch_app.command("remove")
@reports_input_errors
@reports_store_errors
def watch_remove(
    record_id: int = typer.Argument(..., help="The record."),
    watch_id: int = typer.Argument(..., help="The watch (see `trials watch list`)."),
    as_email: str | None = typer.Option(None, "--as", help="Act as this user (default: the operator, an admin)."),
) -> None:
    """Remove a watch; with the record's last watch, its open trial alerts are resolved."""
    store = _case_store()
    store.watches.remove(_actor(store, as_email), record_id, watch_id)
    out.print(f"removed watch {watch_id} from record {record_id}", markup=False)


@watch_app.command("run")
@reports_input_errors
@reports_store_errors
def watch_run() -> None:
    """Match the watched records against the studies changed since their watches last ran (imports do this)."""
    from metastasis.commands._store import OPERATOR

    run = _case_store().watches.run_all(OPERATOR)
    out.print(
        f"{run.records} watched records matched against {run.studies_matched} changed studies: "
        f"{run.alerts_raised} new trial alerts, {run.alerts_resolved} resolved",
        markup=False,
        soft_wrap=True,
    )


def register(app: typer.Typer) -> None:
    """Add the ``trials`` command group to the main application."""
    app.add_typer(trials_app, name="trials")
