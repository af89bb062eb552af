"""Duplicate keys are refused, never silently resolved to the last value: in JSON and YAML case files (library
and CLI: one line, status 2), in case bodies and in the JSON body of every API endpoint (422 naming the key)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.domain import load_case
from metastasis.domain.io import parse_text
from metastasis.errors import InvalidInputError

JSON = {"content-type": "application/json"}
YAML = {"content-type": "application/yaml"}
MIRELS = '{"site": "upper_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"'

DUPLICATED = [
    pytest.param('{"schema_version": "1.0", "patient": {"age_at_diagnosis": 52, "age_at_diagnosis": 61}}', "json",
                 id="json"),
    pytest.param("schema_version: '1.0'\npatient:\n  age_at_diagnosis: 52\n  age_at_diagnosis: 61\n", "yaml",
                 id="yaml-block"),
    pytest.param("schema_version: '1.0'\npatient: {age_at_diagnosis: 52, 'age_at_diagnosis': 61}\n", "yaml",
                 id="yaml-flow-quoted"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "fmt"), DUPLICATED)
def test_the_parser_refuses_a_duplicate_naming_its_path(text, fmt):
    with pytest.raises(InvalidInputError) as caught:
        parse_text(text, fmt=fmt)
    assert caught.value.field == "$.patient.age_at_diagnosis"
    assert caught.value.value == "age_at_diagnosis"


def test_duplicates_in_list_items_are_found_with_their_index():
    text = '{"labs": [{"analyte": "calcium"}, {"analyte": "calcium", "unit": "mmol/L", "unit": "mg/dL"}]}'
    with pytest.raises(InvalidInputError) as caught:
        parse_text(text, fmt="json")
    assert caught.value.field == "$.labs[1].unit"


def test_the_same_key_in_different_objects_is_fine():
    data = parse_text('{"a": {"id": 1}, "b": {"id": 2}, "id": 3}', fmt="json")
    assert data == {"a": {"id": 1}, "b": {"id": 2}, "id": 3}


@pytest.mark.parametrize(("text", "fmt"), DUPLICATED)
def test_case_files_with_duplicates_do_not_load(tmp_path, text, fmt):
    path = tmp_path / f"case.{fmt}"
    path.write_text(text, "utf-8")
    with pytest.raises(InvalidInputError):
        load_case(path)


@pytest.mark.parametrize(("text", "fmt"), DUPLICATED)
@pytest.mark.parametrize("command", [["report"], ["schema", "--check"]])
def test_the_cli_prints_one_line_and_exits_2(tmp_path, text, fmt, command):
    path = tmp_path / f"case.{fmt}"
    path.write_text(text, "utf-8")
    result = CliRunner().invoke(app, [*command, str(path)])
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: invalid $.patient.age_at_diagnosis"), result.output


@pytest.mark.parametrize(("text", "fmt"), DUPLICATED)
@pytest.mark.parametrize("path", ["/api/v1/case/validate", "/api/v1/report"])
def test_case_bodies_with_duplicates_answer_422(client, text, fmt, path):
    response = client.post(path, content=text.encode(), headers=JSON if fmt == "json" else YAML)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == ("$.patient.age_at_diagnosis", "age_at_diagnosis")


@pytest.mark.parametrize(
    ("path", "raw", "field"),
    [("/api/v1/scores/mirels", f'{MIRELS}, "site": "lower_limb"}}', "site"),
     ("/api/v1/triage", '{"symptoms": ["back_pain"], "symptoms": []}', "symptoms"),
     ("/api/v1/calcium/corrected", '{"calcium": 2.6, "albumin": 30, "units": "si", "calcium": 3.1}', "calcium")],
)  # fmt: skip
def test_request_bodies_with_duplicates_answer_422_naming_the_key(client, path, raw, field):
    response = client.post(path, content=raw.encode(), headers=JSON)
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == (field, field)
    assert "more than once" in item["message"]


def test_the_web_case_page_lists_a_duplicate(client):
    text = '{"schema_version": "1.0", "patient": {"age_at_diagnosis": 52, "age_at_diagnosis": 61}}'
    response = client.post("/clinician/case", data={"case_text": text, "audience": "clinician"})
    assert response.status_code == 422
    assert "$.patient.age_at_diagnosis" in response.text
