"""POST /api/v1/fhir/import?save=true[&record=ID]: into the case store behind a bearer token, 201 + Location +
ETag, If-Match for an existing record (428 without, 409 when stale, nothing written), every attempt audited."""

from __future__ import annotations

import gzip
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api.fhir_routes import FHIR_JSON
from metastasis.store import Principal, Store
from tests.interop.conftest import SYNTHEA

RAW = gzip.decompress(SYNTHEA[0].read_bytes())  # Adah626 Jaskolski867: clinical cT1 (see test_synthea.py)
URL = "/api/v1/fhir/import"


@pytest.fixture
def client(store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(store=store), raise_server_exceptions=False) as test_client:
        yield test_client


def _headers(store: Store, who: Principal, **extra: str) -> dict[str, str]:
    token = store.tokens.create_access_token(who).token
    return {"Authorization": f"Bearer {token}", "content-type": FHIR_JSON, **extra}


def test_creates_then_adds_a_version(client: TestClient, store: Store, people: dict[str, Principal]) -> None:
    doc = _headers(store, people["doc"])
    created = client.post(f"{URL}?save=true", content=RAW, headers=doc)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/api/v1/cases/1" and created.headers["etag"] == '"1"'
    body = created.json()
    assert (body["id"], body["version"], body["created"]) == (1, 1, True)
    assert body["result"]["case"]["tumour"]["t"] == "cT1"
    assert body["reason"].startswith("imported from a FHIR bundle: ")

    again = client.post(f"{URL}?save=true&record=1", content=RAW, headers={**doc, "If-Match": '"1"'})
    assert again.status_code == 201 and again.headers["etag"] == '"2"'
    assert (again.json()["version"], again.json()["created"]) == (2, False)

    stale = client.post(f"{URL}?save=true&record=1", content=RAW, headers={**doc, "If-Match": '"1"'})
    assert stale.status_code == 409 and stale.headers["etag"] == '"2"'
    assert [v.version for v in store.records.versions(people["doc"], 1)] == [1, 2]

    read = client.get("/api/v1/cases/1", headers={"Authorization": doc["Authorization"]})
    assert read.status_code == 200 and read.json()["case"]["tumour"]["t"] == "cT1"


def test_needs_a_token_to_save_not_to_read(client: TestClient, store: Store) -> None:
    refused = client.post(f"{URL}?save=true", content=RAW, headers={"content-type": FHIR_JSON})
    assert refused.status_code == 401 and refused.headers["www-authenticate"].startswith("Bearer")
    plain = client.post(URL, content=RAW, headers={"content-type": FHIR_JSON})
    assert plain.status_code == 200 and "case" in plain.json()


@pytest.mark.parametrize(
    ("query", "extra", "status", "field"),
    [
        ("save=true&record=1", {}, 428, "If-Match"),
        ("save=true", {"If-Match": '"1"'}, 422, "If-Match"),
        ("save=true&record=1", {"If-Match": "*"}, 422, "If-Match"),
        ("record=1", {}, 422, "record"),
        ("save=true&record=0", {"If-Match": '"1"'}, 422, "record"),
    ],
)
def test_refusals_name_the_field(
    client: TestClient,
    store: Store,
    people: dict[str, Principal],
    query: str,
    extra: dict[str, str],
    status: int,
    field: str,
) -> None:
    response = client.post(f"{URL}?{query}", content=RAW, headers=_headers(store, people["doc"], **extra))
    assert response.status_code == status, response.text
    assert response.json()["detail"][0]["field"] == field
    assert store.records.list(people["admin"]).total == 0


def test_roles_and_audit(client: TestClient, store: Store, people: dict[str, Principal]) -> None:
    registrar = client.post(f"{URL}?save=true", content=RAW, headers=_headers(store, people["registrar"]))
    assert registrar.status_code == 403
    created = client.post(f"{URL}?save=true", content=RAW, headers=_headers(store, people["doc"]))
    assert created.status_code == 201
    foreign = _headers(store, people["other"], **{"If-Match": '"1"', "X-Request-ID": "fhir-foreign"})
    response = client.post(f"{URL}?save=true&record=1", content=RAW, headers=foreign)
    assert response.status_code == 404  # another clinician's record: as a missing one
    trail = store.audit.query(people["admin"], case=1, page_size=200).entries
    assert {(e.email, e.action, e.outcome) for e in trail} >= {
        ("doc@example.org", "create", "allowed"),
        ("other@example.org", "update", "denied"),
    }
    assert any(e.request_id == "fhir-foreign" for e in trail)


def test_a_refused_bundle_writes_nothing(client: TestClient, store: Store, people: dict[str, Principal]) -> None:
    body = b'{"resourceType": "Bundle", "type": "collection", "entry": []}'
    response = client.post(f"{URL}?save=true", content=body, headers=_headers(store, people["doc"]))
    assert response.status_code == 422 and response.json()["detail"][0]["field"] == "bundle.entry"
    assert store.records.list(people["admin"]).total == 0
