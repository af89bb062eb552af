"""The official mCODE STU4 examples (hand-built JSON from the IG's FSH, tests/interop/data/mcode_ig) and the mCODE
extraction framework fixtures import as the FSH says."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir import case_from_bundle
from tests.interop.conftest import load_json


def test_extended_example_jenny_m(jenny: dict[str, Any]) -> None:
    result = case_from_bundle(jenny)
    case = result.case
    # Expected values typed from EX_ExtendedExample.fsh.
    assert case.patient.sex == "female"
    assert case.patient.age_at_diagnosis == 53  # born 1965-01-01, diagnosed 2018-03-16
    assert case.dates.diagnosis == datetime.date(2018, 3, 16)
    assert case.dates.surgery == datetime.date(2018, 4, 1)
    tumour = case.tumour
    assert (tumour.laterality, tumour.histology) == ("left", "invasive_nst")  # SCT 353431000119107, 82711006
    assert (tumour.t, tumour.n, tumour.m) == ("pT3", "pN0", "cM0")  # pathological on 2018-04-01 wins; pM absent
    assert (tumour.er.value, tumour.pr.value, tumour.her2.value) == ("positive", "negative", "negative")
    assert tumour.oncotype_rs == 47
    assert tumour.grade == 2
    assert tumour.size_mm == 25
    assert [(p.scale, p.value) for p in case.performance_status] == [("ecog", 0)]
    drugs = {(t.kind.value, t.drug) for t in case.treatments}
    assert drugs == {
        ("surgery", None),
        ("chemotherapy", "doxorubicin"),
        ("chemotherapy", "cyclophosphamide"),
        ("chemotherapy", "paclitaxel"),
        ("radiotherapy", None),
        ("endocrine", "anastrozole"),
    }
    radiotherapy = next(t for t in case.treatments if t.kind.value == "radiotherapy")
    assert (radiotherapy.start, radiotherapy.end) == (datetime.date(2018, 8, 15), datetime.date(2018, 10, 25))
    assert result.stage_group is not None
    assert (result.stage_group.stage, result.stage_group.basis) == ("IIB", "pathological")
    assert {(s.stage, s.basis) for s in result.stage_groups} == {("IIB", "clinical"), ("IIB", "pathological")}
    assert [(d.status, d.date) for d in result.disease_status] == [("improved", datetime.date(2018, 11, 1))]
    # The clinical cT3/cN0 are superseded by the later pathological categories, and listed.
    conflicts = {c.field: (c.kept.value, [d.value for d in c.dropped]) for c in result.conflicts}
    assert conflicts == {"tumour.t": ("pT3", ["cT3"]), "tumour.n": ("pN0", ["cN0"])}
    ignored = {(f.resource, f.path) for f in result.ignored}
    assert (
        "Observation/tnm-pathologic-distant-metastases-category-jenny-m",
        "Observation.valueCodeableConcept.coding[0]",
    ) in ignored  # data absent: not applicable
    assert ("Observation/bodyweight-jenny-m-2018-03-16", "Observation.code") in ignored
    assert not result.warnings


def test_secondary_cancer_condition_brain_mets() -> None:
    result = case_from_bundle(load_json("mcode_ig", "EX_Basic-secondary-cancer-condition-brain-mets.json"))
    assert [(s.site, s.date) for s in result.case.metastatic_sites] == [("brain", datetime.date(2019, 5, 1))]
    assert result.case.dates.metastasis == datetime.date(2019, 5, 1)


def test_extraction_framework_staging_with_ajcc_codes(jenny: dict[str, Any]) -> None:
    staging = load_json("extraction", "csv-staging-bundle.json")
    with pytest.raises(InvalidInputError, match="no breast primary"):
        case_from_bundle(staging)  # four staging observations and no primary cancer
    bundle = copy.deepcopy(staging)
    bundle["entry"] = list(jenny["entry"][:2]) + bundle["entry"]  # Jenny M's patient and primary
    result = case_from_bundle(bundle)
    assert (result.case.tumour.t, result.case.tumour.n, result.case.tumour.m) == ("cT3", "cN3", "cM0")
    assert result.stage_group is not None and result.stage_group.stage == "IIIC"  # cancerstaging.org "3C"


def test_old_dstu2_condition_is_reported_not_read() -> None:
    # A DSTU2-shaped Condition (patient, verificationStatus as text) is not valid R4: warned about, not read.
    condition = load_json("extraction", "primary-cancer-condition.json")
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [{"resource": condition}]}
    with pytest.raises(InvalidInputError, match="no breast primary"):
        case_from_bundle(bundle)
