"""Stored alerts: the timeline alerts of :func:`metastasis.assess.case.assess_case`, kept per record with a state.

States: ``new`` -> ``acknowledged`` (by whom, when) -> ``resolved`` (when the alert no longer fires). An
acknowledged alert stays quiet while its evidence is unchanged; when its evidence fingerprint changes (other
dates, records or values), or it fires again after being resolved, it is ``new`` again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from metastasis.domain import Case
from metastasis.store._time import utcnow
from metastasis.store.access import Action, Principal
from metastasis.store.audit import Outcome
from metastasis.store.models import Record, StoredAlert

if TYPE_CHECKING:
    from metastasis.assess.case import Alert
    from metastasis.store.core import Store


class AlertState(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class AlertSnapshot(BaseModel):
    """An alert as it fires on one version: its id, what it is about, and the fingerprint of its evidence."""

    alert_id: str
    condition: str | None
    severity: str
    title: str
    fingerprint: str


class AlertView(BaseModel):
    """A stored alert as read back."""

    alert_id: str
    condition: str | None
    severity: str
    title: str
    state: AlertState
    first_version: int
    last_version: int
    acknowledged_by: int | None
    acknowledged_at: dt.datetime | None
    resolved_at: dt.datetime | None


class DueRecord(BaseModel):
    """A record with new alerts (for ``metastasis alerts due``)."""

    record_id: int
    owner_id: int
    new_alerts: int
    highest_severity: str


SEVERITY_ORDER: tuple[str, ...] = ("emergency", "high", "moderate", "low", "info")
"""Severities from most to least urgent (values of :class:`metastasis.assess.case.AlertSeverity`)."""


def fingerprint(alert: Alert) -> str:
    """SHA-256 of an alert's evidence: its id, dates, record paths and values.

    Parameters
    ----------
    alert:
        An alert of a report.

    Returns
    -------
    str
        64 hex digits; equal for equal evidence.
    """
    evidence = {
        "id": alert.id,
        "dates": [d.isoformat() for d in alert.dates],
        "paths": list(alert.paths),
        "values": [[v.label, v.value, v.unit] for v in alert.values],
    }
    return hashlib.sha256(json.dumps(evidence, sort_keys=True, default=str).encode()).hexdigest()


def snapshots(case: Case) -> list[AlertSnapshot]:
    """The alerts that fire on ``case`` (runs the whole-case assessment)."""
    from metastasis.assess.case import assess_case

    return [
        AlertSnapshot(
            alert_id=a.id[:200],
            condition=a.condition,
            severity=a.severity.value,
            title=a.title[:300],
            fingerprint=fingerprint(a),
        )
        for a in assess_case(case).alerts
    ]


def apply(session: Session, record_id: int, version: int, fired: list[AlertSnapshot]) -> None:
    """Move the record's stored alerts to what fires on ``version`` (inside the writing transaction)."""
    now = utcnow()
    stored = {a.alert_id: a for a in session.scalars(select(StoredAlert).where(StoredAlert.record_id == record_id))}
    for snap in fired:
        row = stored.pop(snap.alert_id, None)
        if row is None:
            session.add(
                StoredAlert(
                    record_id=record_id,
                    alert_id=snap.alert_id,
                    condition=snap.condition,
                    severity=snap.severity,
                    title=snap.title,
                    fingerprint=snap.fingerprint,
                    state=AlertState.NEW.value,
                    first_version=version,
                    last_version=version,
                )
            )
            continue
        changed = row.fingerprint != snap.fingerprint
        if row.state == AlertState.RESOLVED.value or (changed and row.state == AlertState.ACKNOWLEDGED.value):
            row.state = AlertState.NEW.value
            row.first_version = version
            row.acknowledged_by = row.acknowledged_at = row.resolved_at = None
        row.fingerprint, row.severity, row.title, row.condition = (
            snap.fingerprint,
            snap.severity,
            snap.title,
            snap.condition,
        )
        row.last_version = version
    for row in stored.values():
        if row.state != AlertState.RESOLVED.value:
            row.state = AlertState.RESOLVED.value
            row.resolved_at = now


def _view(row: StoredAlert) -> AlertView:
    return AlertView.model_validate(row, from_attributes=True)


class AlertService:
    """Reading and acknowledging a record's stored alerts; the records with new alerts."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def list(self, actor: Principal, record_id: int, *, request_id: str | None = None) -> list[AlertView]:
        """The record's alerts (every state), most urgent first.

        Raises
        ------
        RecordNotFound
            When there is no such record or ``actor`` may not read it (audited as denied).
        """
        from metastasis.store.records import guarded

        with guarded(self._store, actor, Action.READ, record_id, request_id, "alerts") as (session, record):
            rows = session.scalars(select(StoredAlert).where(StoredAlert.record_id == record.id)).all()
            views = [_view(r) for r in rows]
        rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        return sorted(views, key=lambda v: (v.state != AlertState.NEW, rank.get(v.severity, 99), v.alert_id))

    def acknowledge(
        self, actor: Principal, record_id: int, alert_id: str, *, request_id: str | None = None
    ) -> AlertView:
        """Acknowledge a new alert (an acknowledged or resolved one is returned unchanged).

        Raises
        ------
        RecordNotFound
            No such record, or ``actor`` may not acknowledge on it.
        InvalidInputError
            No alert ``alert_id`` on this record.
        """
        from metastasis.errors import InvalidInputError
        from metastasis.store.records import guarded

        with guarded(self._store, actor, Action.ACK, record_id, request_id, "ack") as (session, record):
            row = session.scalar(
                select(StoredAlert).where(StoredAlert.record_id == record.id, StoredAlert.alert_id == alert_id)
            )
            if row is None:
                raise InvalidInputError("alert_id", alert_id, "the id of an alert of this record")
            if row.state == AlertState.NEW.value:
                row.state = AlertState.ACKNOWLEDGED.value
                row.acknowledged_by = actor.user_id
                row.acknowledged_at = utcnow()
            return _view(row)

    def due(self) -> list[DueRecord]:
        """Records that have new alerts, with how many and the most urgent severity (for a cron job; no actor:
        it reveals record ids and counts only)."""
        rank = {s: i for i, s in enumerate(SEVERITY_ORDER)}
        query = (
            select(StoredAlert.record_id, Record.owner_id, StoredAlert.severity, func.count())
            .join(Record, Record.id == StoredAlert.record_id)
            .where(StoredAlert.state == AlertState.NEW.value, Record.erased_at.is_(None))
            .group_by(StoredAlert.record_id, Record.owner_id, StoredAlert.severity)
        )
        found: dict[int, DueRecord] = {}
        with self._store.read() as session:
            for record_id, owner_id, severity, count in session.execute(query):
                due = found.get(record_id)
                if due is None:
                    found[record_id] = DueRecord(
                        record_id=record_id, owner_id=owner_id, new_alerts=count, highest_severity=severity
                    )
                    continue
                due.new_alerts += count
                if rank.get(severity, 99) < rank.get(due.highest_severity, 99):
                    due.highest_severity = severity
        return [found[k] for k in sorted(found)]


__all__ = ["AlertService", "AlertSnapshot", "AlertState", "AlertView", "DueRecord", "Outcome", "apply", "snapshots"]
