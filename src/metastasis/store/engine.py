"""The database engine: SQLite tuned for many readers and one writer at a time, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from metastasis.errors import InvalidInputError

BUSY_TIMEOUT_MS = 15_000
"""How long a SQLite writer waits for another to finish before giving up."""

WRITE_OPTION = "metastasis_write"
"""Execution option marking a connection that will write: on SQLite its transaction starts with BEGIN IMMEDIATE."""


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling is switched off so that BEGIN is ours (see _on_begin)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # A writer takes the write lock at BEGIN: a deferred transaction that reads and then writes could fail
        # with SQLITE_BUSY on a snapshot made stale by another writer, which busy_timeout does not retry.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITE_OPTION) else "BEGIN")


def _has_nul(value: Any) -> bool:
    """Whether a statement's parameters (a mapping or sequence of them, for executemany a list of those) hold a
    string with a NUL character."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _refuse_nul(_conn: Connection, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool) -> None:
    # PostgreSQL refuses a NUL in text (the driver raises, which would be a 500) and SQLite would keep it: on both,
    # a NUL typed into any field (an email, a reason, an alert id, a filter) is bad input, refused before it is sent
    if _has_nul(parameters):
        raise InvalidInputError("text", "(a text holding a NUL character)", "text without NUL (\\x00) characters")


def create_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url`` with the store's settings.

    Parameters
    ----------
    url:
        A SQLAlchemy URL (``sqlite:///file.db`` or ``postgresql+psycopg://...``).
    kwargs:
        Passed to :func:`sqlalchemy.create_engine`.

    Returns
    -------
    Engine
        On SQLite: WAL journal, foreign keys on, a busy timeout, ``synchronous=NORMAL``, and ``BEGIN IMMEDIATE`` for
        connections with the :data:`WRITE_OPTION` execution option. On both: a statement whose parameters hold a
        NUL character is refused with :class:`~metastasis.errors.InvalidInputError` (field ``text``), not sent.

    Example
    -------
    >>> create_engine("sqlite://").dialect.name
    'sqlite'
    """
    if url.startswith("sqlite"):
        engine = sa_create_engine(url, **kwargs)
        _sqlite_setup(engine)
    else:
        kwargs.setdefault("pool_pre_ping", True)
        engine = sa_create_engine(url, **kwargs)
    event.listen(engine, "before_cursor_execute", _refuse_nul)
    return engine
