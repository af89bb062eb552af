"""``metastasis records export``: everything held about one record, for a data-access request."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from metastasis.commands._common import out, printable, reports_input_errors, write_output
from metastasis.commands._store import OPERATOR, open_store, reports_store_errors

records_app = typer.Typer(help="Records of the case store.", no_args_is_help=True)


@records_app.command("export")
@reports_input_errors
@reports_store_errors
def export(
    record_id: int = typer.Argument(..., help="The record id."),
    output: Path = typer.Option(..., "--output", "-o", help="The JSON file to write."),
) -> None:
    """Write one record's case versions, events and audit entries as JSON (the export itself is audited)."""
    data = open_store().records.export(OPERATOR, record_id)
    write_output(output, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    out.print(f"exported record {record_id} to {printable(output)}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(records_app, name="records")
