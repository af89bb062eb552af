"""Dependencies shared by the routes and pages that reach the case store.

The application holds at most one :class:`~metastasis.store.Store` (``app.state.store``): given to
:func:`metastasis.api.create_app` (tests, ``metastasis serve``) or opened on first use from
``METASTASIS_DATABASE_URL`` (default: SQLite in the user's data folder), its schema checked then. The stateless
calculators never touch it, so the store is not opened by an application that only calculates.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from fastapi import Request

if TYPE_CHECKING:
    from metastasis.store import Store

_OPENING = threading.Lock()


def get_store(request: Request) -> Store:
    """The application's store, opened (and its schema checked) on first use."""
    state = request.app.state
    store = getattr(state, "store", None)
    if store is None:
        with _OPENING:
            store = getattr(state, "store", None)
            if store is None:
                from metastasis.store import Store

                store = Store()
                store.check_schema()  # SchemaOutOfDateError: run `metastasis db upgrade`
                state.store = store
    return store


def request_id(request: Request) -> str | None:
    """The request's id (set by :class:`metastasis.api.middleware.RequestContext`), for the audit trail."""
    return getattr(request.state, "request_id", None)
