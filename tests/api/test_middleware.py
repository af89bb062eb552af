"""Request ids (generated, echoed, replaced when malformed) and the one JSON log line per request, which never
holds patient data."""

from __future__ import annotations

import re

import pytest

MIRELS = "/api/v1/scores/mirels"
GOOD = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}


def test_request_id_is_generated(client):
    first, second = (client.get("/api/v1/health").headers["x-request-id"] for _ in range(2))
    assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second


def test_callers_request_id_is_echoed(client):
    response = client.post(MIRELS, json={**GOOD, "site": "head"}, headers={"X-Request-ID": "abc-123.X_9"})
    assert response.headers["x-request-id"] == "abc-123.X_9"
    assert response.json()["request_id"] == "abc-123.X_9"


@pytest.mark.parametrize("given", ["has space", "a" * 65, "new\\nline", "<script>", "", 'quote"d'])
def test_malformed_request_id_is_replaced(client, given):
    response = client.get("/api/v1/health", headers={"X-Request-ID": given})
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["x-request-id"])


def test_one_json_line_per_request_without_input_values(client, server_log):
    marker = "Zebra-Patient-Jones-1961"
    client.post(MIRELS, json={**GOOD, "site": marker}, headers={"X-Request-ID": "log-test-1"})
    client.post("/api/v1/case/validate?note=" + marker, json={"id": marker, "schema_version": "1.0"})
    client.get(f"/api/v1/sources/{marker}")
    entries = server_log.entries()
    assert len(entries) == 3
    assert marker not in server_log.text
    first = entries[0]
    assert set(first) == {"time", "level", "event", "request_id", "method", "route", "status", "duration_ms"}
    assert (first["request_id"], first["method"], first["route"], first["status"]) == (
        "log-test-1", "POST", "/api/v1/scores/mirels", 422
    )  # fmt: skip
    assert isinstance(first["duration_ms"], float) and first["duration_ms"] >= 0
    assert entries[2]["route"] == "/api/v1/sources/{source_id}"  # the template, not the raw path


def test_unmatched_paths_are_logged_without_the_path(client, server_log):
    client.get("/api/v1/patient/Jane-Doe")
    (entry,) = server_log.entries()
    assert entry["route"] == "unmatched" and entry["status"] == 404
    assert "Jane" not in server_log.text


def test_health(client):
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok" and "not a medical device" in body["disclaimer"]
