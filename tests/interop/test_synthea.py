"""Every bundled Synthea mCODE bundle imports, and the imported ER/PR/HER2, T/N/M, stage group, age and sex equal
what the bundle's own resources say, read here independently by code (not through the importer)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest

from metastasis.interop.fhir import case_from_bundle
from tests.interop.conftest import SYNTHEA, load_synthea

# Typed from the Synthea data and the LOINC/SNOMED code lists, not read from the package's code maps.
ER_CODES = {"85337-4", "16112-5"}
PR_CODES = {"85339-0", "16113-3"}
HER2_CODES = {"48676-1"}
VALUE = {"10828004": "positive", "260385009": "negative"}
T_CODE, N_CODE, M_CODE, STAGE_CODE = "21905-5", "21906-3", "21907-1", "21908-9"
ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV"}


def _observations(bundle: dict[str, Any], codes: set[str]) -> list[dict[str, Any]]:
    found = []
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] == "Observation" and {c["code"] for c in r["code"]["coding"]} & codes:
            found.append(r)
    return found


def _latest(observations: list[dict[str, Any]]) -> dict[str, Any] | None:
    return max(observations, key=lambda r: r["effectiveDateTime"], default=None)


def _receptor(bundle: dict[str, Any], codes: set[str]) -> str | None:
    obs = _latest(_observations(bundle, codes))
    return None if obs is None else VALUE[obs["valueCodeableConcept"]["coding"][0]["code"]]


def _ajcc(obs: dict[str, Any] | None) -> str | None:
    if obs is None:
        return None
    return next(c["code"] for c in obs["valueCodeableConcept"]["coding"] if c["system"] == "http://cancerstaging.org")


def _stage(bundle: dict[str, Any]) -> str | None:
    groups = _observations(bundle, {STAGE_CODE})
    if not groups:
        return None
    latest = max(g["effectiveDateTime"][:10] for g in groups)
    codes = [_ajcc(g) for g in groups if g["effectiveDateTime"][:10] == latest]
    best = max(codes, key=len)  # "c1A" over "c1" on the same day
    return ROMAN[best[1]] + best[2:]


def _resource(bundle: dict[str, Any], kind: str, code: str | None = None) -> dict[str, Any]:
    for entry in bundle["entry"]:
        r = entry["resource"]
        if r["resourceType"] == kind and (code is None or r["code"]["coding"][0]["code"] == code):
            return r
    raise AssertionError(f"no {kind} {code}")


def _age(bundle: dict[str, Any]) -> int:
    born = datetime.date.fromisoformat(_resource(bundle, "Patient")["birthDate"])
    onset = datetime.date.fromisoformat(_resource(bundle, "Condition", "254837009")["onsetDateTime"][:10])
    return onset.year - born.year - ((onset.month, onset.day) < (born.month, born.day))


def test_sixteen_bundles_are_bundled() -> None:
    assert len(SYNTHEA) == 16


@pytest.mark.parametrize("path", SYNTHEA, ids=lambda p: p.name.split("_")[0])
def test_synthea_bundle_imports_what_it_says(path: Path) -> None:
    bundle = load_synthea(path)
    result = case_from_bundle(bundle)
    case = result.case
    tumour = case.tumour
    assert (tumour.er and tumour.er.value) == _receptor(bundle, ER_CODES)
    assert (tumour.pr and tumour.pr.value) == _receptor(bundle, PR_CODES)
    assert (tumour.her2 and tumour.her2.value) == _receptor(bundle, HER2_CODES)
    assert tumour.t == _ajcc(_latest(_observations(bundle, {T_CODE})))
    assert tumour.n == _ajcc(_latest(_observations(bundle, {N_CODE})))
    assert tumour.m == _ajcc(_latest(_observations(bundle, {M_CODE})))
    assert (result.stage_group and result.stage_group.stage) == _stage(bundle)
    assert case.patient.age_at_diagnosis == _age(bundle)
    assert case.patient.sex == _resource(bundle, "Patient")["gender"]
    assert result.structure_checked
    # Nothing silently dropped: every entry is either used or listed as ignored (or warned about).
    accounted = {u.resource for u in result.used} | {f.resource for f in (*result.ignored, *result.warnings)}
    ids = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    assert ids <= accounted


def test_synthea_medications_become_courses() -> None:
    # Adah626: seven paclitaxel orders three weeks apart, then tamoxifen and ribociclib (read in the bundle).
    bundle = load_synthea(SYNTHEA[0])
    result = case_from_bundle(bundle)
    drugs = [(t.kind.value, t.drug) for t in result.case.treatments]
    assert ("chemotherapy", "paclitaxel") in drugs
    assert ("endocrine", "tamoxifen") in drugs
    assert ("cdk46_inhibitor", "ribociclib") in drugs
    assert drugs.count(("chemotherapy", "paclitaxel")) == 1
    merged = [u for u in result.used if u.note and u.note.startswith("merged into")]
    assert merged  # each order is listed, not dropped


def test_unchecked_structure_gives_the_same_case() -> None:
    bundle = load_synthea(SYNTHEA[4])
    checked, unchecked = case_from_bundle(bundle), case_from_bundle(bundle, check_structure=False)
    assert checked.case == unchecked.case
    assert not unchecked.structure_checked
