"""Stored alerts: new, acknowledged, no re-fire on unchanged evidence, re-fire on changed evidence, resolved."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.store import Principal, RecordNotFound, Store
from metastasis.store.alerts import AlertState

HYPER = load_example_case("hypercalcaemia")
EARLY = load_example_case("early-hr-positive")
RED_FLAG = "red_flag:hypercalcaemia"
BTA = "bta_not_started"


def _states(store: Store, actor: Principal, rid: int) -> dict[str, AlertState]:
    return {a.alert_id: a.state for a in store.alerts.list(actor, rid)}


def test_alert_lifecycle(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    assert _states(store, doc, rid) == {RED_FLAG: AlertState.NEW, BTA: AlertState.NEW}
    assert [a.alert_id for a in store.alerts.list(doc, rid)] == [RED_FLAG, BTA]  # emergency first

    acked = store.alerts.acknowledge(doc, rid, RED_FLAG)
    assert acked.state is AlertState.ACKNOWLEDGED and acked.acknowledged_by == doc.user_id
    assert acked.acknowledged_at is not None

    # a review changes neither alert's evidence: the acknowledged alert stays quiet
    store.records.add_event(doc, rid, "review", {"kind": "dental", "date": "2024-06-01"})
    assert _states(store, doc, rid) == {RED_FLAG: AlertState.ACKNOWLEDGED, BTA: AlertState.NEW}

    # a new calcium result is new evidence: the alert fires again
    store.records.add_event(
        doc, rid, "lab", {"analyte": "calcium", "value": 3.3, "unit": "mmol/L", "date": "2024-06-04", "uln": 2.6}
    )
    states = store.alerts.list(doc, rid)
    red = next(a for a in states if a.alert_id == RED_FLAG)
    assert red.state is AlertState.NEW and red.acknowledged_by is None and red.first_version == 3

    # a case where nothing fires resolves both
    store.records.update(doc, rid, EARLY, base_version=3)
    assert _states(store, doc, rid) == {RED_FLAG: AlertState.RESOLVED, BTA: AlertState.RESOLVED}
    assert store.alerts.due() == []

    # and when they fire again they are new
    store.records.update(doc, rid, HYPER, base_version=4)
    assert _states(store, doc, rid) == {RED_FLAG: AlertState.NEW, BTA: AlertState.NEW}


def test_acknowledging_twice_keeps_first(store: Store, people: dict[str, Principal]) -> None:
    doc, admin = people["doc"], people["admin"]
    rid = store.records.create(doc, HYPER).record_id
    first = store.alerts.acknowledge(doc, rid, BTA)
    again = store.alerts.acknowledge(admin, rid, BTA)
    assert again.acknowledged_by == doc.user_id and again.acknowledged_at == first.acknowledged_at
    with pytest.raises(InvalidInputError, match="alert_id"):
        store.alerts.acknowledge(doc, rid, "no_such_alert")


def test_due_lists_records_with_new_alerts(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    hyper = store.records.create(doc, HYPER).record_id
    store.records.create(doc, EARLY)
    due = store.alerts.due()
    assert [(d.record_id, d.new_alerts, d.highest_severity) for d in due] == [(hyper, 2, "emergency")]
    store.alerts.acknowledge(doc, hyper, RED_FLAG)
    assert [(d.record_id, d.new_alerts, d.highest_severity) for d in store.alerts.due()] == [(hyper, 1, "high")]


def test_alerts_of_a_foreign_record_are_not_found(store: Store, people: dict[str, Principal]) -> None:
    rid = store.records.create(people["doc"], HYPER).record_id
    with pytest.raises(RecordNotFound):
        store.alerts.list(people["other"], rid)
    with pytest.raises(RecordNotFound):
        store.alerts.acknowledge(people["registrar"], rid, BTA)
