"""No patient data in the request log: a whole session with the case store (sign-in, a case with a telling title,
an event, reads, the report, an invitation, a refused token) logs only request ids, methods, route templates,
statuses and durations."""

from __future__ import annotations

from tests.api.conftest import request_log
from tests.api_store.conftest import PASSWORD, YAML, hypercalcaemia_yaml

MARKER = "Zebediah-Quux"  # a name that must never reach a log
CALCIUM = {"analyte": "calcium", "value": 3.47, "unit": "mmol/L", "date": "2024-06-20", "uln": 2.6}


def test_the_request_log_holds_no_patient_data_tokens_or_emails(client, people):
    case = hypercalcaemia_yaml().replace(b"title: Rising calcium", f"title: {MARKER} rising calcium".encode())
    with request_log() as log:
        token = client.post("/api/v1/auth/token", data={"username": "doc@example.org", "password": PASSWORD}).json()
        doc = {"Authorization": f"Bearer {token['access_token']}"}
        created = client.post(f"/api/v1/cases?reason={MARKER}", content=case, headers={**doc, **YAML}).json()
        rid = created["id"]
        client.post(f"/api/v1/cases/{rid}/events", json={"kind": "lab", "payload": CALCIUM}, headers=doc)
        client.get(f"/api/v1/cases/{rid}", headers=doc)
        client.get(f"/api/v1/cases/{rid}/report?format=markdown", headers=doc)
        invitation = client.post(f"/api/v1/cases/{rid}/invitations", headers=doc).json()["path"]
        client.get("/api/v1/cases", headers={"Authorization": f"Bearer {MARKER}"})
        client.get(f"/api/v1/cases/{rid}", headers={"Authorization": f"Bearer {MARKER}"})
    entries = log.entries()
    assert len(entries) == 8
    assert {e["route"] for e in entries} == {
        "/api/v1/auth/token",
        "/api/v1/cases",
        "/api/v1/cases/{case_id}/events",
        "/api/v1/cases/{case_id}",
        "/api/v1/cases/{case_id}/report",
        "/api/v1/cases/{case_id}/invitations",
    }
    for entry in entries:
        assert set(entry) <= {"time", "level", "event", "request_id", "method", "route", "status", "duration_ms"}
    text = log.text
    for secret in (MARKER, "3.47", "doc@example.org", PASSWORD, token["access_token"], invitation, "mmol"):
        assert secret not in text
