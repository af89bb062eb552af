"""Records: create, read, update with optimistic concurrency, append events, timeline, list, erase, export.

Every version is immutable. An update names the version it was based on; the store moves the record from that
version to the next with a compare-and-swap (``UPDATE records SET current_version = n + 1 WHERE id = ? AND
current_version = n``) and inserts the version under ``UNIQUE(record_id, version)`` in the same transaction, so two
writers can never both succeed from the same base and a failed write leaves the previous version current.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel
from sqlalchemy import and_, delete, false, func, select, update
from sqlalchemy.orm import Session

from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.store import alerts as alert_store
from metastasis.store import audit
from metastasis.store._time import utcnow
from metastasis.store.access import Action, Principal, RecordRef, Role, is_allowed
from metastasis.store.audit import Outcome
from metastasis.store.core import Store
from metastasis.store.errors import AccessDenied, RecordNotFound, StaleVersionError
from metastasis.store.events import append_event, case_data, to_case
from metastasis.store.models import AuditEntry, CaseVersion, Credential, Event, Record, StoredAlert, TrialWatch

MAX_REASON = 200
MAX_RECORD_ID = 2**31 - 1
"""Record ids and version numbers are 32-bit integers: a larger one is simply not found (not a database error)."""
MAX_PAGE_SIZE = 200
EVENT_RETRIES = 5
"""How often :meth:`RecordService.add_event` retries, without a base version, when another writer got in first."""


class VersionInfo(BaseModel):
    """Where a write left the record."""

    record_id: int
    version: int


class VersionMeta(BaseModel):
    """One version's facts, without its case."""

    version: int
    author_id: int | None
    created_at: dt.datetime
    reason: str


class RecordVersion(VersionMeta):
    """One version of a record with its case."""

    record_id: int
    current_version: int
    owner_id: int
    case: Case


class TimelineEntry(BaseModel):
    """A version or an event, in time order."""

    at: dt.datetime
    version: int
    entry: str  # "version" or "event"
    kind: str | None = None
    reason: str | None = None
    payload: dict[str, Any] | None = None
    author_id: int | None = None


class ListedRecord(BaseModel):
    """A record in a list: its title (from the case) and alert counts."""

    record_id: int
    owner_id: int
    current_version: int
    updated_at: dt.datetime
    title: str | None
    new_alerts: int
    acknowledged_alerts: int


class RecordPage(BaseModel):
    items: list[ListedRecord]
    total: int
    page: int
    page_size: int


class _Denied(Exception):
    def __init__(self, why: str) -> None:
        self.why = why


def _audit_alone(
    store: Store,
    actor: Principal,
    action: str,
    outcome: Outcome,
    record_id: int | None,
    request_id: str | None,
    *,
    version: int | None = None,
    detail: str | None = None,
) -> None:
    with store.write() as session:
        audit.write(
            session, actor, action, outcome, record_id=record_id, version=version, request_id=request_id, detail=detail
        )


@contextlib.contextmanager
def guarded(
    store: Store,
    actor: Principal,
    action: Action,
    record_id: int,
    request_id: str | None,
    audit_action: str | None = None,
    *,
    writes: bool = True,
) -> Iterator[tuple[Session, Record]]:
    """A transaction on one record that ``actor`` may act on, audited whatever happens.

    A missing, erased or forbidden record raises :class:`RecordNotFound` (audited as denied); any other error is
    audited as an error and raised; success is audited as allowed with the record's version at the end.
    """
    name = audit_action or action.value
    if not isinstance(record_id, int) or isinstance(record_id, bool):
        raise InvalidInputError("record_id", record_id, "a whole number")
    version: int | None = None
    try:
        if not 0 < record_id <= MAX_RECORD_ID:
            raise _Denied("no such record")
        with store.write() if writes else store.read() as session:
            record = session.get(Record, record_id)
            if record is None or record.erased_at is not None:
                raise _Denied("no such record")
            if not is_allowed(actor, action, RecordRef(id=record.id, owner_id=record.owner_id)):
                raise _Denied("not permitted")
            yield session, record
            version = record.current_version
            if writes:
                audit.write(
                    session, actor, name, Outcome.ALLOWED, record_id=record_id, version=version, request_id=request_id
                )
    except _Denied as exc:
        _audit_alone(store, actor, name, Outcome.DENIED, record_id, request_id, detail=exc.why)
        raise RecordNotFound(record_id) from None
    except StaleVersionError as exc:
        _audit_alone(store, actor, name, Outcome.ERROR, record_id, request_id, version=exc.current, detail="stale")
        raise
    except Exception as exc:
        _audit_alone(store, actor, name, Outcome.ERROR, record_id, request_id, detail=type(exc).__name__)
        raise
    if not writes:
        _audit_alone(store, actor, name, Outcome.ALLOWED, record_id, request_id, version=version)


def _reason(reason: Any) -> str:
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON:
        raise InvalidInputError("reason", reason, f"a short text of 1 to {MAX_REASON} characters")
    return reason.strip()


def _next_version(
    session: Session,
    record: Record,
    base: int,
    data: dict[str, Any],
    actor: Principal,
    reason: str,
    fired: list[alert_store.AlertSnapshot],
) -> int:
    """Compare-and-swap the record from ``base`` to ``base + 1`` and write that version and its alerts."""
    now = utcnow()
    moved = session.execute(
        update(Record)
        .where(Record.id == record.id, Record.current_version == base)
        .values(current_version=base + 1, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:
        current = session.scalar(select(Record.current_version).where(Record.id == record.id))
        raise StaleVersionError(record.id, base, current or 0)
    session.expire(record)
    session.add(
        CaseVersion(
            record_id=record.id, version=base + 1, case=data, author_id=actor.user_id, created_at=now, reason=reason
        )
    )
    session.flush()
    alert_store.apply(session, record.id, base + 1, fired)
    return base + 1


class RecordService:
    """Patient records over time (see the module docstring for the concurrency rule)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def create(
        self,
        actor: Principal,
        case: Case | Mapping[str, Any],
        *,
        reason: str = "created",
        request_id: str | None = None,
    ) -> VersionInfo:
        """A new record owned by ``actor`` whose version 1 is ``case``.

        Parameters
        ----------
        actor:
            A clinician or an admin (else :class:`AccessDenied`).
        case:
            The case file (validated; a bad one raises :class:`~metastasis.domain.CaseValidationError`).
        reason:
            Why (1-200 characters).
        request_id:
            Recorded in the audit trail.

        Returns
        -------
        VersionInfo
            The new record id and version 1.
        """
        if not is_allowed(actor, Action.CREATE, None) or actor.user_id is None:
            _audit_alone(self._store, actor, Action.CREATE.value, Outcome.DENIED, None, request_id)
            raise AccessDenied("only a clinician or an admin may create a record")
        why = _reason(reason)
        valid = to_case(case)
        fired = alert_store.snapshots(valid)
        now = utcnow()
        with self._store.write() as session:
            record = Record(owner_id=actor.user_id, current_version=1, created_at=now, updated_at=now)
            session.add(record)
            session.flush()
            session.add(
                CaseVersion(
                    record_id=record.id,
                    version=1,
                    case=case_data(valid),
                    author_id=actor.user_id,
                    created_at=now,
                    reason=why,
                )
            )
            alert_store.apply(session, record.id, 1, fired)
            audit.write(
                session,
                actor,
                Action.CREATE.value,
                Outcome.ALLOWED,
                record_id=record.id,
                version=1,
                request_id=request_id,
            )
            return VersionInfo(record_id=record.id, version=1)

    def get(
        self, actor: Principal, record_id: int, *, version: int | None = None, request_id: str | None = None
    ) -> RecordVersion:
        """The current version of a record (or the given older one), with its case.

        Raises
        ------
        RecordNotFound
            No such record or version, or one ``actor`` may not read.
        """
        with guarded(self._store, actor, Action.READ, record_id, request_id, writes=False) as (session, record):
            wanted = record.current_version if version is None else version
            if not isinstance(wanted, int) or not 0 < wanted <= MAX_RECORD_ID:  # no 64-bit overflow in the query
                raise RecordNotFound(record_id)
            row = session.scalar(
                select(CaseVersion).where(CaseVersion.record_id == record.id, CaseVersion.version == wanted)
            )
            if row is None:
                raise RecordNotFound(record_id)
            return RecordVersion(
                record_id=record.id,
                current_version=record.current_version,
                owner_id=record.owner_id,
                version=row.version,
                author_id=row.author_id,
                created_at=row.created_at,
                reason=row.reason,
                case=Case.model_validate(row.case),
            )

    def versions(self, actor: Principal, record_id: int, *, request_id: str | None = None) -> list[VersionMeta]:
        """Every version of a record, oldest first (without the cases)."""
        with guarded(self._store, actor, Action.READ, record_id, request_id, "versions", writes=False) as (
            session,
            record,
        ):
            rows = session.execute(
                select(CaseVersion.version, CaseVersion.author_id, CaseVersion.created_at, CaseVersion.reason)
                .where(CaseVersion.record_id == record.id)
                .order_by(CaseVersion.version)
            ).all()
            return [VersionMeta(version=v, author_id=a, created_at=c, reason=r) for v, a, c, r in rows]

    def _current_data(
        self, actor: Principal, action: Action, record_id: int, request_id: str | None, audit_action: str
    ) -> tuple[int, dict[str, Any]]:
        """The current version and case data, after the access check (no audit row: the write that follows
        audits)."""
        with self._store.read() as session:
            valid_id = isinstance(record_id, int) and 0 < record_id <= MAX_RECORD_ID
            record = session.get(Record, record_id) if valid_id else None
            if (
                record is None
                or record.erased_at is not None
                or not is_allowed(actor, action, RecordRef(id=record.id, owner_id=record.owner_id))
            ):
                _audit_alone(
                    self._store, actor, audit_action, Outcome.DENIED, record_id, request_id, detail="not visible"
                )
                raise RecordNotFound(record_id)
            data = session.scalar(
                select(CaseVersion.case).where(
                    CaseVersion.record_id == record.id, CaseVersion.version == record.current_version
                )
            )
            return record.current_version, dict(data or {})

    def update(
        self,
        actor: Principal,
        record_id: int,
        case: Case | Mapping[str, Any],
        *,
        base_version: int,
        reason: str = "updated",
        request_id: str | None = None,
    ) -> VersionInfo:
        """Write ``case`` as the next version, if ``base_version`` is still current.

        Raises
        ------
        StaleVersionError
            Another write got in first; ``current`` says which version is current. Nothing was written.
        RecordNotFound
            No such record, or ``actor`` may not update it.
        """
        if not isinstance(base_version, int) or isinstance(base_version, bool) or base_version < 1:
            raise InvalidInputError("base_version", base_version, "the version number the change was based on")
        why = _reason(reason)
        valid = to_case(case)
        fired = alert_store.snapshots(valid)
        with guarded(self._store, actor, Action.UPDATE, record_id, request_id) as (session, record):
            version = _next_version(session, record, base_version, case_data(valid), actor, why, fired)
        return VersionInfo(record_id=record_id, version=version)

    def add_event(
        self,
        actor: Principal,
        record_id: int,
        kind: str,
        payload: Mapping[str, Any],
        *,
        base_version: int | None = None,
        request_id: str | None = None,
    ) -> VersionInfo:
        """Append one event to the case (see :data:`metastasis.store.events.EVENT_KINDS`) as a new version.

        With ``base_version`` the write is refused (:class:`StaleVersionError`) unless that version is current;
        without it the event goes onto whatever version is current (retried if another writer got in first).
        """
        for attempt in range(EVENT_RETRIES):
            current, data = self._current_data(actor, Action.UPDATE, record_id, request_id, "event")
            if base_version is not None and base_version != current:
                _audit_alone(
                    self._store, actor, "event", Outcome.ERROR, record_id, request_id, version=current, detail="stale"
                )
                raise StaleVersionError(record_id, base_version, current)
            new_case, event = append_event(data, kind, payload)
            fired = alert_store.snapshots(new_case)
            try:
                with guarded(self._store, actor, Action.UPDATE, record_id, request_id, "event") as (session, record):
                    version = _next_version(
                        session, record, current, case_data(new_case), actor, f"added {kind}", fired
                    )
                    session.add(
                        Event(
                            record_id=record.id,
                            version=version,
                            kind=kind,
                            payload=event,
                            author_id=actor.user_id,
                            created_at=utcnow(),
                        )
                    )
                return VersionInfo(record_id=record_id, version=version)
            except StaleVersionError:
                if base_version is not None or attempt == EVENT_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def timeline(self, actor: Principal, record_id: int, *, request_id: str | None = None) -> list[TimelineEntry]:
        """The record's versions and events in time order (an event comes right after the version it made)."""
        with guarded(self._store, actor, Action.READ, record_id, request_id, "timeline", writes=False) as (
            session,
            record,
        ):
            versions = session.execute(
                select(CaseVersion.version, CaseVersion.created_at, CaseVersion.reason, CaseVersion.author_id).where(
                    CaseVersion.record_id == record.id
                )
            ).all()
            events = session.scalars(select(Event).where(Event.record_id == record.id)).all()
            entries = [
                TimelineEntry(at=at, version=v, entry="version", reason=r, author_id=a) for v, at, r, a in versions
            ] + [
                TimelineEntry(
                    at=e.created_at,
                    version=e.version,
                    entry="event",
                    kind=e.kind,
                    payload=e.payload,
                    author_id=e.author_id,
                )
                for e in events
            ]
        return sorted(entries, key=lambda e: (e.version, e.entry == "event", e.at))

    def list(
        self,
        actor: Principal,
        *,
        page: int = 1,
        page_size: int = 50,
        alert_state: str | None = None,
        request_id: str | None = None,
    ) -> RecordPage:
        """The records ``actor`` may read, most recently changed first, with their alert counts.

        Parameters
        ----------
        alert_state:
            ``"new"``: only records with new alerts; ``"acknowledged"``: only records with acknowledged alerts.
        """
        if page < 1:
            raise InvalidInputError("page", page, "a whole number >= 1")
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise InvalidInputError("page_size", page_size, f"a whole number from 1 to {MAX_PAGE_SIZE}")
        if alert_state not in (None, "new", "acknowledged"):
            raise InvalidInputError("alert_state", alert_state, ["new", "acknowledged"])
        query = select(Record.id).where(Record.erased_at.is_(None))
        if actor.role is Role.CLINICIAN:
            query = query.where(Record.owner_id == actor.user_id)
        elif actor.role is Role.PATIENT:
            query = query.where(Record.id == actor.record_id)
        elif actor.role is not Role.ADMIN and actor.role is not Role.REGISTRAR:
            query = query.where(false())
        if alert_state is not None:
            query = query.where(
                select(StoredAlert.id)
                .where(StoredAlert.record_id == Record.id, StoredAlert.state == alert_state)
                .exists()
            )
        with self._store.read() as session:
            total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
            ids = list(
                session.scalars(
                    query.order_by(Record.updated_at.desc(), Record.id.desc())
                    .offset((page - 1) * page_size)
                    .limit(page_size)
                )
            )
            records = {r.id: r for r in session.scalars(select(Record).where(Record.id.in_(ids)))}
            counts: dict[tuple[int, str], int] = {
                (rid, state): n
                for rid, state, n in session.execute(
                    select(StoredAlert.record_id, StoredAlert.state, func.count())
                    .where(StoredAlert.record_id.in_(ids), StoredAlert.state.in_(("new", "acknowledged")))
                    .group_by(StoredAlert.record_id, StoredAlert.state)
                )
            }
            titles = dict(
                session.execute(
                    select(CaseVersion.record_id, CaseVersion.case["title"].as_string())
                    .join(
                        Record,
                        and_(Record.id == CaseVersion.record_id, Record.current_version == CaseVersion.version),
                    )
                    .where(CaseVersion.record_id.in_(ids))
                ).all()
            )
        items = [
            ListedRecord(
                record_id=rid,
                owner_id=records[rid].owner_id,
                current_version=records[rid].current_version,
                updated_at=records[rid].updated_at,
                title=titles.get(rid),
                new_alerts=counts.get((rid, "new"), 0),
                acknowledged_alerts=counts.get((rid, "acknowledged"), 0),
            )
            for rid in ids
        ]
        _audit_alone(self._store, actor, "list", Outcome.ALLOWED, None, request_id, detail=f"{len(items)} records")
        return RecordPage(items=items, total=total, page=page, page_size=page_size)

    def erase(self, actor: Principal, record_id: int, *, request_id: str | None = None) -> None:
        """Right to erasure: delete every version, event, alert, invitation and trial watch of the record for good;
        the record row stays as a tombstone (no patient data) and the audit trail keeps the erasure."""
        with guarded(self._store, actor, Action.ERASE, record_id, request_id) as (session, record):
            for table in (CaseVersion, Event, StoredAlert, Credential, TrialWatch):
                session.execute(delete(table).where(table.record_id == record.id))
            record.erased_at = utcnow()

    def export(self, actor: Principal, record_id: int, *, request_id: str | None = None) -> dict[str, Any]:
        """Everything held about a record, for a data-access request: every version's case, the events and the
        audit entries about it (JSON-ready)."""
        with guarded(self._store, actor, Action.EXPORT, record_id, request_id, "export", writes=False) as (
            session,
            record,
        ):
            versions = session.scalars(
                select(CaseVersion).where(CaseVersion.record_id == record.id).order_by(CaseVersion.version)
            ).all()
            events = session.scalars(select(Event).where(Event.record_id == record.id).order_by(Event.id)).all()
            trail = session.scalars(
                select(AuditEntry).where(AuditEntry.record_id == record.id).order_by(AuditEntry.id)
            ).all()
            return {
                "record_id": record.id,
                "current_version": record.current_version,
                "created_at": record.created_at.isoformat(),
                "versions": [
                    {
                        "version": v.version,
                        "created_at": v.created_at.isoformat(),
                        "author_id": v.author_id,
                        "reason": v.reason,
                        "case": v.case,
                    }
                    for v in versions
                ],
                "events": [
                    {"version": e.version, "kind": e.kind, "payload": e.payload, "created_at": e.created_at.isoformat()}
                    for e in events
                ],
                "audit": [
                    audit.AuditRow.model_validate(a, from_attributes=True).model_dump(mode="json") for a in trail
                ],
            }
