"""A case with thousands of problems gets a small answer: at most 100 listed, errors first, the rest counted."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from metastasis.api import create_app

LABS = [{"analyte": "calcium", "date": "2024-05-02"}] * 3000  # each lab lacks its value and unit


def _body() -> bytes:
    return json.dumps({"schema_version": "1.0", "labs": LABS}).encode()


def test_validate_lists_at_most_100_problems_and_counts_the_rest():
    with TestClient(create_app()) as client:
        body = _body()
        answer = client.post("/api/v1/case/validate", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 200
    data = answer.json()
    assert len(data["problems"]) == 100 and data["not_listed"] > 0
    assert data["ok"] is False and data["error_count"] == 100 + data["not_listed"]
    assert len(answer.content) < 5 * len(body)


def test_report_refusal_lists_at_most_100_problems():
    with TestClient(create_app()) as client:
        body = _body()
        answer = client.post("/api/v1/report", content=body, headers={"content-type": "application/json"})
    assert answer.status_code == 422
    detail = answer.json()["detail"]
    assert len(detail) == 101 and "more problems not listed" in detail[-1]["message"]
    assert len(answer.content) < 5 * len(body)
