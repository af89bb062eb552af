"""case_from_bundle(bundle_from_case(c)) reproduces every mapped field of every bundled example case; exported
bundles validate with fhir.resources (R4B), carry mCODE (or US Core) profiles and resolvable references."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.interop.fhir import bundle_from_case, case_from_bundle

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition/"
US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"
TUMOUR = (
    "location", "laterality", "histology", "size_mm", "t", "n", "m", "grade", "er", "pr", "her2", "her2_ihc",
    "her2_ish", "ki67", "ki67_percent", "oncotype_rs",
)  # fmt: skip


def mapped(case: Case) -> dict[str, Any]:
    """The fields docs/fhir.md lists as mapped both ways (lists compared in any order)."""
    d = case.model_dump(mode="json")
    return {
        "as_of": d["as_of"],
        "age": d["patient"]["age_at_diagnosis"],
        "sex": d["patient"]["sex"],
        "tumour": {k: d["tumour"][k] for k in TUMOUR},
        "dates": d["dates"],
        "sites": sorted((s["site"], s["date"] or "", s["note"] or "") for s in d["metastatic_sites"]),
        "labs": sorted(
            (x["analyte"], x["value"], x["unit"], x["date"], x["uln"] or 0, x["note"] or "") for x in d["labs"]
        ),
        "performance": sorted((p["scale"], p["value"], p["date"] or "") for p in d["performance_status"]),
        "treatments": sorted(
            (t["kind"], t["drug"] or "", t["site"] or "", t["start"], t["end"] or "", t["note"] or "")
            for t in d["treatments"]
        ),
    }


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for value in node.values() for r in _references(value)]
    if isinstance(node, list):
        return [r for value in node for r in _references(value)]
    return []


@pytest.mark.parametrize("name", example_case_names())
@pytest.mark.parametrize("bundle_type", ["collection", "transaction"])
def test_round_trip_keeps_every_mapped_field(name: str, bundle_type: str) -> None:
    case = load_example_case(name)
    bundle = bundle_from_case(case, bundle_type=bundle_type)  # type: ignore[arg-type]
    result = case_from_bundle(bundle)
    assert mapped(result.case) == mapped(case)
    assert not result.warnings and not result.conflicts


@pytest.mark.parametrize("name", example_case_names())
def test_exported_bundle_is_valid_mcode(name: str) -> None:
    bundle = bundle_from_case(load_example_case(name), bundle_type="transaction", with_assessment=True)
    Bundle.model_validate(bundle)  # raises when not valid FHIR R4 (R4B models)
    full_urls = {entry["fullUrl"] for entry in bundle["entry"]}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        profiles = resource["meta"]["profile"]
        assert profiles and all(p.startswith((MCODE, US_CORE)) for p in profiles), resource["resourceType"]
        assert entry["request"] == {"method": "POST", "url": resource["resourceType"]}
        for reference in _references(resource):
            assert reference in full_urls, reference
    kinds = [e["resource"]["resourceType"] for e in bundle["entry"]]
    assert kinds.count("Patient") == 1 and kinds.count("DiagnosticReport") == 1


def test_collection_bundle_is_an_mcode_patient_bundle() -> None:
    bundle = bundle_from_case(load_example_case("early-hr-positive"))
    assert bundle["type"] == "collection"
    assert bundle["meta"]["profile"] == [MCODE + "mcode-patient-bundle"]
    assert bundle["timestamp"] == "2024-06-03T00:00:00Z"


def test_export_is_deterministic() -> None:
    case = load_example_case("hypercalcaemia")
    assert bundle_from_case(case) == bundle_from_case(case)


def test_assessment_export() -> None:
    bundle = bundle_from_case(load_example_case("de-novo-bone-only"), with_assessment=True)
    resources = [e["resource"] for e in bundle["entry"]]
    stage = next(r for r in resources if r["meta"]["profile"] == [MCODE + "mcode-tnm-stage-group"])
    assert stage["method"]["coding"][0]["code"] == "897275008"  # AJCC 8th edition staging system
    assert stage["valueCodeableConcept"]["coding"][0] == {"system": "http://cancerstaging.org", "code": "IV"}
    assert len(stage["hasMember"]) == 3
    scores = [
        r for r in resources if r.get("code", {}).get("coding", [{}])[0].get("system") == "urn:metastasis:fhir:score"
    ]
    sins = next(s for s in scores if s["code"]["coding"][0]["code"] == "sins")
    assert sins["valueInteger"] == 6  # the bundled case's L2 lesion: SINS 6 (stable), as the report says
    assert sum(c["valueInteger"] for c in sins["component"]) == 6
    report = next(r for r in resources if r["resourceType"] == "DiagnosticReport")
    forms = {f["contentType"].split(";")[0]: base64.b64decode(f["data"]).decode() for f in report["presentedForm"]}
    assert set(forms) == {"text/html", "text/markdown"}
    assert "<html" in forms["text/html"] and "not a medical device" in forms["text/markdown"].lower()
    assert len(report["result"]) == 1 + len(scores)
    # Re-importing the assessed bundle gives the same case; the assessment is listed as ignored output.
    again = case_from_bundle(bundle)
    assert mapped(again.case) == mapped(load_example_case("de-novo-bone-only"))
    assert again.stage_group is not None and again.stage_group.stage == "IV"
    assert any("assessment result" in f.message for f in again.ignored)


def test_unknown_bundle_type_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="bundle_type"):
        bundle_from_case(load_example_case("hypercalcaemia"), bundle_type="batch")  # type: ignore[arg-type]


def test_no_identifier_is_made_up() -> None:
    bundle = bundle_from_case(load_example_case("hypercalcaemia"))
    patient = bundle["entry"][0]["resource"]
    assert set(patient) == {"resourceType", "id", "meta", "gender"}


WIDE_CASE = {
    "schema_version": "1.1",
    "id": "wide",
    "as_of": "2024-09-01",
    "patient": {"age_at_diagnosis": 61, "sex": "male"},
    "tumour": {
        "location": "unknown",
        "laterality": "bilateral",
        "histology": "invasive_special_type",
        "size_mm": 12.5,
        "t": "ypT1c",
        "n": "ypN0",
        "m": "cM1",
        "grade": 1,
        "er": "negative",
        "pr": "unknown",
        "her2": "positive",
        "her2_ihc": "2+",
        "her2_ish": "positive",
        "ki67": "unknown",
        "ki67_percent": 40,
        "oncotype_rs": 31,
    },
    "dates": {"diagnosis": "2023-12-10", "metastasis": "2024-02-01"},
    "metastatic_sites": [
        {"site": "spine_thoracic", "date": "2024-02-01", "note": "T6 and T9"},
        {"site": "nodes_regional"},
        {"site": "leptomeninges", "date": "2024-06-01"},
        {"site": "adrenal", "date": "2024-06-01"},
        {"site": "brain"},
    ],
    "labs": [
        {"analyte": "bilirubin", "value": 14, "unit": "µmol/L", "date": "2024-08-01", "uln": 21},
        {"analyte": "platelets", "value": 210, "unit": "10^9/L", "date": "2024-08-01"},
        {"analyte": "platelets", "value": 150000, "unit": "/µL", "date": "2024-08-15", "note": "repeat"},
        {"analyte": "ionised_calcium", "value": 1.31, "unit": "mmol/L", "date": "2024-08-01"},
    ],
    "performance_status": [{"scale": "karnofsky", "value": 70, "date": "2024-08-01"}, {"scale": "ecog", "value": 2}],
    "treatments": [
        {"kind": "chemotherapy", "start": "2023-12-20", "end": "2024-04-01"},
        {"kind": "her2_targeted", "drug": "trastuzumab", "start": "2023-12-20"},
        {"kind": "radiotherapy", "site": "spine_thoracic", "start": "2024-02-10", "end": "2024-02-14"},
        {"kind": "bone_targeted", "drug": "denosumab", "start": "2024-02-20"},
        {"kind": "surgery", "site": "brain", "start": "2024-07-01", "note": "resection"},
        {"kind": "other", "drug": "trial drug X", "start": "2024-08-01"},
    ],
}


def test_round_trip_of_a_wide_case() -> None:
    case = Case.from_data(WIDE_CASE)
    bundle = bundle_from_case(case, bundle_type="transaction")
    Bundle.model_validate(bundle)
    result = case_from_bundle(bundle)
    expected = mapped(case)
    expected["tumour"]["laterality"] = "bilateral"
    assert mapped(result.case) == expected
    assert not result.warnings
    # The unverified SNOMED CT code of adrenal metastasis (94161006) is not written; ICD-10-CM C79.70 is.
    adrenal = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "Condition"
        and any(c["code"] == "adrenal" for c in e["resource"]["bodySite"][0]["coding"])
    )
    codes = {c["code"] for c in adrenal["code"]["coding"]}
    assert "94161006" not in codes and "C79.70" in codes
