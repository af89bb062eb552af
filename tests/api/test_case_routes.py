"""The case over HTTP: schema, examples, validation (200 with every problem) and the full report (JSON,
Markdown, HTML; 422 listing every problem of a case with errors), from JSON or YAML bodies."""

from __future__ import annotations

import json

import pytest

from metastasis.api.case_body import body_format, json_type
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, example_case_text

VALIDATE = "/api/v1/case/validate"
REPORT = "/api/v1/report"
YAML = {"content-type": "application/yaml"}
BROKEN = {
    "schema_version": "1.0",
    "tumour": {"m": "cM0"},
    "metastatic_sites": [{"site": "liver"}],
    "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}],
}


@pytest.fixture(scope="module")
def hypercalcaemia(client) -> dict:
    return client.get("/api/v1/case/examples/hypercalcaemia").json()


def test_schema_is_the_case_schema(client):
    schema = client.get("/api/v1/case/schema").json()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1"]
    assert "not a medical device" in schema["$comment"]


def test_examples(client):
    names = client.get("/api/v1/case/examples").json()
    assert names == sorted(names) and "hypercalcaemia" in names and "spinal-cord-compression" in names
    case = client.get("/api/v1/case/examples/spinal-cord-compression").json()
    assert case["schema_version"] == "1.0" and case["id"] == "spinal-cord-compression"
    item = client.get("/api/v1/case/examples/nope").json()["detail"][0]
    assert (item["field"], item["value"]) == ("name", "nope") and "hypercalcaemia" in item["allowed"]


@pytest.mark.parametrize("name", example_case_names())
def test_every_example_validates_as_json_and_yaml(client, name):
    as_json = client.post(VALIDATE, json=client.get(f"/api/v1/case/examples/{name}").json()).json()
    as_yaml = client.post(VALIDATE, content=example_case_text(name).encode(), headers=YAML).json()
    assert as_json["ok"] is True and as_yaml["ok"] is True
    assert as_json == as_yaml


def test_validation_lists_every_problem_with_its_path(client):
    response = client.post(VALIDATE, json=BROKEN)
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is False
    assert [(p["path"], p["value"], p["severity"]) for p in body["problems"]] == [
        ("$.tumour.m", "cM0", "error"),
        ("$.labs[0].unit", None, "error"),
    ]
    assert body["problems"][1]["allowed"] == "for calcium: mg/dL, mmol/L"


def test_any_object_is_validated_with_200(client):
    body = client.post(VALIDATE, json={"shoe_size": 42}).json()
    paths = [p["path"] for p in body["problems"]]
    assert body["ok"] is False and "$.shoe_size" in paths and "$.schema_version" in paths


@pytest.mark.parametrize(("raw", "kind"), [(b"[1]", "array"), (b'"case"', "string"), (b"3", "number"),
                                           (b"null", "null")])  # fmt: skip
def test_validation_refuses_a_body_that_is_not_an_object(client, raw, kind):
    response = client.post(VALIDATE, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == ("body", kind)


@pytest.mark.parametrize(("raw", "headers", "field", "value"), [
    (b"", {"content-type": "application/json"}, "body", None),
    (b"   ", YAML, "body", None),
    (b'{"schema_version": ', {"content-type": "application/json"}, "body", "line 1"),
    (b"a: b: c", YAML, "body", "line 1"),
    (b"schema_version: '1.0'", {"content-type": "text/plain"}, "Content-Type", "text/plain"),
    (b"schema_version: '1.0'", {}, "Content-Type", None),
    (b"\xff\xfe", {"content-type": "application/json"}, "body", "byte 0"),
])  # fmt: skip
def test_unreadable_bodies(client, raw, headers, field, value):
    for path in (VALIDATE, REPORT):
        response = client.post(path, content=raw, headers=headers)
        assert response.status_code == 422, response.text
        item = response.json()["detail"][0]
        assert (item["field"], item["value"]) == (field, value)
        assert item["allowed"]


def test_yaml_media_types(client):
    text = example_case_text("hypercalcaemia").encode()
    for media in ("application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml; charset=utf-8"):
        assert client.post(VALIDATE, content=text, headers={"content-type": media}).json()["ok"] is True


def test_yaml_alias_bomb_is_refused_cheaply(client):
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")  # 9^9 values once expanded
    response = client.post(VALIDATE, content="\n".join(lines).encode(), headers=YAML)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == ("$.b[0]", "a YAML alias of the value on line 1")  # aliases refused


def test_deep_nesting_is_refused(client):
    deep = b'{"id": ' + b"[" * 500 + b"]" * 500 + b"}"
    assert client.post(VALIDATE, content=deep, headers={"content-type": "application/json"}).status_code == 422
    deeper = b"[" * 100_000
    response = client.post(VALIDATE, content=deeper, headers={"content-type": "application/json"})
    assert response.status_code == 422


def test_numbers_too_long_to_read(client):
    for raw, headers in ((b'{"id": 1' + b"0" * 5000 + b"}", {"content-type": "application/json"}),
                         (b"id: 1" + b"0" * 5000, YAML)):  # fmt: skip
        response = client.post(VALIDATE, content=raw, headers=headers)
        assert response.status_code == 422 and response.json()["detail"][0]["field"] == "$.id"


def test_nan_in_a_case_is_a_problem_not_a_crash(client):
    lab = b'{"analyte": "calcium", "value": NaN, "unit": "mmol/L", "date": "2024-01-02"}'
    raw = b'{"schema_version": "1.0", "labs": [' + lab + b"]}"
    response = client.post(VALIDATE, content=raw, headers={"content-type": "application/json"})
    assert response.status_code == 200
    (problem,) = response.json()["problems"]
    assert problem["path"] == "$.labs[0].value"


# --- the report


def test_report_json_is_the_library_report(client, hypercalcaemia):
    response = client.post(REPORT, json=hypercalcaemia)
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["report_version"] == "1.0" and report["case_id"] == "hypercalcaemia"
    assert report["actions"] and report["disclaimer"]
    assert report["calcium"]["status"]


def test_report_markdown_and_html(client, hypercalcaemia):
    markdown = client.post(REPORT, params={"format": "markdown", "audience": "patient"}, json=hypercalcaemia)
    assert markdown.status_code == 200
    assert markdown.headers["content-type"] == "text/markdown; charset=utf-8"
    assert markdown.text.startswith("# Your breast cancer report")
    html = client.post(REPORT, params={"format": "html"}, json=hypercalcaemia)
    assert html.headers["content-type"] == "text/html; charset=utf-8"
    assert html.text.lstrip().startswith("<!DOCTYPE html>") and "<svg" in html.text


def test_report_from_yaml(client):
    text = example_case_text("spinal-cord-compression").encode()
    response = client.post(REPORT, params={"format": "markdown"}, content=text, headers=YAML)
    assert response.status_code == 200 and response.text.startswith("#")


def test_report_refuses_a_case_with_errors_listing_every_problem(client):
    response = client.post(REPORT, json=BROKEN)
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert [(i["field"], i["value"], i["allowed"]) for i in detail] == [
        ("$.tumour.m", "cM0", "cM1 or pM1 with distant sites"),
        ("$.labs[0].unit", None, "for calcium: mg/dL, mmol/L"),
    ]


def test_report_refuses_a_body_that_is_not_an_object(client):
    item = client.post(REPORT, json=["case"]).json()["detail"][0]
    assert (item["field"], item["allowed"]) == ("$", "a JSON object / YAML mapping")


@pytest.mark.parametrize(("params", "field", "value"), [({"format": "pdf"}, "format", "pdf"),
                                                        ({"audience": "nurse"}, "audience", "nurse")])  # fmt: skip
def test_report_query_parameters(client, hypercalcaemia, params, field, value):
    item = client.post(REPORT, params=params, json=hypercalcaemia).json()["detail"][0]
    assert (item["field"], item["value"]) == (field, value)


# --- the helpers


@pytest.mark.parametrize(("header", "fmt"), [("application/json", "json"), ("application/json; charset=utf-8", "json"),
                                             ("application/problem+json", "json"), ("application/yaml", "yaml"),
                                             ("TEXT/YAML", "yaml")])  # fmt: skip
def test_body_format(header, fmt):
    assert body_format(header) == fmt


@pytest.mark.parametrize("header", [None, "", "text/plain", "application/xml", "multipart/form-data; boundary=x"])
def test_body_format_refuses(header):
    with pytest.raises(InvalidInputError) as caught:
        body_format(header)
    assert caught.value.field == "Content-Type"


def test_json_type():
    assert [json_type(v) for v in ({}, [], "", 1, 1.5, True, None)] == [
        "object", "array", "string", "number", "number", "boolean", "null"
    ]  # fmt: skip


def test_openapi_documents_the_case_body(client):
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/case/validate"]["post"]["requestBody"]
    assert set(body["content"]) == {"application/json", "application/yaml"} and body["required"] is True
    schema = body["content"]["application/json"]["schema"]
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1"] and "Patient" in schema["$defs"]
    report = spec["paths"]["/api/v1/report"]["post"]
    assert set(report["responses"]["200"]["content"]) == {"application/json", "text/markdown", "text/html"}
    assert json.dumps(report["requestBody"]).count("$ref") == 2
