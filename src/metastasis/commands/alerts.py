"""``metastasis alerts due``: the records with new alerts, one line each (for a cron job), including "new trial
match" alerts of trial watches."""

from __future__ import annotations

import typer

from metastasis.commands._common import out, print_json, reports_input_errors
from metastasis.commands._store import open_store, reports_store_errors

alerts_app = typer.Typer(help="Stored alerts of the case store.", no_args_is_help=True)


@alerts_app.command("due")
@reports_input_errors
@reports_store_errors
def due(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """List records with new (unacknowledged) alerts: record id, owner id, count, most urgent severity."""
    records = open_store().alerts.due()
    if as_json:
        print_json({"due": [r.model_dump(mode="json") for r in records]})
        return
    for r in records:
        trials = f", {r.new_trial_matches} new trial match(es)" if r.new_trial_matches else ""
        out.print(
            f"record {r.record_id}: {r.new_alerts} new alert(s), most urgent {r.highest_severity}{trials} "
            f"(owner {r.owner_id})",
            markup=False,
            soft_wrap=True,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")
