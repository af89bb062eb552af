"""Trial watches over the API (``/api/v1/cases/{id}/watches``): who may list, save and remove them (role x action x
own/foreign record, each attempt audited), bad filters (422), and the "new trial match" alert an import raises,
listed by ``GET /cases/{id}/alerts`` with its ``kind`` and ``nct_id``.

Expected answers are typed from docs/store.md and docs/trials.md: anyone who may read the record lists its watches;
its owning clinician, an admin and its patient save them; a patient removes only a watch a patient saved; a record
the caller may not see is 404 like a missing one. The study NCT06974604 (tests/trials/data) is NOT_YET_RECRUITING,
PHASE2, and *possibly eligible* for the bundled ``de-novo-bone-only`` case (see tests/store/test_trial_watches.py).
"""

from __future__ import annotations

import itertools

import pytest

from metastasis.examples.cases import load_example_case
from metastasis.store import Principal, Store
from metastasis.trials import parse_study
from tests.api_store.conftest import SQLITE_ONLY, audit_rows, caller_headers
from tests.trials.conftest import raw_records

DATO = "NCT06974604"
ORDER = ("anonymous", "foreign", "registrar", "patient_b", "patient", "owner", "admin")
_ids = itertools.count()


@pytest.fixture
def world(store: Store, people: dict[str, Principal]) -> dict:
    case = load_example_case("de-novo-bone-only")
    a = store.records.create(people["doc"], case).record_id
    b = store.records.create(people["other"], case).record_id
    return {"store": store, "people": people, "a": a, "headers": caller_headers(store, people, a, b)}


def _call(client, world: dict, caller: str, method: str, path: str, json: dict | None = None):  # type: ignore[no-untyped-def]
    rid = f"watch-{next(_ids)}"
    headers = {**world["headers"][caller], "X-Request-ID": rid}
    response = client.request(method, f"/api/v1/cases/{world['a']}{path}", headers=headers, json=json)
    return response, [(r.action, r.outcome) for r in audit_rows(world["store"], rid)]


def test_who_may_list_save_and_remove_watches_and_every_attempt_is_audited(client, world):
    expected_add = {"admin", "owner", "patient"}
    for caller in ORDER:
        response, rows = _call(client, world, caller, "POST", "/watches", {"statuses": ["recruiting"]})
        if caller == "anonymous":
            assert response.status_code == 401 and rows == [], caller
            continue
        allowed = caller in expected_add
        assert response.status_code == (201 if allowed else 404), (caller, response.text[:300])
        assert rows == [("watch_add", "allowed" if allowed else "denied")], (caller, rows)
        if allowed:
            body = response.json()
            assert body["statuses"] == ["RECRUITING"] and body["record_id"] == world["a"]
            assert response.headers["location"] == f"/api/v1/cases/{world['a']}/watches/{body['id']}"
            assert body["created_role"] == {"admin": "admin", "owner": "clinician", "patient": "patient"}[caller]
        else:
            assert response.json()["detail"][0]["message"] == f"no case record {world['a']}"

    for caller in ORDER:
        response, rows = _call(client, world, caller, "GET", "/watches")
        if caller == "anonymous":
            assert response.status_code == 401 and rows == [], caller
            continue
        allowed = caller in {"admin", "owner", "registrar", "patient"}
        assert response.status_code == (200 if allowed else 404), caller
        assert rows == [("watch_list", "allowed" if allowed else "denied")], (caller, rows)
        if allowed:
            assert [w["created_role"] for w in response.json()] == ["patient", "clinician", "admin"]

    watches = {w.created_role: w.id for w in world["store"].watches.list(world["people"]["admin"], world["a"])}
    refused = [("foreign", "admin"), ("registrar", "admin"), ("patient_b", "patient"), ("patient", "clinician")]
    for caller, whose in refused:  # the patient may not remove the clinician's watch
        response, rows = _call(client, world, caller, "DELETE", f"/watches/{watches[whose]}")
        assert response.status_code == 404, (caller, response.text[:300])
        assert [a for a, _ in rows] == ["watch_remove"] and rows[0][1] in ("denied", "error"), (caller, rows)
    for caller, whose in [("patient", "patient"), ("owner", "admin"), ("admin", "clinician")]:
        response, rows = _call(client, world, caller, "DELETE", f"/watches/{watches[whose]}")
        assert response.status_code == 204 and rows == [("watch_remove", "allowed")], (caller, rows)
    assert world["store"].watches.list(world["people"]["admin"], world["a"]) == []


def test_removing_a_missing_watch_is_404_naming_it(client, world):
    response, _ = _call(client, world, "owner", "DELETE", "/watches/999999")
    assert response.status_code == 404
    item = response.json()["detail"][0]
    assert item["field"] == "watch_id" and item["value"] == 999999
    assert client.delete("/api/v1/cases/999999/watches/1", headers=world["headers"]["owner"]).status_code == 404


@SQLITE_ONLY
@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"statuses": ["open"]}, "status"),
        ({"phases": ["phase5"]}, "phase"),
        ({"within_km": 10}, "within_km"),
        ({"near": [91, 0], "within_km": 10}, "near"),
        ({"near": [41.8, -71.4], "within_km": 0}, "within_km"),
        ({"near": [41.8, -71.4], "within_km": 30000}, "within_km"),
        ({"near": [41.8], "within_km": 10}, "near"),
        ({"statuses": ["recruiting"] * 21}, "statuses"),
        ({"radius": 10}, "radius"),
    ],
)
def test_a_bad_filter_is_422_naming_it_and_nothing_is_saved(client, world, body, field):
    response, _ = _call(client, world, "owner", "POST", "/watches", body)
    assert response.status_code == 422, response.text[:300]
    assert field in {item["field"].split(".")[0].split("[")[0] for item in response.json()["detail"]}, response.json()
    assert world["store"].watches.list(world["people"]["admin"], world["a"]) == []


def test_an_import_raises_a_trial_alert_listed_with_its_kind_and_study(client, world):
    response, _ = _call(client, world, "patient", "POST", "/watches", {"statuses": ["not_yet_recruiting"]})
    assert response.status_code == 201
    record = next(r for r in raw_records() if r["protocolSection"]["identificationModule"]["nctId"] == DATO)
    world["store"].trials.add([parse_study(record)])
    for caller in ("owner", "patient"):
        alerts, _ = _call(client, world, caller, "GET", "/alerts")
        trial = [a for a in alerts.json() if a["kind"] == "trial"]
        assert [(a["nct_id"], a["state"], a["alert_id"]) for a in trial] == [(DATO, "new", f"trial_match:{DATO}")]
        assert trial[0]["title"].startswith("New trial match (possibly eligible): ")
    acked, rows = _call(client, world, "owner", "POST", f"/alerts/trial_match:{DATO}/ack")
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged" and acked.json()["nct_id"] == DATO
    assert rows == [("ack", "allowed")]
