"""The FHIR code maps: loaded and checked once; codes typed here from the mCODE IG, the issue and Synthea."""

from __future__ import annotations

from typing import Any

import pytest

from metastasis.errors import DataIntegrityError
from metastasis.evidence import get_source
from metastasis.interop.fhir import codes as codes_module
from metastasis.interop.fhir.codes import fhir_codes
from metastasis.interop.fhir.observations import stage_label

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"

# Issue 19: clinical 21905-5/21906-3/21907-1/21908-9, pathological 21899-0/21900-6/21901-4/21902-2 (exhaustive).
TNM_LOINC = {
    "21905-5": ("T", "clinical"),
    "21906-3": ("N", "clinical"),
    "21907-1": ("M", "clinical"),
    "21908-9": ("stage", "clinical"),
    "21899-0": ("T", "pathological"),
    "21900-6": ("N", "pathological"),
    "21901-4": ("M", "pathological"),
    "21902-2": ("stage", "pathological"),
}


@pytest.mark.parametrize(("code", "expected"), TNM_LOINC.items())
def test_tnm_loinc_codes(code: str, expected: tuple[str, str]) -> None:
    assert fhir_codes().tnm_observation[(LOINC, code)] == expected


@pytest.mark.parametrize(
    ("code", "field"),
    [
        ("16112-5", "er"),
        ("85337-4", "er"),
        ("16113-3", "pr"),
        ("85339-0", "pr"),
        ("48676-1", "her2"),
        ("85319-2", "her2_ihc"),
        ("85318-4", "her2_ish"),
    ],
)
def test_marker_codes(code: str, field: str) -> None:
    assert fhir_codes().markers[(LOINC, code)] == field


def test_labs_of_the_issue() -> None:
    labs = fhir_codes().labs
    assert (labs["17861-6"], labs["1751-7"], labs["6768-6"]) == ("calcium", "albumin", "alp")


@pytest.mark.parametrize(
    ("code", "label"),
    [("23351008", "T1"), ("62455006", "N0"), ("55440008", "M1"), ("1228938002", "cT3"), ("1229947003", "pN0")],
)
def test_tnm_values(code: str, label: str) -> None:
    assert fhir_codes().tnm_values[code] == label


@pytest.mark.parametrize(
    ("code", "stage"), [("258215001", "I"), ("261634002", "IA"), ("261615002", "IIB"), ("258228008", "IV")]
)
def test_synthea_stage_values(code: str, stage: str) -> None:
    assert fhir_codes().stage_values[code] == stage


@pytest.mark.parametrize(
    ("code", "stage"), [("c1A", "IA"), ("3C", "IIIC"), ("IIB", "IIB"), ("p2", "II"), ("4", "IV"), ("0", "0")]
)
def test_ajcc_stage_codes(code: str, stage: str) -> None:
    assert stage_label(code) == stage


@pytest.mark.parametrize("code", ["5", "IIID", "T2", ""])
def test_not_stage_codes(code: str) -> None:
    assert stage_label(code) is None


@pytest.mark.parametrize(
    ("rxnorm", "drug", "kind"),
    [("583214", "paclitaxel", "chemotherapy"), ("198240", "tamoxifen", "endocrine"),
     ("1873983", "ribociclib", "cdk46_inhibitor"), ("84857", "anastrozole", "endocrine")],
)  # fmt: skip
def test_drugs(rxnorm: str, drug: str, kind: str) -> None:
    codes = fhir_codes()
    assert codes.drug_by_rxnorm[rxnorm] == drug
    assert codes.drugs[drug].kind == kind


def test_every_cited_source_is_registered() -> None:
    for source in fhir_codes().sources:
        assert get_source(source).id == source


def _broken(monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    real = codes_module.load_data

    def patched(text: str) -> Any:
        data = real(text)
        change(data)
        return data

    monkeypatch.setattr(codes_module, "load_data", patched)
    codes_module.fhir_codes.cache_clear()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["drugs"].append(d["drugs"][0]), "mapped twice"),
        (lambda d: d["drugs"][0].update(kind="magic"), "magic"),
        (lambda d: d["labs"][0].update(analyte="sodium"), "sodium"),
        (lambda d: d["tnm_values"][0].update(label="T9"), "T9"),
        (lambda d: d["stage_values"][0].update(stage="V"), "'V'"),
        (lambda d: d["markers"][0].update(system="nowhere"), "unknown system"),
        (lambda d: d.update(markers_sources=["no-such-source"]), "no-such-source"),
        (lambda d: d["body_structures"][0].update(site="moon"), "moon"),
    ],
)
def test_inconsistent_data_fails_loudly(monkeypatch: pytest.MonkeyPatch, change: Any, message: str) -> None:
    _broken(monkeypatch, change)
    try:
        with pytest.raises(DataIntegrityError, match=message):
            codes_module.fhir_codes()
    finally:
        monkeypatch.undo()
        codes_module.fhir_codes.cache_clear()
