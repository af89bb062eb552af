"""Bounded work for every input: YAML aliases are refused (an alias bomb or 400 aliases of one long string can
no longer expand a small case), nesting depth, value counts, text length and integer digits are bounded, in the
library loader that the CLI, the API and the web pages share; the answer stays small."""

from __future__ import annotations

import time

import pytest

from metastasis.domain import Case, load_case
from metastasis.domain.io import parse_text
from metastasis.errors import InvalidInputError

# The bounds, as documented (docs/api.md, metastasis.domain.reading)
MAX_DEPTH = 32
MAX_VALUES = 20_000
MAX_DIGITS = 100
MAX_TEXT_CHARS = 1_000_000


def loads_json(text: str, source: str = "case") -> object:
    return parse_text(text, fmt="json", source=source)


def loads_yaml(text: str) -> object:
    return parse_text(text, fmt="yaml")


JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}

#: 409 bytes that PyYAML expands into 9**9 (387 million) strings.
BILLION_LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{name}: &{name} [{', '.join([f'*{prev}'] * 9)}]" for prev, name in zip("abcdefgh", "bcdefghi", strict=True)]
)


def amplified_case(copies: int = 400, size: int = 100_000) -> str:
    """A valid-looking case whose one long string is referenced by ``copies`` lesion aliases."""
    lesions = "".join("  - {site: spine_lumbar, subsite: *note}\n" for _ in range(copies))
    return (
        "schema_version: '1.0'\n"
        f"description: &note {'x' * size}\n"
        "metastatic_sites:\n  - {site: spine_lumbar}\n"
        f"bone_lesions:\n{lesions}"
    )


def test_billion_laughs_is_refused_at_once_naming_where():
    started = time.perf_counter()
    with pytest.raises(InvalidInputError) as caught:
        parse_text(BILLION_LAUGHS, fmt="yaml", source="case.yaml")
    assert time.perf_counter() - started < 1.0
    assert caught.value.field == "$.b[0]"
    assert caught.value.value == "a YAML alias of the value on line 1"


def test_billion_laughs_file_is_refused_by_the_loader(tmp_path):
    path = tmp_path / "laughs.yaml"
    path.write_text(BILLION_LAUGHS, "utf-8")
    with pytest.raises(InvalidInputError, match=r"YAML alias"):
        load_case(path)


def test_aliased_long_string_answers_a_small_422(client):
    body = amplified_case().encode()
    for path in ("/api/v1/report?format=html", "/api/v1/case/validate"):
        response = client.post(path, content=body, headers=YAML)
        assert response.status_code == 422
        assert len(response.content) < 2_000  # the request is 111 kB; the 248 MB report is gone
        item = response.json()["detail"][0]
        assert item["field"] == "$.bone_lesions[0].subsite"


def test_merge_keys_are_aliases_too():
    with pytest.raises(InvalidInputError) as caught:
        loads_yaml("base: &b {site: pelvis}\nlesion:\n  <<: *b\n  lesion_type: mixed\n")
    assert caught.value.field == "$.lesion"


def test_an_anchor_nothing_refers_to_is_harmless():
    assert loads_yaml("patient: &p {age_at_diagnosis: 52}\n") == {"patient": {"age_at_diagnosis": 52}}


def test_written_yaml_has_no_aliases_and_reads_back():
    import datetime as dt

    day = dt.date(2024, 3, 18)  # one date object used twice: a plain dumper writes &id001 / *id001
    case = Case(schema_version="1.0", dates={"diagnosis": day, "metastasis": day})
    text = case.to_yaml()
    assert "&" not in text and "*" not in text
    assert Case.from_data(loads_yaml(text)) == case


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_is_bounded(fmt):
    def nested(depth: int) -> str:
        return "[" * (depth - 1) + "1" + "]" * (depth - 1)

    assert parse_text(nested(MAX_DEPTH), fmt=fmt) is not None  # 32 levels: read
    with pytest.raises(InvalidInputError) as caught:
        parse_text(nested(MAX_DEPTH + 1), fmt=fmt)
    assert caught.value.field == "$" + "[0]" * MAX_DEPTH
    with pytest.raises(InvalidInputError):
        parse_text("[" * 100_000 + "]" * 100_000, fmt=fmt)  # deeper than the parsers go


def test_value_count_is_bounded():
    assert len(loads_json("[" + ",".join(["0"] * (MAX_VALUES - 1)) + "]")) == MAX_VALUES - 1
    with pytest.raises(InvalidInputError) as caught:
        loads_json("[" + ",".join(["0"] * MAX_VALUES) + "]", source="case.json")
    assert (caught.value.field, caught.value.value) == ("case.json", "more than 20,000 values")


def test_text_length_is_bounded():
    with pytest.raises(InvalidInputError) as caught:
        loads_json('"' + "x" * MAX_TEXT_CHARS + '"', source="body")
    assert caught.value.value == "1,000,002 characters"


def test_case_file_size_is_bounded(tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"description": "' + "x" * MAX_TEXT_CHARS + '"}', "utf-8")
    with pytest.raises(InvalidInputError, match="at most 1,000,000 bytes"):
        load_case(path)


@pytest.mark.parametrize(
    ("text", "fmt"),
    [('{"patient": {"age_at_diagnosis": 1' + "0" * 5000 + "}}", "json"),
     ("patient:\n  age_at_diagnosis: 1" + "0" * 5000, "yaml"),
     ("patient:\n  age_at_diagnosis: 0x" + "f" * 5000, "yaml")],
)  # fmt: skip
def test_integers_too_long_name_their_field(text, fmt):
    with pytest.raises(InvalidInputError) as caught:
        parse_text(text, fmt=fmt)
    assert caught.value.field == "$.patient.age_at_diagnosis"
    assert caught.value.allowed == f"a number of at most {MAX_DIGITS} digits"


def test_integers_up_to_the_bound_are_read():
    assert loads_json("9" * MAX_DIGITS) == int("9" * MAX_DIGITS)
    assert loads_yaml("-" + "9" * MAX_DIGITS) == -int("9" * MAX_DIGITS)


def test_long_number_in_a_request_body_names_the_field(client):
    raw = b'{"patients": ' + b"9" * 5000 + b"}"
    response = client.post("/api/v1/simulate/spread", content=raw, headers=JSON)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == ("patients", "a number of 5,000 digits")


def test_deep_request_body_is_refused_naming_where(client):
    raw = b'{"symptoms": ' + b"[" * 40 + b"]" * 40 + b"}"
    response = client.post("/api/v1/triage", content=raw, headers=JSON)
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "symptoms" + ".0" * 31


def test_impossible_yaml_dates_reach_the_validator_as_text(client):
    text = "schema_version: '1.0'\ndates: {diagnosis: 2024-02-30}\n"
    response = client.post("/api/v1/case/validate", content=text.encode(), headers=YAML)
    assert response.status_code == 200
    assert [p["path"] for p in response.json()["problems"]] == ["$.dates.diagnosis"]
