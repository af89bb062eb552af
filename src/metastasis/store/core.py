"""The :class:`Store`: one per process, holding the engine and the session factories the services use."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from functools import cached_property
from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from metastasis.store.engine import WRITE_OPTION, create_engine
from metastasis.store.schema import check_schema
from metastasis.store.settings import database_url

if TYPE_CHECKING:
    from metastasis.store.accounts import AccountService
    from metastasis.store.alerts import AlertService
    from metastasis.store.audit import AuditService
    from metastasis.store.records import RecordService
    from metastasis.store.tokens import TokenService
    from metastasis.store.trials import TrialService
    from metastasis.store.watches import WatchService


class Store:
    """The case store: records, alerts, accounts, tokens and the audit trail over one database.

    Convention: every service method takes the acting :class:`~metastasis.store.access.Principal` first and an
    optional ``request_id`` keyword, runs in its own transaction, audits itself and returns plain pydantic values
    (never ORM objects). Create one ``Store`` per process (e.g. at application start-up) and share it.

    Parameters
    ----------
    url:
        A SQLAlchemy URL; default :func:`metastasis.store.settings.database_url`.
    engine:
        An existing engine to use instead of ``url``.

    Example
    -------
    >>> store = Store("sqlite://")
    >>> store.engine.dialect.name
    'sqlite'
    """

    def __init__(self, url: str | None = None, *, engine: Engine | None = None) -> None:
        self.engine: Engine = engine if engine is not None else create_engine(url or database_url())
        self._reader = sessionmaker(self.engine, expire_on_commit=False)
        self._writer = sessionmaker(self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False)

    @contextlib.contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading, in one transaction (rolled back at the end)."""
        with self._reader() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def write(self) -> Iterator[Session]:
        """A session in one writing transaction: committed when the block ends, rolled back on error.

        On SQLite it holds the write lock from its start (``BEGIN IMMEDIATE``), so writers queue instead of failing.
        """
        with self._writer() as session, session.begin():
            yield session

    def check_schema(self) -> None:
        """Raise :class:`~metastasis.store.errors.SchemaOutOfDateError` unless the schema is at the newest migration."""
        check_schema(self.engine)

    def upgrade(self) -> None:
        """Apply every pending migration."""
        from metastasis.store.schema import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    @cached_property
    def records(self) -> RecordService:
        """Records, their versions, events, timeline and erasure."""
        from metastasis.store.records import RecordService

        return RecordService(self)

    @cached_property
    def alerts(self) -> AlertService:
        """Stored alerts and their states."""
        from metastasis.store.alerts import AlertService

        return AlertService(self)

    @cached_property
    def accounts(self) -> AccountService:
        """User accounts and password log-in."""
        from metastasis.store.accounts import AccountService

        return AccountService(self)

    @cached_property
    def tokens(self) -> TokenService:
        """Sessions, access and API tokens, invitations."""
        from metastasis.store.tokens import TokenService

        return TokenService(self)

    @cached_property
    def audit(self) -> AuditService:
        """The audit trail."""
        from metastasis.store.audit import AuditService

        return AuditService(self)

    @cached_property
    def trials(self) -> TrialService:
        """ClinicalTrials.gov studies and their change log (the interface of the file trial store)."""
        from metastasis.store.trials import TrialService

        return TrialService(self)

    @cached_property
    def watches(self) -> WatchService:
        """Trial watches on records and the "new trial match" alerts they raise."""
        from metastasis.store.watches import WatchService

        return WatchService(self)
