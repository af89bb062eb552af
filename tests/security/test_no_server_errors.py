"""Never a 5xx on bad input: a lone surrogate ("\\ud800", sent as a JSON escape) in any string, and dates at the
end of the calendar (9999-12-31), answer 422 naming the field (or a result), never 500; error bodies never name
an internal exception class."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from metastasis.api.errors import ErrorItem
from metastasis.examples.cases import example_case_text

JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}
SURROGATE = "\\ud800"  # as it travels: a JSON escape of a code point that is not a character
INTERNAL = re.compile(r"\b\w*(Error|Exception)\b|Traceback")
STAGING = {"t": "pT2", "n": "pN1a", "m": "cM0", "grade": 2, "er": "positive", "pr": "negative", "her2": "negative"}
MIRELS = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}


def with_surrogate(body: dict[str, Any], field: str) -> bytes:
    """The JSON text of ``body`` with a lone-surrogate escape at the start of ``field``'s string."""
    text = json.dumps(body)
    marker = f'"{field}": "'
    assert marker in text
    return text.replace(marker, marker + SURROGATE, 1).encode()


def example_case_json() -> dict[str, Any]:
    import yaml

    return json.loads(json.dumps(yaml.safe_load(example_case_text("hypercalcaemia")), default=str))


def assert_clean_422(response, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text[:300]
    item = response.json()["detail"][0]
    assert item["field"] == field
    assert not INTERNAL.search(item["message"]) and not INTERNAL.search(str(item["value"]))
    return item


@pytest.mark.parametrize(
    ("path", "body", "field", "named"),
    [("/api/v1/staging/breast", STAGING, "t", "t"),
     ("/api/v1/scores/mirels", MIRELS, "site", "site"),
     ("/api/v1/triage", {"symptoms": ["back_pain"]}, "symptoms", "symptoms.0")],
)  # fmt: skip
def test_lone_surrogate_in_an_operation_answers_422_naming_the_field(client, path, body, field, named):
    raw = with_surrogate(body, field) if field != "symptoms" else b'{"symptoms": ["' + SURROGATE.encode() + b'"]}'
    item = assert_clean_422(client.post(path, content=raw, headers=JSON), named)
    assert item["value"].startswith(SURROGATE)  # shown escaped, so the answer can be written


def test_lone_surrogate_in_a_key_answers_422(client):
    raw = b'{"' + SURROGATE.encode() + b'": 1}'
    response = client.post("/api/v1/scores/mirels", content=raw, headers=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == SURROGATE  # the key itself, escaped


@pytest.mark.parametrize("path", ["/api/v1/case/validate", "/api/v1/report", "/api/v1/report?format=html"])
def test_lone_surrogate_in_a_case_answers_422_naming_the_json_path(client, path):
    raw = with_surrogate(example_case_json(), "title")
    item = assert_clean_422(client.post(path, content=raw, headers=JSON), "$.title")
    assert item["value"].startswith(SURROGATE)


def test_lone_surrogate_in_the_web_case_page_lists_the_problem(client):
    text = with_surrogate(example_case_json(), "title").decode()
    response = client.post("/clinician/case", data={"case_text": text, "audience": "clinician"})
    assert response.status_code == 422
    assert "$.title" in response.text


def test_error_items_can_always_be_written():
    item = ErrorItem(field="t\ud800", value="pT2\ud800", allowed="x\udcff", message="bad \ud800")
    body = item.model_dump_json()
    body.encode("utf-8")  # no UnicodeEncodeError
    assert json.loads(body)["message"] == "bad \\ud800"


@pytest.mark.parametrize(
    "body",
    [{"diagnosis_date": "9999-12-31", "metastasis_date": "9999-12-31"},
     {"diagnosis_date": "9999-11-30", "metastasis_date": "9999-12-31", "window_months": 4},
     {"diagnosis_date": "2020-01-31", "metastasis_date": "9999-12-31", "window_months": 10**12}],
)  # fmt: skip
def test_presentation_at_the_end_of_the_calendar(client, body):
    response = client.post("/api/v1/knowledge/presentation", json=body)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["presentation"] == "de_novo"  # every date is within a window reaching past 9999-12-31


def test_presentation_just_before_the_end_of_the_calendar(client):
    body = {"diagnosis_date": "9999-08-31", "metastasis_date": "9999-12-31", "window_months": 4}
    assert client.post("/api/v1/knowledge/presentation", json=body).json()["presentation"] == "de_novo"
    body = {"diagnosis_date": "9999-08-30", "metastasis_date": "9999-12-31", "window_months": 4}
    assert client.post("/api/v1/knowledge/presentation", json=body).json()["presentation"] == "recurrent"


def case_at_the_end_of_the_calendar() -> str:
    """A bundled example with every date 9999-12-31 (four months later is not a date Python can hold)."""
    return re.sub(r"\b20\d\d-\d\d-\d\d\b", "9999-12-31", example_case_text("de-novo-bone-only"))


@pytest.mark.parametrize("fmt", ["json", "html"])
def test_a_case_dated_at_the_end_of_the_calendar_is_reported(client, fmt):
    text = case_at_the_end_of_the_calendar()
    response = client.post(f"/api/v1/report?format={fmt}", content=text.encode(), headers=YAML)
    assert response.status_code == 200, response.text[:300]


def test_a_case_dated_at_the_end_of_the_calendar_on_the_web_page(client):
    text = case_at_the_end_of_the_calendar()
    assert client.post("/clinician/case", data={"case_text": text, "audience": "patient"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "raw"),
    [("/api/v1/case/validate", b'{"id": 1' + b"0" * 5000 + b"}"),
     ("/api/v1/case/validate", b"[" * 100_000),
     ("/api/v1/scores/mirels", b'{"site": 1' + b"0" * 5000 + b"}"),
     ("/api/v1/scores/mirels", b'{"site": ' + b"[" * 100_000 + b"}"),
     ("/api/v1/scores/mirels", b'{"site": "\xff"}')],
)  # fmt: skip
def test_error_bodies_never_name_internal_exceptions(client, path, raw):
    response = client.post(path, content=raw, headers=JSON)
    assert response.status_code == 422
    for item in response.json()["detail"]:
        assert not INTERNAL.search(item["message"]) and not INTERNAL.search(str(item["value"])), item


def test_an_error_about_a_huge_value_names_it_without_echoing_it():
    from metastasis.errors import InvalidInputError

    huge = InvalidInputError("grade", 10**5000, "1, 2 or 3")  # Python refuses to write out a 5,001-digit int
    assert "a number of about 5001 digits" in str(huge)
    long_text = InvalidInputError("title", "x" * 10_000, "short text")
    assert len(str(long_text)) < 200 and str(long_text).startswith("invalid title: 'xxx")
