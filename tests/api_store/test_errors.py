"""The store's failures in the house error format: an out-of-date schema and an unreachable database answer 503
with one line (never a 500 or an exception's name), an oversized sign-in form 413."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.examples.cases import load_example_case
from metastasis.store import Store
from tests.api_store.conftest import SQLITE_ONLY

INTERNAL = re.compile(r"\b\w*(Error|Exception)\b|Traceback")


def test_an_out_of_date_schema_answers_503_with_the_instruction(monkeypatch, tmp_path):
    monkeypatch.setenv("METASTASIS_DATABASE_URL", f"sqlite:///{tmp_path}/never-upgraded.db")
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/cases", headers={"Authorization": "Bearer some-token"})
        assert client.get("/api/v1/health").status_code == 200  # the calculators never open the store
    assert response.status_code == 503
    (item,) = response.json()["detail"]
    assert item["message"] == "the database schema is out of date: run `metastasis db upgrade`"


def test_an_unreachable_database_answers_503_with_retry_after(tmp_path):
    store = Store(f"sqlite:///{tmp_path}/no-such-folder/store.db")
    with TestClient(create_app(store=store), raise_server_exceptions=False) as client:
        response = client.get("/api/v1/cases/1", headers={"Authorization": "Bearer some-token"})
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    (item,) = response.json()["detail"]
    assert item["field"] == "server" and not INTERNAL.search(item["message"])


def test_no_token_never_opens_the_store(monkeypatch, tmp_path):
    monkeypatch.setenv("METASTASIS_DATABASE_URL", f"sqlite:///{tmp_path}/never-upgraded.db")
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        assert client.get("/api/v1/cases").status_code == 401
        assert client.app.state.store is None


@SQLITE_ONLY
def test_an_oversized_sign_in_form_is_413(client):
    response = client.post(
        "/api/v1/auth/token",
        content=b"username=a&password=" + b"x" * 1_000_001,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413 and response.json()["detail"][0]["field"] == "body"


def test_refusals_name_no_internal_class(client, callers):
    answers = [
        client.post("/api/v1/cases", json={"schema_version": "1.0"}, headers=callers["registrar"].headers),
        client.get("/api/v1/audit", headers=callers["doc"].headers),
        client.get("/api/v1/cases/7", headers=callers["doc"].headers),
        client.get("/api/v1/cases", headers={"Authorization": "Bearer nope"}),
    ]
    assert [a.status_code for a in answers] == [403, 403, 404, 401]
    for answer in answers:
        (item,) = answer.json()["detail"]
        assert not INTERNAL.search(item["message"]) and answer.json()["request_id"]
    assert answers[0].json()["detail"][0] == {
        "field": "role",
        "value": None,
        "allowed": "a role that may do this",
        "message": "only a clinician or an admin may create a record",
    }


def test_a_nul_character_is_bad_input_on_every_backend(client, store, people):
    # PostgreSQL refuses a NUL in text: the driver's error was a 500 on these (SQLite stored it)
    from tests.api_store.conftest import bearer

    doc, admin = bearer(store, people["doc"]), bearer(store, people["admin"])
    record = store.records.create(people["doc"], load_example_case("hypercalcaemia")).record_id
    answers = [
        client.get("/api/v1/audit", params={"user": "a\x00b"}, headers=admin),
        client.post(f"/api/v1/cases/{record}/alerts/a%00b/ack", headers=doc),
        client.post("/api/v1/auth/token", data={"username": "a\x00b@example.org", "password": "x"}),
        client.post("/api/v1/auth/api-tokens", json={"name": "a\x00b"}, headers=doc),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422]
    assert all(not INTERNAL.search(a.text) for a in answers)
    assert store.records.get(people["doc"], record).current_version == 1
