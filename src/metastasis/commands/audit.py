"""``metastasis audit``: read the audit trail of the case store (the machine's operator acts as admin)."""

from __future__ import annotations

import typer

from metastasis.commands._common import out, print_json, reports_input_errors
from metastasis.commands._store import OPERATOR, open_store, reports_store_errors


@reports_input_errors
@reports_store_errors
def audit(
    case: int | None = typer.Option(None, "--case", help="Only entries about this record id."),
    user: str | None = typer.Option(None, "--user", help="Only entries by this email."),
    page: int = typer.Option(1, "--page", help="Page number (newest first)."),
    page_size: int = typer.Option(50, "--page-size", help="Entries per page (at most 500)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Read the audit trail: who did what to which record, and whether it was allowed."""
    result = open_store().audit.query(OPERATOR, case=case, user=user, page=page, page_size=page_size)
    if as_json:
        print_json(result)
        return
    for e in result.entries:
        where = f" record {e.record_id}" if e.record_id is not None else ""
        version = f" v{e.version}" if e.version is not None else ""
        out.print(
            f"{e.at:%Y-%m-%d %H:%M:%S} {e.email or '-'} {e.action}{where}{version} {e.outcome}"
            f"{f' ({e.detail})' if e.detail else ''}",
            markup=False,
        )
    out.print(f"page {result.page}, {len(result.entries)} of {result.total} entries", markup=False)


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
