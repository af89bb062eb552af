"""``POST /api/v1/trials/match`` and ``GET /api/v1/trials/{nct_id}`` on the whole application."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.examples.cases import load_example_case
from metastasis.trials import TrialStore, read_studies
from tests.trials.conftest import RECORDS


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> Iterator[TestClient]:
    path = tmp_path_factory.mktemp("store") / "trials.jsonl"
    TrialStore(path).add(read_studies(RECORDS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("METASTASIS_TRIALS_FILE", str(path))
        with TestClient(create_app(), raise_server_exceptions=False) as test_client:
            yield test_client


def case_json() -> str:
    return load_example_case("recurrent-liver-bone").to_json()


def test_match_a_case(client):
    response = client.post("/api/v1/trials/match", content=case_json(), headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
    data = response.json()
    assert len(data["matches"]) == 69
    by_id = {m["nct_id"]: m for m in data["matches"]}
    assert by_id["NCT00364754"]["status"] == "not_eligible"
    assert by_id["NCT01922921"]["relevance"] == "breast_metastatic"


def test_match_filters_by_status_and_distance(client):
    response = client.post(
        "/api/v1/trials/match?status=recruiting", content=case_json(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 200
    assert {m["overall_status"] for m in response.json()["matches"]} == {"RECRUITING"}
    half = client.post(
        "/api/v1/trials/match?near_lat=10", content=case_json(), headers={"Content-Type": "application/json"}
    )
    assert half.status_code == 422


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (
            json.dumps({"schema_version": "1.1", "tumour": {"m": "cM0"}, "metastatic_sites": [{"site": "liver"}]}),
            "application/json",
        ),
        ("[]", "application/json"),
        ("not: [valid", "application/yaml"),
        ("{}", "text/plain"),
    ],
)
def test_bad_case_is_422(client, body, content_type):
    response = client.post("/api/v1/trials/match", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 422, response.text


def test_bad_status_is_422_naming_it(client):
    response = client.post(
        "/api/v1/trials/match?status=open", content=case_json(), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    assert "status" in response.text


def test_show_a_study_and_404_for_an_unknown_one(client):
    found = client.get("/api/v1/trials/NCT01922921")
    assert found.status_code == 200
    assert found.json()["protocolSection"]["identificationModule"]["nctId"] == "NCT01922921"
    missing = client.get("/api/v1/trials/NCT99999999")
    assert missing.status_code == 404 and "NCT99999999" in missing.text
    assert client.get("/api/v1/trials/not-an-id").status_code == 404
