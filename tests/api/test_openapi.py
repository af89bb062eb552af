"""The OpenAPI document: every operation present with its summary, tag, library description, documented errors
and bounds; request schemas derived from the library (descriptions, choices)."""

from __future__ import annotations

import pytest

from metastasis.api.catalogue import (
    MAX_BONE_YEARS,
    MAX_CASCADE_CELLS,
    MAX_CASCADE_REPLICATES,
    MAX_SPREAD_PATIENTS,
    MAX_SPREAD_STEPS,
    MAX_SPREAD_TOP,
    OPERATIONS,
)

GETS = ["/health", "/case/schema", "/case/examples", "/case/examples/{name}", "/triage/symptoms", "/sites",
        "/sites/facts", "/sites/{site_id}", "/learn", "/learn/{topic}", "/quiz", "/sources",
        "/sources/{source_id}", "/trials/{nct_id}", "/glossary", "/questions-to-ask", "/support-organisations",
        # the case store (bearer token)
        "/auth/api-tokens", "/cases", "/cases/{case_id}", "/cases/{case_id}/versions",
        "/cases/{case_id}/versions/{number}", "/cases/{case_id}/timeline", "/cases/{case_id}/alerts",
        "/cases/{case_id}/report", "/cases/{case_id}/export", "/cases/{case_id}/watches", "/audit"]  # fmt: skip
POSTS = [f"/{op.path}" for op in OPERATIONS] + ["/case/validate", "/report", "/fhir/import", "/fhir/export",
                                                "/trials/match",
                                                "/auth/token", "/auth/invitation", "/auth/api-tokens", "/cases",
                                                "/cases/{case_id}/events", "/cases/{case_id}/alerts/{alert_id}/ack",
                                                "/cases/{case_id}/invitations", "/cases/{case_id}/watches"]  # fmt: skip
PUTS = ["/cases/{case_id}"]
DELETES = [
    "/auth/token",
    "/auth/api-tokens/{token_id}",
    "/cases/{case_id}",
    "/cases/{case_id}/invitations/{invitation_id}",
    "/cases/{case_id}/watches/{watch_id}",
]
#: The case-store routes: behind a bearer token (401 documented), under the records, auth and audit tags.
STORE_TAGS = {"records", "auth", "audit"}


@pytest.fixture(scope="module")
def spec(client) -> dict:
    return client.get("/openapi.json").json()


def _resolve(spec: dict, ref: str) -> dict:
    node = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _request_schema(spec: dict, path: str) -> dict:
    ref = spec["paths"][f"/api/v1/{path}"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    return _resolve(spec, ref)


def test_every_route_is_documented_once(spec):
    api = {(method.upper(), path.removeprefix("/api/v1")) for path, ops in spec["paths"].items()
           if path.startswith("/api/v1") for method in ops}  # fmt: skip
    assert api == ({("GET", path) for path in GETS} | {("POST", path) for path in POSTS}
                   | {("PUT", path) for path in PUTS} | {("DELETE", path) for path in DELETES})  # fmt: skip
    ids = [op["operationId"] for ops in spec["paths"].values() for op in ops.values()]
    assert len(ids) == len(set(ids))


def test_docs_pages_are_served(client):
    assert "swagger" in client.get("/docs").text.lower()
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.path)
def test_operation_summary_tags_errors_and_example(spec, op):
    entry = spec["paths"][f"/api/v1/{op.path}"]["post"]
    assert entry["summary"] == op.summary and entry["tags"] == [op.group]
    assert entry["operationId"] == op.name
    assert "not a medical device" in entry["description"]
    for status in ("200", "413", "422", "500"):
        assert status in entry["responses"]
    assert entry["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    schema = _request_schema(spec, op.path)
    assert schema["additionalProperties"] is False
    if op.example:
        assert schema["examples"] == [dict(op.example)]


def test_every_route_documents_its_errors(spec):
    for path, ops in spec["paths"].items():
        if path.startswith("/api/v1"):
            for entry in ops.values():
                assert {"422", "500"} <= set(entry["responses"]), path
                if "{" in path:
                    assert "404" in entry["responses"], path


def test_store_routes_document_the_bearer_scheme_and_their_errors(spec):
    scheme = spec["components"]["securitySchemes"]["bearer"]
    assert scheme["flows"]["password"]["tokenUrl"] == "/api/v1/auth/token"
    store_ops = [(path, method, entry) for path, ops in spec["paths"].items() for method, entry in ops.items()
                 if set(entry["tags"]) & STORE_TAGS]  # fmt: skip
    assert len(store_ops) == 25
    for path, method, entry in store_ops:
        if path in ("/api/v1/auth/token", "/api/v1/auth/invitation") and method == "post":
            assert "security" not in entry and "401" in entry["responses"]
            continue
        assert entry["security"] == [{"bearer": []}], path
        assert "WWW-Authenticate" in entry["responses"]["401"]["headers"], path
    update = spec["paths"]["/api/v1/cases/{case_id}"]["put"]["responses"]
    assert {"409", "428"} <= set(update)
    assert "application/yaml" in spec["paths"]["/api/v1/cases"]["post"]["requestBody"]["content"]


def test_error_body_schema(spec):
    item = spec["components"]["schemas"]["ErrorItem"]["properties"]
    assert set(item) == {"field", "value", "allowed", "message"}
    assert set(spec["components"]["schemas"]["ErrorBody"]["required"]) == {"detail", "request_id"}


@pytest.mark.parametrize(("path", "field", "low", "high"), [
    ("simulate/spread", "patients", 1, MAX_SPREAD_PATIENTS),
    ("simulate/spread", "steps", 1, MAX_SPREAD_STEPS),
    ("simulate/spread", "top", 1, MAX_SPREAD_TOP),
    ("simulate/cascade", "cells", 1, MAX_CASCADE_CELLS),
    ("simulate/cascade", "replicates", 1, MAX_CASCADE_REPLICATES),
    ("simulate/bone", "years", 0.1, MAX_BONE_YEARS),
])  # fmt: skip
def test_bounds_are_in_the_schema_and_the_description(spec, path, field, low, high):
    prop = _request_schema(spec, path)["properties"][field]
    assert (prop["minimum"], prop["maximum"]) == (low, high)
    assert f"`{field}`: {low} to {high}" in spec["paths"][f"/api/v1/{path}"]["post"]["description"]


def test_bounds_have_the_values_documented_in_docs_api_md():
    # docs/api.md states these figures; change both together
    assert (MAX_SPREAD_PATIENTS, MAX_SPREAD_STEPS, MAX_SPREAD_TOP) == (250_000, 50, 20)
    assert (MAX_CASCADE_CELLS, MAX_CASCADE_REPLICATES, MAX_BONE_YEARS) == (10_000_000, 100_000, 5.0)


def test_request_schema_from_the_library(spec):
    mirels = _request_schema(spec, "scores/mirels")
    assert mirels["required"] == ["site", "pain", "lesion", "size"]
    assert mirels["properties"]["site"]["enum"] == ["upper_limb", "lower_limb", "peritrochanteric"]
    assert "peritrochanteric" in mirels["properties"]["site"]["description"]
    triage = _request_schema(spec, "triage")["properties"]
    assert "upper limit of normal" in triage["ast_uln"]["description"]


def test_response_schema_is_the_library_type(spec):
    ok = spec["paths"]["/api/v1/scores/mirels"]["post"]["responses"]["200"]["content"]["application/json"]
    assert ok["schema"]["$ref"] == "#/components/schemas/ScoreResult"
    report = spec["paths"]["/api/v1/report"]["post"]["responses"]["200"]["content"]["application/json"]
    assert report["schema"]["$ref"] == "#/components/schemas/Report"


def test_every_reference_resolves(spec):
    refs: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            refs.extend(value for key, value in node.items() if key == "$ref")
            for key, value in node.items():
                if key != "$ref":
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    assert len(refs) > 100
    for ref in refs:
        assert isinstance(_resolve(spec, ref), dict), ref
