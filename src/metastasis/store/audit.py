"""The audit trail: append-only rows of who did what to which record, and the admin's query over them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metastasis.errors import InvalidInputError
from metastasis.store._time import utcnow
from metastasis.store.access import Action, Principal, is_allowed
from metastasis.store.errors import AccessDenied
from metastasis.store.models import AuditEntry

if TYPE_CHECKING:
    from metastasis.store.core import Store

MAX_PAGE_SIZE = 500


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    ERROR = "error"


class AuditRow(BaseModel):
    """One audit entry as read back."""

    id: int
    at: dt.datetime
    user_id: int | None
    email: str | None
    action: str
    record_id: int | None
    version: int | None
    request_id: str | None
    outcome: str
    detail: str | None


class AuditPage(BaseModel):
    """A page of audit entries, newest first."""

    entries: list[AuditRow]
    total: int
    page: int
    page_size: int


def write(
    session: Session,
    actor: Principal | None,
    action: str,
    outcome: Outcome,
    *,
    record_id: int | None = None,
    version: int | None = None,
    request_id: str | None = None,
    detail: str | None = None,
    email: str | None = None,
) -> None:
    """Add one audit row to ``session`` (committed with it). ``detail`` must hold no patient data."""
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id if actor else None,
            email=(actor.email if actor else None) or email,
            action=action,
            record_id=record_id if record_id is None or 0 < record_id < 2**31 else None,  # no id: no such record
            version=version,
            request_id=request_id[:64] if request_id else None,
            outcome=outcome.value,
            detail=detail,
        )
    )


class AuditService:
    """Reading the audit trail (admins only; the read itself is audited)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def query(
        self,
        actor: Principal,
        *,
        case: int | None = None,
        user: str | None = None,
        page: int = 1,
        page_size: int = 50,
        request_id: str | None = None,
    ) -> AuditPage:
        """Audit entries, newest first, filtered by record id and/or user email.

        Parameters
        ----------
        actor:
            The caller; must be an admin (else :class:`AccessDenied`, audited).
        case:
            Only entries about this record id.
        user:
            Only entries by this email (normalised like account emails).
        page, page_size:
            1-based page and its size (at most :data:`MAX_PAGE_SIZE`).
        request_id:
            The request id to record.

        Returns
        -------
        AuditPage
        """
        if page < 1:
            raise InvalidInputError("page", page, "a whole number >= 1")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidInputError("page_size", page_size, f"a whole number from 1 to {MAX_PAGE_SIZE}")
        if not is_allowed(actor, Action.AUDIT, None):
            with self._store.write() as session:
                write(session, actor, Action.AUDIT.value, Outcome.DENIED, request_id=request_id)
            raise AccessDenied("only an admin may read the audit trail")
        query = select(AuditEntry)
        if case is not None:
            query = query.where(AuditEntry.record_id == case)
        if user is not None:
            query = query.where(AuditEntry.email == user.strip().lower())
        with self._store.write() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            rows = session.scalars(
                query.order_by(AuditEntry.id.desc()).offset((page - 1) * page_size).limit(page_size)
            ).all()
            entries = [AuditRow.model_validate(row, from_attributes=True) for row in rows]
            write(session, actor, Action.AUDIT.value, Outcome.ALLOWED, record_id=case, request_id=request_id)
        return AuditPage(entries=entries, total=total, page=page, page_size=page_size)
