"""Every kind of bad input answers 422 with the field, the value given and what is allowed; unknown paths 404,
wrong methods 405, too-large bodies 413, and anything unexpected 500 with a request id and no stack trace."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api.bounded import MAX_BODY_BYTES
from metastasis.api.catalogue import operation
from metastasis.api.errors import ErrorItem, _safe, items_from_invalid_input, items_from_validation
from metastasis.domain import validate_case
from metastasis.domain.problems import CaseValidationError
from metastasis.errors import InvalidInputError

MIRELS = "/api/v1/scores/mirels"
CALCIUM = "/api/v1/calcium/corrected"
GOOD = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}


def problems(response, status: int = 422) -> list[dict]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"detail", "request_id"}
    assert body["request_id"] == response.headers["x-request-id"]
    for item in body["detail"]:
        assert set(item) == {"field", "value", "allowed", "message"} and item["message"]
    return body["detail"]


def only(response, status: int = 422) -> dict:
    (item,) = problems(response, status)
    return item


def test_unknown_choice(client):
    item = only(client.post(MIRELS, json={**GOOD, "site": "head"}))
    assert (item["field"], item["value"]) == ("site", "head")
    for choice in ("upper_limb", "lower_limb", "peritrochanteric"):
        assert choice in item["allowed"]


def test_unknown_choice_checked_by_the_library(client):
    item = only(client.post("/api/v1/staging/breast", json={"t": "T5", "n": "N0", "m": "M0"}))
    assert (item["field"], item["value"]) == ("t", "T5")
    assert "T1" in item["allowed"]


@pytest.mark.parametrize(("body", "field", "value", "allowed"), [
    ({**GOOD, "site": 3}, "site", 3, "'upper_limb', 'lower_limb' or 'peritrochanteric'"),
    ({"calcium": "2.6", "albumin": 30, "units": "si"}, "calcium", "2.6", "a number"),
    ({"calcium": True, "albumin": 30, "units": "si"}, "calcium", True, "a number"),
    ({"calcium": {"value": 2.6}, "albumin": 30, "units": "si"}, "calcium", {"value": 2.6}, "a number"),
])  # fmt: skip
def test_wrong_type(client, body, field, value, allowed):
    path = MIRELS if "site" in body else CALCIUM
    item = only(client.post(path, json=body))
    assert (item["field"], item["value"], item["allowed"]) == (field, value, allowed)


def test_whole_number_expected(client):
    item = only(client.post("/api/v1/simulate/spread", json={"patients": 1.5}))
    assert (item["field"], item["value"], item["allowed"]) == ("patients", 1.5, "a whole number")


def test_out_of_range_checked_by_the_model(client):
    item = only(client.post("/api/v1/simulate/cascade", json={"cells": 0}))
    assert (item["field"], item["value"], item["allowed"]) == ("cells", 0, "a number >= 1")


def test_out_of_range_checked_by_the_library(client):
    item = only(client.post(CALCIUM, json={"calcium": -5, "albumin": 30, "units": "si"}))
    assert (item["field"], item["value"]) == ("calcium", -5)
    assert "mmol/L" in item["allowed"]


def test_missing_required(client):
    body = {k: v for k, v in GOOD.items() if k not in ("site", "size")}
    items = problems(client.post(MIRELS, json=body))
    assert [(i["field"], i["value"], i["allowed"]) for i in items] == [
        ("site", None, "a value (this field is required)"),
        ("size", None, "a value (this field is required)"),
    ]


def test_unknown_extra_field(client):
    item = only(client.post(MIRELS, json={**GOOD, "bone": "femur"}))
    assert (item["field"], item["value"]) == ("bone", "femur")
    assert "no such field" in item["allowed"]


def test_malformed_json(client):
    item = only(client.post(MIRELS, content=b'{"site": "lower_limb",', headers={"content-type": "application/json"}))
    assert item["field"] == "body" and "not valid JSON" in item["message"]
    assert "JSON object" in item["allowed"]


@pytest.mark.parametrize(("raw", "kind"), [(b"[1, 2]", "array"), (b'"site"', "string"), (b"null", "null"),
                                           (b"42", "number"), (b"true", "boolean")])  # fmt: skip
def test_json_that_is_not_an_object(client, raw, kind):
    item = only(client.post(MIRELS, content=raw, headers={"content-type": "application/json"}))
    assert (item["field"], item["value"]) == ("body", kind)
    assert f"not {kind}" in item["message"]


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None])
def test_wrong_content_type(client, content_type):
    headers = {"content-type": content_type} if content_type else {}
    item = only(client.post(MIRELS, content=json.dumps(GOOD).encode(), headers=headers))
    assert (item["field"], item["value"], item["allowed"]) == ("Content-Type", content_type, "application/json")


def test_json_with_a_vendor_media_type_is_read(client):
    response = client.post(MIRELS, content=json.dumps(GOOD).encode(), headers={"content-type": "application/vnd+json"})
    assert response.status_code == 200


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity", "1e400"])
def test_nan_and_infinity_are_refused(client, literal):
    raw = f'{{"calcium": {literal}, "albumin": 30, "units": "si"}}'.encode()
    item = only(client.post(CALCIUM, content=raw, headers={"content-type": "application/json"}))
    assert item["field"] == "calcium"
    assert item["value"] in ("NaN", "Infinity", "-Infinity")
    assert item["allowed"] == "a finite number (not NaN or Infinity)"


def test_empty_body(client):
    item = only(client.post(MIRELS, content=b"", headers={"content-type": "application/json"}))
    assert (item["field"], item["value"]) == ("body", None)
    assert "no body" in item["message"]


def test_huge_numbers(client):
    item = only(client.post("/api/v1/predict/npi", json={"size_mm": 1e300, "nodes": 1, "grade": 2}))
    assert item["field"] == "size_mm"
    item = only(client.post("/api/v1/simulate/spread", json={"steps": 10**40}))
    assert (item["field"], item["value"]) == ("steps", 10**40)
    raw = b'{"patients": ' + b"9" * 5000 + b"}"  # longer than Python reads as an integer
    item = only(client.post("/api/v1/simulate/spread", content=raw, headers={"content-type": "application/json"}))
    assert (item["field"], item["value"]) == ("patients", "a number of 5,000 digits")


def test_list_where_a_scalar_is_expected(client):
    item = only(client.post(MIRELS, json={**GOOD, "site": ["lower_limb"]}))
    assert (item["field"], item["value"]) == ("site", ["lower_limb"])
    item = only(client.post(CALCIUM, json={"calcium": [2.6], "albumin": 30, "units": "si"}))
    assert (item["field"], item["allowed"]) == ("calcium", "a number")


def test_scalar_where_a_list_is_expected(client):
    item = only(client.post("/api/v1/triage", json={"symptoms": "back_pain"}))
    assert (item["field"], item["value"], item["allowed"]) == ("symptoms", "back_pain", "a list (JSON array)")


def test_bad_item_in_a_list_names_its_index(client):
    item = only(client.post("/api/v1/triage", json={"symptoms": ["back_pain", 7]}))
    assert (item["field"], item["value"], item["allowed"]) == ("symptoms.1", 7, "text")


def test_invalid_utf8(client):
    item = only(client.post(MIRELS, content=b'{"site": "\xff"}', headers={"content-type": "application/json"}))
    assert item["field"] == "body"


def test_body_too_large(client):
    raw = b'{"site": "' + b"x" * MAX_BODY_BYTES + b'"}'
    item = only(client.post(MIRELS, content=raw, headers={"content-type": "application/json"}), 413)
    assert item["field"] == "body" and item["allowed"] == f"at most {MAX_BODY_BYTES:,} bytes"


def test_body_too_large_without_a_length(client):
    """A streamed (chunked) body is cut off as soon as it passes the bound."""

    def chunks():
        for _ in range(MAX_BODY_BYTES // 10_000 + 2):
            yield b" " * 10_000

    response = client.post(MIRELS, content=chunks(), headers={"content-type": "application/json"})
    assert "content-length" not in {k.lower() for k in response.request.headers}
    assert only(response, 413)["field"] == "body"


def test_long_values_are_echoed_shortened(client):
    item = only(client.post(MIRELS, json={**GOOD, "site": "x" * 5000}))
    assert len(item["value"]) == 200 and item["value"].endswith("…")


def test_unknown_path_is_json_404(client):
    item = only(client.get("/api/v1/no-such-thing"), 404)
    assert (item["field"], item["value"]) == ("path", "/api/v1/no-such-thing")
    assert item["allowed"] == "an endpoint listed at /docs"


def test_wrong_method_is_json_405(client):
    response = client.get(MIRELS)
    item = only(response, 405)
    assert (item["field"], item["value"], item["allowed"]) == ("method", "GET", "POST")
    assert response.headers["allow"] == "POST"
    assert only(client.delete("/api/v1/health"), 405)["allowed"] == "GET"


def test_web_404_is_an_html_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["x-request-id"]


# --- unexpected errors


@pytest.fixture
def failing_client(monkeypatch):
    """An app whose Mirels operation crashes with a message quoting its input (which must not leak)."""

    def crash(**kwargs):
        raise RuntimeError(f"secret detail {kwargs}")

    monkeypatch.setitem(vars(operation("scores_mirels")), "func", crash)  # the dataclass is frozen
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


def test_unexpected_error_is_a_clean_500(failing_client, server_log):
    response = failing_client.post(MIRELS, json=GOOD, headers={"x-request-id": "trace-500"})
    item = only(response, 500)
    assert item["field"] == "server" and "trace-500" in item["message"]
    assert response.json()["request_id"] == "trace-500"
    for leak in ("Traceback", "RuntimeError", "secret", "lower_limb", ".py"):
        assert leak not in response.text
    errors = [e for e in server_log.entries() if e["level"] == "error"]
    assert errors == [{**errors[0], "event": "unexpected error", "request_id": "trace-500", "error": "RuntimeError"}]
    assert "secret" not in server_log.text and "lower_limb" not in server_log.text
    assert "crash" in errors[0]["where"]


def test_unexpected_error_on_a_new_route(server_log):
    app = create_app()

    @app.get("/api/v1/boom")
    def boom():
        raise ZeroDivisionError("1/0 with patient data")

    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/api/v1/boom")
    item = only(response, 500)
    assert "patient data" not in response.text and item["field"] == "server"


# --- the helpers


def test_safe_renders_bad_values_as_json():
    assert _safe(float("nan")) == "NaN"
    assert _safe(float("-inf")) == "-Infinity"
    assert _safe(b"\xffab") == "\ufffdab"
    assert _safe({"a": [1, float("inf")]}) == {"a": [1, "Infinity"]}
    assert _safe(object()).startswith("<object")
    assert _safe(10**500) == "a number of about 501 digits"  # a one and 500 zeros
    assert _safe("x" * 300) == "x" * 199 + "…"
    assert _safe([1, "a", None]) == [1, "a", None]


def test_items_from_invalid_input():
    item = items_from_invalid_input(InvalidInputError("t", "T5", ["T1", "T2"]))
    assert item == [ErrorItem(field="t", value="T5", allowed="T1, T2", message="invalid t: 'T5'; allowed: T1, T2")]


def test_items_from_a_case_list_every_problem_warnings_marked():
    checked = validate_case({"schema_version": "1.0", "tumour": {"m": "cM0"}, "metastatic_sites": [{"site": "liver"}],
                             "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}]})  # fmt: skip
    items = items_from_invalid_input(CaseValidationError(checked.problems))
    assert [i.field for i in items] == ["$.tumour.m", "$.labs[0].unit"]
    assert items[0].value == "cM0" and items[1].allowed == "for calcium: mg/dL, mmol/L"


def test_items_from_validation_drop_location_prefixes():
    errors = [{"type": "literal_error", "loc": ("query", "format"), "msg": "bad", "input": "pdf",
               "ctx": {"expected": "'json' or 'html'"}}]  # fmt: skip
    assert items_from_validation(errors) == [
        ErrorItem(field="format", value="pdf", allowed="'json' or 'html'", message="bad")
    ]
