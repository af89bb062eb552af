"""POST /api/v1/fhir/import and /api/v1/fhir/export, on the real application."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.api import create_app
from metastasis.api.fhir_routes import FHIR_JSON, FHIR_MAX_BODY_BYTES
from metastasis.examples.cases import load_example_case
from tests.interop.conftest import SYNTHEA


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as test_client:
        yield test_client


def test_import_a_synthea_bundle(client: TestClient) -> None:
    raw = gzip.decompress(SYNTHEA[7].read_bytes())  # 2.4 MB: more than the 1 MB of the other routes
    assert len(raw) > 1_000_000
    response = client.post("/api/v1/fhir/import", content=raw, headers={"content-type": FHIR_JSON})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["case"]["tumour"]["t"] == "cT2"
    assert body["stage_group"]["stage"] == "IIIA"
    assert body["ignored"] and body["used"]
    assert "not a medical device" in body["disclaimer"].lower()


def test_export_and_import_back(client: TestClient) -> None:
    case = load_example_case("recurrent-liver-bone").model_dump(mode="json", exclude_defaults=True)
    response = client.post("/api/v1/fhir/export?type=transaction", json=case)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(FHIR_JSON)
    bundle = response.json()
    assert bundle["type"] == "transaction"
    back = client.post("/api/v1/fhir/import", content=json.dumps(bundle), headers={"content-type": FHIR_JSON})
    assert back.json()["case"]["tumour"]["laterality"] == "right"


def test_export_yaml_with_assessment(client: TestClient) -> None:
    text = load_example_case("early-hr-positive").to_yaml()
    response = client.post(
        "/api/v1/fhir/export?with_assessment=true", content=text, headers={"content-type": "application/yaml"}
    )
    assert response.status_code == 200
    assert any(e["resource"]["resourceType"] == "DiagnosticReport" for e in response.json()["entry"])


@pytest.mark.parametrize(
    ("body", "content_type", "field"),
    [
        (b'{"resourceType": "Patient"}', FHIR_JSON, "bundle.resourceType"),
        (b'{"resourceType": "Bundle", "entry": []}', FHIR_JSON, "bundle.entry"),
        (b"{", FHIR_JSON, "body"),
        (b"{}", "text/plain", "Content-Type"),
    ],
)
def test_import_bad_input_is_422(client: TestClient, body: bytes, content_type: str, field: str) -> None:
    response = client.post("/api/v1/fhir/import", content=body, headers={"content-type": content_type})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == field


def test_import_too_large_is_413(client: TestClient) -> None:
    response = client.post(
        "/api/v1/fhir/import",
        content=b" " * (FHIR_MAX_BODY_BYTES + 1),
        headers={"content-type": FHIR_JSON},
    )
    assert response.status_code == 413


def test_export_bad_case_is_422(client: TestClient) -> None:
    response = client.post("/api/v1/fhir/export", json={"schema_version": "1.0", "tumour": {"t": "T9"}})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "$.tumour.t"


def test_routes_are_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert FHIR_JSON in paths["/api/v1/fhir/import"]["post"]["requestBody"]["content"]
    assert "/api/v1/fhir/export" in paths


_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-1000, 1000), st.floats(allow_nan=True), st.text(max_size=10)
)
_JSON = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=10,
)
_BUNDLE_LIKE = st.builds(
    lambda entries, extra: {"resourceType": "Bundle", "entry": entries, **extra},
    st.lists(st.builds(lambda r: {"resource": r}, _JSON), max_size=3) | _JSON,
    st.dictionaries(st.sampled_from(["type", "timestamp", "entry"]), _JSON, max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.one_of(_JSON, _BUNDLE_LIKE))
def test_random_json_never_fails(client: TestClient, body: object) -> None:
    for path in ("/api/v1/fhir/import", "/api/v1/fhir/export"):
        raw = json.dumps(body, allow_nan=True).encode()
        response = client.post(path, content=raw, headers={"content-type": "application/json"})
        assert response.status_code in (200, 422), response.text[:300]
        if response.status_code == 422:
            assert all(item["field"] and item["message"] for item in response.json()["detail"])
