"""Stored alerts: the timeline alerts of :func:`metastasis.assess.case.assess_case`, kept per record with a state,
and the "new trial match" alerts of trial watches (``kind`` ``timeline`` or ``trial``).

States: ``new`` -> ``acknowledged`` (by whom, when) -> ``resolved`` (when the alert no longer fires). An
acknowledged alert stays quiet while its evidence is unchanged; when its evidence fingerprint changes (other
dates, records or values), or it fires again after being resolved, it is ``new`` again.

A trial alert (id ``trial_match:<NCT id>``) fires while the study is ``eligible`` or ``possibly_eligible`` for the
record's current case within a watch's filters; its fingerprint is the NCT id, the study's version and the match
status, so an acknowledgement holds until the study or the match changes. The timeline recomputation of a new
version leaves trial alerts alone, then re-matches the record's watches (:mod:`metastasis.store.watches`).
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


TIMELINE = "timeline"
TRIAL = "trial"
TRIAL_PREFIX = "trial_match:"
TRIAL_SEVERITY = "info"
"""A trial match is news, not a clinical emergency: it sorts after every timeline alert."""
TRIAL_CONDITION = "clinical_trial"


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


class TrialSnapshot(BaseModel):
    """A study that is a match for a record now (eligible or possibly eligible), for a trial alert."""

    nct_id: str
    title: str
    status: str
    fingerprint: str


class AlertView(BaseModel):
    """A stored alert as read back. ``kind`` is ``timeline`` or ``trial``; ``nct_id`` names a trial alert's study."""

    alert_id: str
    kind: str = TIMELINE
    nct_id: str | None = None
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
    new_trial_matches: int = 0
    """How many of the new alerts are "new trial match" alerts."""


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


def trial_fingerprint(nct_id: str, study_version: str | None, version_hash: str, status: str) -> str:
    """SHA-256 of what a trial alert says: the study, its version (date and content hash) and the match status.

    Example
    -------
    >>> a = trial_fingerprint("NCT00000001", "2025-01-01", "ab", "eligible")
    >>> a == trial_fingerprint("NCT00000001", "2025-01-01", "ab", "possibly_eligible")
    False
    """
    evidence = {"nct_id": nct_id, "version": study_version, "hash": version_hash, "status": status}
    return hashlib.sha256(json.dumps(evidence, sort_keys=True).encode()).hexdigest()


def trial_alert_id(nct_id: str) -> str:
    """The alert id of a study's trial alert on a record."""
    return TRIAL_PREFIX + nct_id


def trial_title(title: str, status: str) -> str:
    """The alert's title: the match result in words and the study's title."""
    words = "eligible" if status == "eligible" else "possibly eligible"
    return f"New trial match ({words}): {title}"[:300]


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
    stored = {
        a.alert_id: a
        for a in session.scalars(
            select(StoredAlert).where(StoredAlert.record_id == record_id, StoredAlert.kind != TRIAL)
        )
    }
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
    from metastasis.store.watches import rematch_record

    rematch_record(session, record_id, version)


def apply_trials(
    session: Session, record_id: int, version: int, results: dict[str, TrialSnapshot | None]
) -> tuple[int, int]:
    """Move the record's trial alerts to ``results`` (inside the writing transaction).

    Parameters
    ----------
    results:
        By NCT id: the match when the study is a match now, ``None`` when it is not (not eligible, or outside
        every watch's filters). Studies not named are left as they are.

    Returns
    -------
    tuple[int, int]
        How many alerts became ``new`` and how many were resolved.
    """
    if not results:
        return 0, 0
    now = utcnow()
    ids = [trial_alert_id(n) for n in results]
    stored: dict[str, StoredAlert] = {}
    for start in range(0, len(ids), 500):
        query = select(StoredAlert).where(
            StoredAlert.record_id == record_id, StoredAlert.alert_id.in_(ids[start : start + 500])
        )
        stored.update((a.alert_id, a) for a in session.scalars(query))
    raised = resolved = 0
    for nct_id, snap in results.items():
        row = stored.get(trial_alert_id(nct_id))
        if snap is None:
            if row is not None and row.state != AlertState.RESOLVED.value:
                row.state, row.resolved_at = AlertState.RESOLVED.value, now
                row.last_version = version
                resolved += 1
            continue
        title = trial_title(snap.title, snap.status)
        if row is None:
            session.add(
                StoredAlert(
                    record_id=record_id,
                    alert_id=trial_alert_id(nct_id),
                    kind=TRIAL,
                    condition=TRIAL_CONDITION,
                    severity=TRIAL_SEVERITY,
                    title=title,
                    fingerprint=snap.fingerprint,
                    state=AlertState.NEW.value,
                    first_version=version,
                    last_version=version,
                )
            )
            raised += 1
            continue
        changed = row.fingerprint != snap.fingerprint
        if row.state == AlertState.RESOLVED.value or (changed and row.state == AlertState.ACKNOWLEDGED.value):
            row.state = AlertState.NEW.value
            row.first_version = version
            row.acknowledged_by = row.acknowledged_at = row.resolved_at = None
            raised += 1
        row.fingerprint, row.title, row.last_version = snap.fingerprint, title, version
    return raised, resolved


def resolve_trials(session: Session, record_id: int, version: int) -> int:
    """Resolve every open trial alert of a record (its last watch was removed); how many were resolved."""
    rows = session.scalars(
        select(StoredAlert).where(
            StoredAlert.record_id == record_id,
            StoredAlert.kind == TRIAL,
            StoredAlert.state != AlertState.RESOLVED.value,
        )
    ).all()
    now = utcnow()
    for row in rows:
        row.state, row.resolved_at, row.last_version = AlertState.RESOLVED.value, now, version
    return len(rows)


def _view(row: StoredAlert) -> AlertView:
    view = AlertView.model_validate(row, from_attributes=True)
    if row.kind == TRIAL and row.alert_id.startswith(TRIAL_PREFIX):
        view.nct_id = row.alert_id.removeprefix(TRIAL_PREFIX)
    return view


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
            select(StoredAlert.record_id, Record.owner_id, StoredAlert.severity, StoredAlert.kind, func.count())
            .join(Record, Record.id == StoredAlert.record_id)
            .where(StoredAlert.state == AlertState.NEW.value, Record.erased_at.is_(None))
            .group_by(StoredAlert.record_id, Record.owner_id, StoredAlert.severity, StoredAlert.kind)
        )
        found: dict[int, DueRecord] = {}
        with self._store.read() as session:
            for record_id, owner_id, severity, kind, count in session.execute(query):
                trials = count if kind == TRIAL else 0
                due = found.get(record_id)
                if due is None:
                    found[record_id] = DueRecord(
                        record_id=record_id,
                        owner_id=owner_id,
                        new_alerts=count,
                        highest_severity=severity,
                        new_trial_matches=trials,
                    )
                    continue
                due.new_alerts += count
                due.new_trial_matches += trials
                if rank.get(severity, 99) < rank.get(due.highest_severity, 99):
                    due.highest_severity = severity
        return [found[k] for k in sorted(found)]


__all__ = [
    "AlertService",
    "AlertSnapshot",
    "AlertState",
    "AlertView",
    "DueRecord",
    "Outcome",
    "TrialSnapshot",
    "apply",
    "apply_trials",
    "resolve_trials",
    "snapshots",
    "trial_fingerprint",
]
