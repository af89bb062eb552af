"""What the store commands share: opening the store (schema checked) and the store's errors as one line."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer

from metastasis.commands._common import err, printable
from metastasis.store import Principal, Role, Store, StoreError

OPERATOR = Principal(role=Role.ADMIN, email="cli-operator")
"""Who the commands act as: the person at the server's shell, recorded as such in the audit trail."""

P = ParamSpec("P")
R = TypeVar("R")


def open_store(*, check: bool = True) -> Store:
    """The store at ``METASTASIS_DATABASE_URL`` (or the default SQLite file), its schema checked when ``check``."""
    store = Store()
    if check:
        store.check_schema()
    return store


def reports_store_errors(command: Callable[P, R]) -> Callable[P, R]:
    """A store error (out-of-date schema, unknown record, refused log-in...) as one line on stderr, exit 2."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except StoreError as exc:
            err.print(printable(f"error: {exc}"), markup=False)
        except Exception as exc:  # a database that cannot be reached or read
            from sqlalchemy.exc import SQLAlchemyError

            if not isinstance(exc, SQLAlchemyError):
                raise
            err.print(f"error: the database could not be used ({type(exc).__name__})", markup=False)
        raise typer.Exit(code=2)

    return wrapper
