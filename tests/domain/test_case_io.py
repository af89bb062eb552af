"""Reading and writing cases as JSON and YAML: round trips, suffixes, syntax errors and invalid files."""

import datetime
import json

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.domain import Case, CaseValidationError, load_case, loads_case, read_case_data, validate_case
from metastasis.errors import InvalidInputError

RICH = {
    "schema_version": "1.0",
    "id": "round-trip",
    "title": "A case with every section",
    "description": "Fictional.",
    "as_of": "2024-06-01",
    "patient": {"age_at_diagnosis": 61, "sex": "female", "menopausal_status": "postmenopausal"},
    "tumour": {
        "location": "upper_outer",
        "laterality": "left",
        "histology": "invasive_lobular",
        "size_mm": 31.5,
        "t": "pT2",
        "n": "pN1a",
        "m": "cM0",
        "nodes_positive": 2,
        "nodes_examined": 11,
        "grade": 2,
        "er": "positive",
        "pr": "negative",
        "her2": "equivocal",
        "ki67": "unknown",
        "ki67_percent": 14.5,
        "oncotype_rs": 23,
        "detection": "screen",
    },
    "dates": {"diagnosis": "2019-02-01", "surgery": "2019-03-01", "metastasis": "2024-01-15"},
    "metastatic_sites": [{"site": "spine_thoracic", "date": "2024-01-15", "biopsy_confirmed": True, "lesion_count": 2}],
    "bone_lesions": [
        {
            "site": "spine_thoracic",
            "subsite": "T10",
            "lesion_type": "mixed",
            "date": "2024-01-15",
            "spine": {"level": "T10", "location": "semi_rigid", "escc_grade": "1a", "palsy": "none"},
        }
    ],
    "labs": [{"analyte": "bilirubin", "value": 12, "unit": "µmol/L", "date": "2024-05-30", "uln": 21, "note": "ok"}],
    "symptoms": [{"id": "back_pain", "onset": "2024-01-02", "note": "worse at night"}],
    "performance_status": [{"scale": "karnofsky", "value": 80, "date": "2024-05-30"}],
    "treatments": [
        {"kind": "bone_targeted", "drug": "zoledronic_acid", "start": "2024-02-01"},
        {"kind": "radiotherapy", "site": "spine_thoracic", "start": "2024-01-22", "end": "2024-01-26"},
    ],
    "events": [{"kind": "radiation_to_bone", "date": "2024-01-22", "site": "T10"}],
    "reviews": [{"kind": "spinal_surgery", "date": "2024-01-18", "note": "stable; no surgery"}],
}


@pytest.fixture
def rich() -> Case:
    return Case.from_data(RICH)


@pytest.mark.parametrize("suffix", [".json", ".yaml", ".yml"])
def test_file_round_trip(rich, tmp_path, suffix):
    path = rich.to_file(tmp_path / f"case{suffix}")
    assert Case.from_file(path) == rich
    assert load_case(str(path)) == rich


def test_text_round_trip(rich):
    assert loads_case(rich.to_json(), fmt="json") == rich
    assert loads_case(rich.to_yaml(), fmt="yaml") == rich


def test_written_text_is_plain_json_and_yaml(rich):
    as_json = json.loads(rich.to_json())
    assert as_json["dates"]["diagnosis"] == "2019-02-01"
    assert as_json["tumour"]["her2"] == "equivocal"
    as_yaml = yaml.safe_load(rich.to_yaml())
    assert as_yaml["dates"]["diagnosis"] == datetime.date(2019, 2, 1)  # an unquoted YAML date
    assert as_yaml["labs"][0]["unit"] == "µmol/L"
    assert list(as_yaml)[:3] == ["schema_version", "id", "title"]  # schema order, not sorted


def test_defaults_are_left_out(rich):
    minimal = Case(schema_version="1.0")
    assert json.loads(minimal.to_json()) == {"schema_version": "1.0"}
    assert "reviews" in rich.to_yaml()
    assert "note: null" not in rich.to_yaml()


def test_unknown_suffix(tmp_path):
    path = tmp_path / "case.txt"
    path.write_text("{}")
    with pytest.raises(InvalidInputError) as caught:
        load_case(path)
    assert caught.value.field == "path"


def test_missing_file(tmp_path):
    with pytest.raises(InvalidInputError, match="an existing"):
        load_case(tmp_path / "absent.json")


def test_json_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{\n  "schema_version": "1.0",\n  "tumour": {\n}\n}}')
    with pytest.raises(InvalidInputError) as caught:
        read_case_data(path)
    assert caught.value.value == "line 5"
    assert "valid JSON" in str(caught.value)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("schema_version: '1.0'\ntumour:\n  t: [cT2\n")
    with pytest.raises(InvalidInputError) as caught:
        read_case_data(path)
    assert str(caught.value.value).startswith("line ")


def test_invalid_file_raises_with_every_problem(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: '1.0'\n"
        "dates: {diagnosis: 2024-03-04, metastasis: 2024-01-01}\n"
        "labs:\n  - {analyte: calcium, value: 2.9, date: 2024-05-02}\n"
    )
    with pytest.raises(CaseValidationError) as caught:
        load_case(path)
    assert [p.path for p in caught.value.errors] == ["$.dates.metastasis", "$.labs[0].unit"]
    assert len(caught.value.problems) == 3  # and a warning: a metastasis date but no metastatic site
    assert str(caught.value).startswith(f"{path}: 2 errors and 1 warning: $.dates.metastasis: ")


_dates = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2010, 12, 31))


@st.composite
def _valid_cases(draw):
    diagnosis = draw(_dates)
    offset = datetime.timedelta(days=draw(st.integers(0, 4000)))
    data = {
        "schema_version": "1.0",
        "patient": {"age_at_diagnosis": draw(st.integers(20, 95))},
        "tumour": {
            "t": draw(st.sampled_from(["cT1", "pT2", "T3", "cT4d", "pTis(DCIS)"])),
            "grade": draw(st.sampled_from([1, 2, 3, None])),
            "er": draw(st.sampled_from(["positive", "negative", "unknown"])),
            "her2": draw(st.sampled_from(["positive", "negative", "equivocal"])),
        },
        "dates": {"diagnosis": diagnosis.isoformat()},
        "labs": [
            {
                "analyte": "calcium",
                "value": draw(st.floats(1.5, 3.5, allow_nan=False).map(lambda v: round(v, 2))),
                "unit": "mmol/L",
                "date": (diagnosis + offset).isoformat(),
            }
        ],
        "treatments": [
            {
                "kind": draw(st.sampled_from(["chemotherapy", "endocrine", "radiotherapy"])),
                "drug": draw(st.none() | st.text(min_size=1, max_size=20)),
                "start": (diagnosis + offset).isoformat(),
            }
        ],
    }
    return Case.from_data(data)


@settings(max_examples=60, deadline=None)
@given(_valid_cases())
def test_round_trip_property(case):
    assert loads_case(case.to_json(), fmt="json") == case
    assert loads_case(case.to_yaml(), fmt="yaml") == case


def test_the_example_in_the_docs_is_valid():
    from pathlib import Path

    text = (Path(__file__).parents[2] / "docs" / "case.md").read_text("utf-8")
    block = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    report = validate_case(yaml.safe_load(block))
    assert report.ok and report.problems == ()
