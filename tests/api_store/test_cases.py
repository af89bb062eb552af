"""Case records over HTTP: create (JSON or YAML), read with an ETag, update with If-Match (428 without, 409 when
stale and nothing lost), events, versions, timeline, alerts and acknowledgement, the report, export, erasure,
the list with its pages and filter, and bad input answering 422 naming the field."""

from __future__ import annotations

import json
import threading

import pytest
import yaml
from fastapi.testclient import TestClient

from metastasis.store import Store
from tests.api_store.conftest import SQLITE_ONLY, YAML, hypercalcaemia_yaml

#: A calcium result after the example's last one (2024-06-03): albumin-corrected calcium 3.4 mmol/L, above the
#: 2.6 upper limit, as the case file writes a lab result (docs/case.md).
CALCIUM = {"analyte": "calcium", "value": 3.4, "unit": "mmol/L", "date": "2024-06-20", "uln": 2.6}


def example_json() -> dict:
    """The hypercalcaemia example as JSON data (dates as text)."""
    return json.loads(json.dumps(yaml.safe_load(hypercalcaemia_yaml()), default=str))


@pytest.fixture
def doc(callers) -> dict[str, str]:
    return callers["doc"].headers


@pytest.fixture
def record(client, doc) -> int:
    response = client.post("/api/v1/cases", content=hypercalcaemia_yaml(), headers={**doc, **YAML})
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_create_from_yaml_answers_201_with_location_and_etag(client, doc):
    response = client.post("/api/v1/cases?reason=first+visit", content=hypercalcaemia_yaml(), headers={**doc, **YAML})
    assert response.status_code == 201
    body = response.json()
    assert body["version"] == 1
    assert response.headers["location"] == f"/api/v1/cases/{body['id']}"
    assert response.headers["etag"] == '"1"'
    (version,) = client.get(f"/api/v1/cases/{body['id']}/versions", headers=doc).json()
    assert version["reason"] == "first visit"


def test_create_from_json_and_read_back(client, doc):
    created = client.post("/api/v1/cases", json=example_json(), headers=doc)
    assert created.status_code == 201
    got = client.get(f"/api/v1/cases/{created.json()['id']}", headers=doc)
    assert got.status_code == 200 and got.headers["etag"] == '"1"'
    body = got.json()
    assert body["version"] == body["current_version"] == 1
    assert body["case"]["title"] == "Rising calcium and confusion in widespread bone metastases"
    assert body["case"]["labs"][2] == {
        "analyte": "calcium",
        "value": 3.05,
        "unit": "mmol/L",
        "date": "2024-06-03",
        "uln": 2.6,
    }


def test_a_case_with_errors_is_422_listing_paths_and_nothing_is_stored(client, store: Store, doc):
    case = example_json()
    case["labs"][0]["unit"] = "furlongs"
    response = client.post("/api/v1/cases", json=case, headers=doc)
    assert response.status_code == 422
    assert "$.labs[0].unit" in [item["field"] for item in response.json()["detail"]]
    assert client.get("/api/v1/cases", headers=doc).json()["total"] == 0


@pytest.mark.parametrize(
    ("content", "headers", "field"),
    [
        (b"", {"content-type": "application/json"}, "body"),
        (b"[1, 2]", {"content-type": "application/json"}, "body"),
        (b"title: x", {"content-type": "text/plain"}, "Content-Type"),
        (b"a: &x 1\nb: *x\n", YAML, "$.b"),
    ],
)
@SQLITE_ONLY
def test_unreadable_bodies_are_422_naming_the_field(client, doc, content, headers, field):
    response = client.post("/api/v1/cases", content=content, headers={**doc, **headers})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_update_needs_if_match_and_a_stale_one_writes_nothing(client, doc, record):
    case = example_json()
    case["title"] = "A new title"
    missing = client.put(f"/api/v1/cases/{record}", json=case, headers=doc)
    assert missing.status_code == 428
    assert missing.json()["detail"][0]["field"] == "If-Match"
    ok = client.put(f"/api/v1/cases/{record}?reason=new+scan", json=case, headers={**doc, "If-Match": '"1"'})
    assert ok.status_code == 200 and ok.json() == {"id": record, "version": 2}
    assert ok.headers["etag"] == '"2"'
    case["title"] = "A change based on version 1"
    stale = client.put(f"/api/v1/cases/{record}", json=case, headers={**doc, "If-Match": '"1"'})
    assert stale.status_code == 409
    item = stale.json()["detail"][0]
    assert item["field"] == "If-Match" and "version 2" in item["message"]
    assert stale.headers["etag"] == '"2"'
    current = client.get(f"/api/v1/cases/{record}", headers=doc).json()
    assert (current["version"], current["case"]["title"]) == (2, "A new title")  # nothing lost, nothing written
    assert [v["version"] for v in client.get(f"/api/v1/cases/{record}/versions", headers=doc).json()] == [1, 2]


@pytest.mark.parametrize("value", ["*", '"1", "2"', 'W/"1"', '"0"', "abc"])
@SQLITE_ONLY
def test_if_match_must_name_one_version(client, doc, record, value):
    response = client.put(f"/api/v1/cases/{record}", json=example_json(), headers={**doc, "If-Match": value})
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "If-Match"


def test_events_append_a_version_and_recompute_alerts(client, doc, record):
    alerts = client.get(f"/api/v1/cases/{record}/alerts", headers=doc).json()
    assert {"red_flag:hypercalcaemia", "bta_not_started"} <= {a["alert_id"] for a in alerts}
    acked = client.post(f"/api/v1/cases/{record}/alerts/red_flag:hypercalcaemia/ack", headers=doc)
    assert acked.status_code == 200 and acked.json()["state"] == "acknowledged"
    added = client.post(f"/api/v1/cases/{record}/events", json={"kind": "lab", "payload": CALCIUM}, headers=doc)
    assert added.status_code == 201 and added.json()["version"] == 2
    case = client.get(f"/api/v1/cases/{record}", headers=doc).json()["case"]
    assert case["labs"][-1]["value"] == 3.4 and case["as_of"] == "2024-06-20"
    # new evidence (another calcium) makes the acknowledged alert new again
    states = {a["alert_id"]: a["state"] for a in client.get(f"/api/v1/cases/{record}/alerts", headers=doc).json()}
    assert states["red_flag:hypercalcaemia"] == "new"
    timeline = client.get(f"/api/v1/cases/{record}/timeline", headers=doc).json()
    assert [(e["version"], e["entry"], e["kind"]) for e in timeline] == [
        (1, "version", None),
        (2, "version", None),
        (2, "event", "lab"),
    ]
    old = client.get(f"/api/v1/cases/{record}/versions/1", headers=doc)
    assert old.status_code == 200 and old.headers["etag"] == '"1"' and len(old.json()["case"]["labs"]) == 6


def test_event_with_a_stale_if_match_is_409(client, doc, record):
    body = {"kind": "lab", "payload": CALCIUM}
    assert client.post(f"/api/v1/cases/{record}/events", json=body, headers=doc).status_code == 201
    stale = client.post(f"/api/v1/cases/{record}/events", json=body, headers={**doc, "If-Match": '"1"'})
    assert stale.status_code == 409 and stale.headers["etag"] == '"2"'
    assert len(client.get(f"/api/v1/cases/{record}/versions", headers=doc).json()) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "haircut", "payload": {}}, "kind"),
        ({"kind": "lab", "payload": {"analyte": "calcium"}}, "$.labs[6].value"),
        ({"kind": "lab"}, "payload"),
        ({"kind": "lab", "payload": CALCIUM, "extra": 1}, "extra"),
    ],
)
@SQLITE_ONLY
def test_bad_events_are_422_naming_the_field(client, doc, record, body, field):
    response = client.post(f"/api/v1/cases/{record}/events", json=body, headers=doc)
    assert response.status_code == 422
    assert field in [item["field"] for item in response.json()["detail"]]


def test_unknown_alert_and_version_are_404(client, doc, record):
    alert = client.post(f"/api/v1/cases/{record}/alerts/no_such_alert/ack", headers=doc)
    assert alert.status_code == 404 and alert.json()["detail"][0]["field"] == "alert_id"
    assert client.get(f"/api/v1/cases/{record}/versions/9", headers=doc).status_code == 404


@pytest.mark.parametrize(
    ("query", "media", "text"),
    [
        ("", "application/json", "red_flag:hypercalcaemia"),
        ("?format=markdown", "text/markdown", "#"),
        ("?format=html&audience=patient", "text/html", "<html"),
    ],
)
def test_report_in_each_format(client, doc, record, query, media, text):
    response = client.get(f"/api/v1/cases/{record}/report{query}", headers=doc)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert text in response.text


def test_export_has_every_version_and_the_audit(client, doc, record):
    client.post(f"/api/v1/cases/{record}/events", json={"kind": "lab", "payload": CALCIUM}, headers=doc)
    exported = client.get(f"/api/v1/cases/{record}/export", headers=doc).json()
    assert [v["version"] for v in exported["versions"]] == [1, 2]
    assert [e["kind"] for e in exported["events"]] == ["lab"]
    assert {"create", "event"} <= {row["action"] for row in exported["audit"]}


def test_erase_answers_204_then_the_record_is_gone(client, doc, record):
    assert client.delete(f"/api/v1/cases/{record}", headers=doc).status_code == 204
    for path in ("", "/versions", "/alerts", "/export"):
        assert client.get(f"/api/v1/cases/{record}{path}", headers=doc).status_code == 404
    assert client.get("/api/v1/cases", headers=doc).json()["total"] == 0


def test_list_pages_and_filter(client, doc, callers):
    ids = [
        client.post("/api/v1/cases", content=hypercalcaemia_yaml(), headers={**doc, **YAML}).json()["id"]
        for _ in range(3)
    ]
    quiet = client.post(
        "/api/v1/cases", content=b'schema_version: "1.0"\ntitle: quiet\n', headers={**doc, **YAML}
    ).json()["id"]
    page = client.get("/api/v1/cases?page=1&page_size=2", headers=doc).json()
    assert page["total"] == 4 and len(page["items"]) == 2
    second = client.get("/api/v1/cases?page=2&page_size=2", headers=doc).json()
    assert {i["record_id"] for i in page["items"] + second["items"]} == {*ids, quiet}
    flagged = client.get("/api/v1/cases?alert_state=new", headers=doc).json()
    assert {i["record_id"] for i in flagged["items"]} == set(ids)
    assert all(i["new_alerts"] >= 2 for i in flagged["items"])
    assert client.get("/api/v1/cases", headers=callers["other"].headers).json()["total"] == 0


@pytest.mark.parametrize(
    ("query", "field"),
    [("page=0", "page"), ("page_size=1000", "page_size"), ("alert_state=old", "alert_state"), ("page=x", "page")],
)
@SQLITE_ONLY
def test_list_bad_query_is_422_naming_it(client, doc, query, field):
    response = client.get(f"/api/v1/cases?{query}", headers=doc)
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == field


def test_unknown_and_out_of_range_ids_are_404_or_422(client, doc):
    assert client.get("/api/v1/cases/999", headers=doc).status_code == 404
    assert client.get(f"/api/v1/cases/{10**30}", headers=doc).status_code == 404
    assert client.get("/api/v1/cases/-1", headers=doc).status_code == 404
    assert client.get("/api/v1/cases/abc", headers=doc).status_code == 422
    assert client.get(f"/api/v1/cases/1/versions/{10**30}", headers=doc).status_code == 422


def test_concurrent_updates_from_one_version_one_wins_the_others_get_409(app, client, doc, record):
    """Four callers PUT a change based on version 1 at once: exactly one is written, the others are refused."""
    answers: list[int] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        case = example_json()
        case["title"] = f"writer {n}"
        own = TestClient(app, raise_server_exceptions=False)
        start.wait()
        answers.append(own.put(f"/api/v1/cases/{record}", json=case, headers={**doc, "If-Match": '"1"'}).status_code)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 409, 409, 409]
    assert [v["version"] for v in client.get(f"/api/v1/cases/{record}/versions", headers=doc).json()] == [1, 2]
