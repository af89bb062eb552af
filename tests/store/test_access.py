"""The access policy: the exhaustive matrix of role x action x own/foreign record, and the services enforcing it
with an audit row for every allowed and denied call."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from metastasis.examples.cases import load_example_case
from metastasis.store import AccessDenied, Action, Principal, RecordNotFound, RecordRef, Role, Store, is_allowed
from metastasis.store.models import AuditEntry
from tests.store.conftest import patient_of

ME = 7
OWN = RecordRef(id=1, owner_id=ME)
FOREIGN = RecordRef(id=2, owner_id=99)

# Expected policy, typed from docs/store.md's roles table: the actions allowed on an own and on a foreign record.
EXPECTED: dict[Role, tuple[set[str], set[str]]] = {
    Role.ADMIN: (
        {"read", "update", "ack", "report", "invite", "export", "erase", "audit", "create"},
        {"read", "update", "ack", "report", "invite", "export", "erase", "audit", "create"},
    ),
    Role.CLINICIAN: ({"read", "update", "ack", "report", "invite", "export", "erase"}, set()),
    Role.REGISTRAR: ({"read", "report"}, {"read", "report"}),
    Role.PATIENT: ({"read", "report"}, set()),
}
WITHOUT_RECORD: dict[Role, set[str]] = {
    Role.ADMIN: {"create", "audit"},
    Role.CLINICIAN: {"create"},
    Role.REGISTRAR: set(),
    Role.PATIENT: set(),
}


def _principal(role: Role) -> Principal:
    if role is Role.PATIENT:
        return Principal(role=role, record_id=OWN.id)
    return Principal(role=role, user_id=ME, email="me@example.org")


@pytest.mark.parametrize(("role", "action", "where"), list(itertools.product(Role, Action, ("own", "foreign", "none"))))
def test_policy_matrix(role: Role, action: Action, where: str) -> None:
    record = {"own": OWN, "foreign": FOREIGN, "none": None}[where]
    if where == "none":
        expected = action.value in WITHOUT_RECORD[role]
    else:
        own, foreign = EXPECTED[role]
        expected = action.value in (own if where == "own" else foreign)
        if action in (Action.CREATE, Action.AUDIT) and role is not Role.ADMIN:
            expected = action.value in WITHOUT_RECORD[role]
    assert is_allowed(_principal(role), action, record) is expected


def test_principal_without_user_id_owns_nothing() -> None:
    assert not is_allowed(Principal(role=Role.CLINICIAN), Action.READ, RecordRef(id=1, owner_id=0))
    assert not is_allowed(Principal(role=Role.PATIENT), Action.READ, OWN)


HYPER = load_example_case("hypercalcaemia")
CALLS: dict[str, Callable[[Store, Principal, int], Any]] = {
    "read": lambda s, p, r: s.records.get(p, r, request_id="req-1"),
    "versions": lambda s, p, r: s.records.versions(p, r, request_id="req-1"),
    "timeline": lambda s, p, r: s.records.timeline(p, r, request_id="req-1"),
    "alerts": lambda s, p, r: s.alerts.list(p, r, request_id="req-1"),
    "update": lambda s, p, r: s.records.update(
        p, r, HYPER, base_version=s.records.get(Principal(Role.ADMIN, user_id=0), r).version, request_id="req-1"
    ),
    "event": lambda s, p, r: s.records.add_event(p, r, "symptom", {"id": "fatigue"}, request_id="req-1"),
    "ack": lambda s, p, r: s.alerts.acknowledge(p, r, "bta_not_started", request_id="req-1"),
    "invite": lambda s, p, r: s.tokens.invite(p, r, request_id="req-1"),
    "export": lambda s, p, r: s.records.export(p, r, request_id="req-1"),
    "erase": lambda s, p, r: s.records.erase(p, r, request_id="req-1"),
}
ALLOWED_CALLS: dict[str, set[str]] = {
    "admin": set(CALLS),
    "owner": set(CALLS),
    "other clinician": set(),
    "registrar": {"read", "versions", "timeline", "alerts"},
    "patient": {"read", "versions", "timeline", "alerts"},
    "other patient": set(),
}


def _audit_rows(store: Store, rid: int) -> list[tuple[str, str]]:
    with store.read() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.outcome, AuditEntry.request_id)
            .where(AuditEntry.record_id == rid, AuditEntry.request_id == "req-1")
            .order_by(AuditEntry.id)
        ).all()
    return [(a, o) for a, o, _ in rows]


@pytest.mark.parametrize("who", list(ALLOWED_CALLS))
def test_services_enforce_policy_and_audit(store: Store, people: dict[str, Principal], who: str) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, HYPER).record_id
    elsewhere = store.records.create(doc, HYPER).record_id
    callers = {
        "admin": people["admin"],
        "owner": doc,
        "other clinician": people["other"],
        "registrar": people["registrar"],
        "patient": patient_of(store, doc, rid),
        "other patient": patient_of(store, doc, elsewhere),
    }
    actor = callers[who]
    expected_audit: list[str] = []
    for name, call in CALLS.items():
        if name in ALLOWED_CALLS[who]:
            call(store, actor, rid)
            expected_audit.append("allowed")
        else:
            with pytest.raises(RecordNotFound) as caught:
                call(store, actor, rid)
            assert str(caught.value) == f"no case record {rid}"  # same as a missing record
            expected_audit.append("denied")
    assert [o for _, o in _audit_rows(store, rid)] == expected_audit


def test_missing_and_forbidden_look_the_same(store: Store, people: dict[str, Principal]) -> None:
    rid = store.records.create(people["doc"], HYPER).record_id
    with pytest.raises(RecordNotFound) as forbidden:
        store.records.get(people["other"], rid)
    with pytest.raises(RecordNotFound) as missing:
        store.records.get(people["other"], rid + 1000)
    assert type(forbidden.value) is type(missing.value)
    for odd in (0, -1, 2**31, 10**30):  # out of the id range: not found, never a database error
        with pytest.raises(RecordNotFound):
            store.records.get(people["other"], odd)
        with pytest.raises(RecordNotFound):
            store.records.add_event(people["doc"], odd, "symptom", {"id": "fatigue"})
    assert str(forbidden.value).replace(str(rid), "N") == str(missing.value).replace(str(rid + 1000), "N")


def test_audit_query_is_admin_only_and_filters(store: Store, people: dict[str, Principal]) -> None:
    rid = store.records.create(people["doc"], HYPER, request_id="r-create").record_id
    with pytest.raises(RecordNotFound):
        store.records.get(people["other"], rid, request_id="r-denied")
    with pytest.raises(AccessDenied):
        store.audit.query(people["doc"])
    page = store.audit.query(people["admin"], case=rid)
    assert [(e.email, e.action, e.outcome, e.request_id) for e in page.entries] == [
        ("other@example.org", "read", "denied", "r-denied"),
        ("doc@example.org", "create", "allowed", "r-create"),
    ]
    by_user = store.audit.query(people["admin"], user="OTHER@example.org")
    assert {e.action for e in by_user.entries} >= {"read", "login"}
    small = store.audit.query(people["admin"], page=2, page_size=1)
    assert small.total > 2 and len(small.entries) == 1
    with store.read() as session:
        denied_audit = session.scalar(
            select(func.count()).where(AuditEntry.action == "audit", AuditEntry.outcome == "denied")
        )
    assert denied_audit == 1
