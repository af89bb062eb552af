"""Every case-store endpoint refuses the wrong caller (role x endpoint x own/foreign record), and every attempt
with a token, allowed or refused, leaves its audit row (found by the request id).

Callers: an admin; the clinician who owns record A ("owner"); another clinician ("foreign", who owns record B); a
registrar; a patient holding an invitation to A ("patient") and one holding an invitation to B ("patient_b"); and no
token at all ("anonymous"). Expected answers are typed from the access table of docs/store.md: a record the caller
may not see answers 404, exactly like a missing one; actions not about one record (creating, the audit trail)
answer 403; no token answers 401, before any patient data is looked at (so no audit row).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import pytest

from metastasis.examples.cases import load_example_case
from metastasis.store import Principal, Store
from tests.api_store.conftest import audit_rows, caller_headers

READERS = frozenset({"admin", "owner", "registrar", "patient"})
OWNERS = frozenset({"admin", "owner"})
CREATORS = frozenset({"admin", "owner", "foreign"})
EVERYONE = frozenset({"admin", "owner", "foreign", "registrar", "patient", "patient_b"})
ORDER = ("anonymous", "foreign", "registrar", "patient", "patient_b", "owner", "admin")
CALCIUM = {"analyte": "calcium", "value": 3.4, "unit": "mmol/L", "date": "2024-06-20", "uln": 2.6}
_ids = itertools.count()


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str  # under /api/v1; {a} is record A
    allowed: frozenset[str]
    ok: int
    action: str  # the audit row's action
    denied: int = 404
    json: dict | None = field(default=None, hash=False)


ENDPOINTS = [
    Endpoint("GET", "/cases/{a}", READERS, 200, "read"),
    Endpoint("GET", "/cases/{a}/versions", READERS, 200, "versions"),
    Endpoint("GET", "/cases/{a}/versions/1", READERS, 200, "read"),
    Endpoint("GET", "/cases/{a}/timeline", READERS, 200, "timeline"),
    Endpoint("GET", "/cases/{a}/alerts", READERS, 200, "alerts"),
    Endpoint("GET", "/cases/{a}/report", READERS, 200, "read"),
    Endpoint("PUT", "/cases/{a}", OWNERS, 200, "update"),
    Endpoint("POST", "/cases/{a}/events", OWNERS, 201, "event", json={"kind": "lab", "payload": CALCIUM}),
    Endpoint("POST", "/cases/{a}/alerts/bta_not_started/ack", OWNERS, 200, "ack"),
    Endpoint("GET", "/cases/{a}/export", OWNERS, 200, "export"),
    Endpoint("POST", "/cases/{a}/invitations", OWNERS, 201, "invite"),
    Endpoint("DELETE", "/cases/{a}", OWNERS, 204, "erase"),
    Endpoint("POST", "/cases", CREATORS, 201, "create", denied=403),
    Endpoint("GET", "/cases", EVERYONE, 200, "list"),
    Endpoint("GET", "/audit", frozenset({"admin"}), 200, "audit", denied=403),
]


@dataclass
class World:
    store: Store
    headers: dict[str, dict[str, str]]
    people: dict[str, Principal]
    a: int


@pytest.fixture
def world(store: Store, people: dict[str, Principal]) -> World:
    case = load_example_case("hypercalcaemia")
    a = store.records.create(people["doc"], case).record_id
    b = store.records.create(people["other"], case).record_id
    return World(store, caller_headers(store, people, a, b), people, a)


def call(client, world: World, endpoint: Endpoint, caller: str):
    target = world.a
    if endpoint.action == "erase" and caller == "admin":  # the owner erased A just before
        target = world.store.records.create(world.people["doc"], load_example_case("hypercalcaemia")).record_id
    rid = f"matrix-{next(_ids)}"
    headers = {**world.headers[caller], "X-Request-ID": rid}
    kwargs: dict = {"headers": headers}
    if endpoint.json is not None:
        kwargs["json"] = endpoint.json
    if endpoint.action in ("update", "create"):
        kwargs["content"] = load_example_case("hypercalcaemia").model_dump_json(exclude_defaults=True).encode()
        headers["content-type"] = "application/json"
    if endpoint.action == "update":
        current = world.store.records.get(world.people["admin"], target).current_version
        headers["If-Match"] = f'"{current}"'
    return rid, client.request(endpoint.method, "/api/v1" + endpoint.path.format(a=target), **kwargs)


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: f"{e.method} {e.path}")
def test_role_x_endpoint_x_own_or_foreign_record(client, world: World, endpoint: Endpoint):
    for caller in ORDER:
        rid, response = call(client, world, endpoint, caller)
        rows = audit_rows(world.store, rid)
        where = f"{caller} {endpoint.method} {endpoint.path}"
        if caller == "anonymous":
            assert response.status_code == 401, where
            assert response.headers["www-authenticate"].startswith("Bearer"), where
            assert rows == [], where
            continue
        allowed = caller in endpoint.allowed
        assert response.status_code == (endpoint.ok if allowed else endpoint.denied), (where, response.text[:300])
        outcome = "allowed" if allowed else "denied"
        assert [(r.action, r.outcome) for r in rows if r.action == endpoint.action] == [(endpoint.action, outcome)], (
            where,
            [(r.action, r.outcome, r.detail) for r in rows],
        )
        if not allowed and endpoint.denied == 404:
            assert response.json()["detail"][0]["message"] == f"no case record {world.a}", where
