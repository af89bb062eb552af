"""The database engine: SQLite tuned for many readers and one writer at a time, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from typing import Any

from sqlalchemy import create_engine as sa_create_engine
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

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
        connections with the :data:`WRITE_OPTION` execution option.

    Example
    -------
    >>> create_engine("sqlite://").dialect.name
    'sqlite'
    """
    if url.startswith("sqlite"):
        engine = sa_create_engine(url, **kwargs)
        _sqlite_setup(engine)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return sa_create_engine(url, **kwargs)
