"""Backup and restore of a SQLite store with SQLite's online backup API (safe while the store is in use).

PostgreSQL is backed up with its own tools: :data:`PG_DUMP_ADVICE`.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import Engine

from metastasis.errors import InvalidInputError

PG_DUMP_ADVICE = (
    "this store is on PostgreSQL: back it up with `pg_dump --format=custom DBNAME > FILE` "
    "and restore with `pg_restore --clean --dbname DBNAME FILE`"
)


def _sqlite_file(engine: Engine) -> str:
    if engine.dialect.name != "sqlite":
        raise InvalidInputError("database", engine.dialect.name, "a SQLite store", detail=PG_DUMP_ADVICE)
    name = engine.url.database
    if not name or name == ":memory:":
        raise InvalidInputError("database", "in-memory", "a SQLite file")
    return name


def backup(engine: Engine, target: Path) -> Path:
    """Copy the whole SQLite store to ``target`` (a new file; its folder must exist).

    Parameters
    ----------
    engine:
        The store's engine (SQLite only; PostgreSQL raises :class:`InvalidInputError` with the pg_dump advice).
    target:
        The backup file to write; refused if it exists.

    Returns
    -------
    Path
        ``target``.
    """
    source = _sqlite_file(engine)
    if target.exists():
        raise InvalidInputError("path", str(target), "a file that does not exist yet")
    if not target.parent.is_dir():
        raise InvalidInputError("path", str(target), "a file in an existing folder")
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    return target


def restore(engine: Engine, source: Path) -> None:
    """Replace the SQLite store's contents with the backup ``source`` (stop the server first)."""
    target = _sqlite_file(engine)
    if not source.is_file():
        raise InvalidInputError("path", str(source), "an existing backup file")
    try:
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            src.execute("SELECT count(*) FROM alembic_version").fetchone()
            engine.dispose()
            with sqlite3.connect(target) as dst:
                src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise InvalidInputError(
            "path", str(source), "a backup made by `metastasis db backup`", detail=str(exc)
        ) from None
