"""Records: create, read, versions, optimistic updates, events, timeline, list, erase, export."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from metastasis.domain import CaseValidationError
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.store import AccessDenied, Principal, RecordNotFound, StaleVersionError, Store
from metastasis.store.models import AuditEntry, CaseVersion, Event, Record, StoredAlert

HYPER = load_example_case("hypercalcaemia")
EARLY = load_example_case("early-hr-positive")
CALCIUM = {"analyte": "calcium", "value": 3.4, "unit": "mmol/L", "date": "2024-06-20", "uln": 2.6}


def test_create_get_and_versions(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    created = store.records.create(doc, HYPER, reason="first visit")
    assert created.version == 1
    got = store.records.get(doc, created.record_id)
    assert got.version == 1 and got.current_version == 1
    assert got.case == HYPER
    assert got.reason == "first visit" and got.author_id == doc.user_id
    second = store.records.update(doc, created.record_id, EARLY, base_version=1, reason="corrected")
    assert second.version == 2
    assert store.records.get(doc, created.record_id).case == EARLY
    assert store.records.get(doc, created.record_id, version=1).case == HYPER  # old versions stay as they were
    assert [v.version for v in store.records.versions(doc, created.record_id)] == [1, 2]
    assert [v.reason for v in store.records.versions(doc, created.record_id)] == ["first visit", "corrected"]
    for number in (0, -1, 2**63, 10**30):  # beyond a 64-bit integer the driver would overflow
        with pytest.raises(RecordNotFound):
            store.records.get(doc, created.record_id, version=number)


def test_case_from_plain_data_and_bad_case(store: Store, people: dict[str, Principal]) -> None:
    created = store.records.create(people["doc"], {"schema_version": "1.0", "title": "plain"})
    assert store.records.get(people["doc"], created.record_id).case.title == "plain"
    with pytest.raises(CaseValidationError):
        store.records.create(people["doc"], {"schema_version": "1.0", "tumour": {"m": "cM9"}})
    with pytest.raises(InvalidInputError, match="reason"):
        store.records.create(people["doc"], HYPER, reason="")


def test_stale_update_is_refused_and_nothing_is_lost(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    store.records.update(doc, rid, EARLY, base_version=1)
    with pytest.raises(StaleVersionError) as caught:
        store.records.update(doc, rid, HYPER, base_version=1)
    assert caught.value.current == 2
    assert store.records.get(doc, rid).case == EARLY
    assert [v.version for v in store.records.versions(doc, rid)] == [1, 2]
    with pytest.raises(InvalidInputError, match="base_version"):
        store.records.update(doc, rid, HYPER, base_version=0)


def test_versions_cannot_be_duplicated(store: Store, people: dict[str, Principal]) -> None:
    rid = store.records.create(people["doc"], HYPER).record_id
    created = store.records.get(people["doc"], rid).created_at
    duplicate = CaseVersion(record_id=rid, version=1, case={}, author_id=None, created_at=created, reason="x")
    with store.write() as session:
        session.add(duplicate)
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
    assert store.records.get(people["doc"], rid).case == HYPER


def test_add_event_appends_to_the_case(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    result = store.records.add_event(doc, rid, "lab", CALCIUM, base_version=1)
    assert result.version == 2
    case = store.records.get(doc, rid).case
    assert len(case.labs) == len(HYPER.labs) + 1
    assert case.labs[-1].value == 3.4
    assert str(case.as_of) == "2024-06-20"  # moved forward to the newest data
    timeline = store.records.timeline(doc, rid)
    assert [(e.entry, e.version, e.kind) for e in timeline] == [
        ("version", 1, None),
        ("version", 2, None),
        ("event", 2, "lab"),
    ]
    assert timeline[1].reason == "added lab"
    with pytest.raises(StaleVersionError):
        store.records.add_event(doc, rid, "symptom", {"id": "fatigue"}, base_version=1)
    with pytest.raises(InvalidInputError, match="kind"):
        store.records.add_event(doc, rid, "horoscope", {})
    with pytest.raises(CaseValidationError, match=r"labs\[7\]"):
        store.records.add_event(doc, rid, "lab", {"analyte": "calcium"})
    assert store.records.get(doc, rid).version == 2


def test_list_counts_alerts_and_filters(store: Store, people: dict[str, Principal]) -> None:
    doc, other = people["doc"], people["other"]
    hyper = store.records.create(doc, HYPER).record_id
    early = store.records.create(doc, EARLY).record_id
    store.records.create(other, HYPER)
    page = store.records.list(doc)
    assert page.total == 2
    counts = {i.record_id: (i.new_alerts, i.acknowledged_alerts) for i in page.items}
    assert counts == {hyper: (2, 0), early: (0, 0)}
    assert [i.record_id for i in store.records.list(doc, alert_state="new").items] == [hyper]
    assert store.records.list(people["registrar"]).total == 3
    assert store.records.list(people["admin"], page_size=1).items[0].title == HYPER.title
    with pytest.raises(InvalidInputError, match="page_size"):
        store.records.list(doc, page_size=0)


def test_create_needs_clinician_or_admin(store: Store, people: dict[str, Principal]) -> None:
    with pytest.raises(AccessDenied):
        store.records.create(people["registrar"], HYPER)
    assert store.records.create(people["admin"], HYPER).version == 1


def test_erase_deletes_patient_data_and_keeps_a_tombstone(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    store.records.add_event(doc, rid, "symptom", {"id": "fatigue"})
    store.tokens.invite(doc, rid)
    store.records.erase(doc, rid)
    with store.read() as session:
        for table in (CaseVersion, Event, StoredAlert):
            assert session.scalars(select(table).where(table.record_id == rid)).all() == []
        record = session.get(Record, rid)
        assert record is not None and record.erased_at is not None
        actions = session.scalars(select(AuditEntry.action).where(AuditEntry.record_id == rid)).all()
        assert "erase" in actions
        # the audit trail itself holds no case content
        dump = " ".join(str(d) for d in session.scalars(select(AuditEntry.detail)).all())
        assert "calcium" not in dump.lower()
    for who in ("doc", "admin"):
        with pytest.raises(RecordNotFound):
            store.records.get(people[who], rid)
    assert store.records.list(doc).total == 0
    assert store.alerts.due() == []


def test_export_has_versions_events_and_audit(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    store.records.add_event(doc, rid, "symptom", {"id": "fatigue"})
    data = store.records.export(doc, rid)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert data["events"][0]["kind"] == "symptom"
    assert {"create", "event"} <= {a["action"] for a in data["audit"]}
    with pytest.raises(RecordNotFound):
        store.records.export(people["registrar"], rid)


def test_sqlite_pragmas(store: Store) -> None:
    if store.engine.dialect.name != "sqlite":
        pytest.skip("SQLite only")
    with store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 15000
