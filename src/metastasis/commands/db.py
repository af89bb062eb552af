"""``metastasis db``: apply migrations, show the schema revision, back up and restore the case store."""

from __future__ import annotations

from pathlib import Path

import typer

from metastasis.commands._common import out, printable, reports_input_errors
from metastasis.commands._store import open_store, reports_store_errors

db_app = typer.Typer(help="The case store's database: upgrade, current, backup, restore.", no_args_is_help=True)


@db_app.command("upgrade")
@reports_input_errors
@reports_store_errors
def upgrade() -> None:
    """Apply every pending migration (creates the database when new)."""
    from metastasis.store.schema import current_revision

    store = open_store(check=False)
    store.upgrade()
    out.print(f"database at revision {current_revision(store.engine)}", markup=False)


@db_app.command("current")
@reports_input_errors
@reports_store_errors
def current() -> None:
    """Show the database's schema revision and whether it is the newest."""
    from metastasis.store.schema import current_revision, head_revision

    store = open_store(check=False)
    revision, head = current_revision(store.engine), head_revision()
    state = "up to date" if revision == head else f"out of date (newest {head}): run `metastasis db upgrade`"
    out.print(f"{revision or 'none'} ({state})", markup=False)


@db_app.command("backup")
@reports_input_errors
@reports_store_errors
def backup(path: Path = typer.Argument(..., help="The backup file to write (must not exist).")) -> None:
    """Back up a SQLite store while it runs (PostgreSQL: use pg_dump, as printed)."""
    from metastasis.store.backup import backup as run_backup

    store = open_store()
    run_backup(store.engine, path)
    out.print(f"backed up to {printable(path)}", markup=False)


@db_app.command("restore")
@reports_input_errors
@reports_store_errors
def restore(path: Path = typer.Argument(..., help="A backup made by `metastasis db backup`.")) -> None:
    """Replace the SQLite store with a backup (stop the server first)."""
    from metastasis.store.backup import restore as run_restore

    store = open_store(check=False)
    run_restore(store.engine, path)
    store.check_schema()
    out.print(f"restored from {printable(path)}", markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
