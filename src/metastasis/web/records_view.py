"""What a record page shows, read from the store for one caller: the current case with its summary, alerts,
timeline, events, versions, invitations, trial watches, the report, and which actions the caller may take.

Every read goes through the store's services, so each is checked against the caller's role and audited; a record
the caller may not see raises :class:`~metastasis.store.RecordNotFound`, answered 404 by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from metastasis.api.deps import get_store, request_id
from metastasis.store import Action, Principal, RecordRef, is_allowed
from metastasis.web.records_events import EventEntry

#: Most versions and events listed on a page (the newest); the export holds them all.
MAX_LISTED = 200
#: The actions whose controls a record page shows only to callers allowed to take them.
SHOWN_ACTIONS = (Action.UPDATE, Action.ACK, Action.INVITE, Action.EXPORT, Action.ERASE)


@dataclass
class RecordPageData:
    """Everything a record page renders (see ``templates/records/record.html``)."""

    record: Any
    label: str
    alerts: list[Any]
    timeline: list[Any]
    versions: list[Any]
    authors: dict[int, str]
    may: dict[str, bool]
    invitations: list[Any] = field(default_factory=list)
    report_html: Any = None
    chart: Any = None
    entry: EventEntry | None = None
    hidden_entries: int = 0
    watches: list[Any] = field(default_factory=list)


def label_of(record: Any) -> str:
    """The record's label: the case's title, else its id, else "Record N"."""
    case = record.case
    return case.title or case.id or f"Record {record.record_id}"


def load(request: Request, principal: Principal, record_id: int, *, entry: EventEntry | None = None) -> RecordPageData:
    """Read a record page's data for ``principal`` (audited reads; :class:`RecordNotFound` when not visible)."""
    from metastasis import assess_case
    from metastasis.report.render import render_html_body
    from metastasis.web.records_chart import timeline_chart

    store, rid = get_store(request), request_id(request)
    record = store.records.get(principal, record_id, request_id=rid)
    ref = RecordRef(id=record.record_id, owner_id=record.owner_id)
    may = {a.value: is_allowed(principal, a, ref) for a in SHOWN_ACTIONS}
    invitations = []
    if may[Action.INVITE.value]:
        invitations = [
            t
            for t in store.tokens.list_tokens(principal)
            if t.kind == "invitation" and t.record_id == record.record_id and t.revoked_at is None and t.used_at is None
        ]
    timeline = store.records.timeline(principal, record_id, request_id=rid)
    versions = store.records.versions(principal, record_id, request_id=rid)
    return RecordPageData(
        record=record,
        label=label_of(record),
        alerts=store.alerts.list(principal, record_id, request_id=rid),
        timeline=timeline[-MAX_LISTED:],
        versions=versions[-MAX_LISTED:],
        authors={u.id: u.email for u in store.accounts.list_users()},
        may=may,
        invitations=invitations,
        report_html=render_html_body(assess_case(record.case), audience="clinician", heading_level=2),
        chart=timeline_chart(record.case, f"record-{record.record_id}-timeline"),
        entry=entry,
        hidden_entries=max(0, len(timeline) - MAX_LISTED),
        watches=store.watches.list(principal, record_id, request_id=rid),
    )


def key_facts(record: Any) -> list[tuple[str, str]]:
    """The few facts shown first: as-of date, subtype markers, metastatic sites, counts of what the case holds."""
    case = record.case
    facts = []
    if case.as_of:
        facts.append(("As of", str(case.as_of)))
    if case.dates.metastasis:
        facts.append(("Metastasis diagnosed", str(case.dates.metastasis)))
    sites = ", ".join(dict.fromkeys(s.site.replace("_", " ") for s in case.metastatic_sites))
    facts.append(("Metastatic sites", sites or "none recorded"))
    facts.append(("Bone lesions", str(len(case.bone_lesions))))
    facts.append(("Results, symptoms, treatments", f"{len(case.labs)}, {len(case.symptoms)}, {len(case.treatments)}"))
    return facts
