"""Bad input: a clear InvalidInputError, or a listed warning naming the resource and element path; never a crash,
nothing silently dropped."""

from __future__ import annotations

import copy
import datetime
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir import MAX_ENTRIES, case_from_bundle
from metastasis.interop.fhir.io import MAX_BUNDLE_BYTES, load_bundle

ER_ID = "Observation/tumor-marker-test-er-jenny-m"


def _resource(bundle: dict[str, Any], rid: str) -> dict[str, Any]:
    return next(e["resource"] for e in bundle["entry"] if e["resource"]["id"] == rid)


@pytest.mark.parametrize(
    ("bundle", "field"),
    [
        ([], "bundle"),
        ("Bundle", "bundle"),
        ({"resourceType": "Patient"}, "bundle.resourceType"),
        ({"resourceType": "Bundle", "entry": {}}, "bundle.entry"),
        ({"resourceType": "Bundle", "entry": [{"resource": "x"}]}, "bundle.entry[0].resource"),
        ({"resourceType": "Bundle", "entry": [{}]}, "bundle.entry[0].resource"),
        ({"resourceType": "Bundle", "type": "collection"}, "bundle.entry"),  # no breast primary
    ],
)
def test_not_a_usable_bundle(bundle: Any, field: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        case_from_bundle(bundle)
    assert caught.value.field == field


def test_too_many_entries() -> None:
    bundle = {"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Basic"}}] * (MAX_ENTRIES + 1)}
    with pytest.raises(InvalidInputError, match="at most"):
        case_from_bundle(bundle)


def test_two_patients(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    bundle["entry"].append(copy.deepcopy(bundle["entry"][0]))
    with pytest.raises(InvalidInputError, match="one patient"):
        case_from_bundle(bundle)


def test_no_breast_primary(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    primary = _resource(bundle, "primary-cancer-condition-jenny-m")
    primary["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "254637007"}]}  # a lung cancer code
    with pytest.raises(InvalidInputError, match="no breast primary"):
        case_from_bundle(bundle)


def test_unknown_code_system_is_warned(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    er = _resource(bundle, "tumor-marker-test-er-jenny-m")
    er["valueCodeableConcept"]["coding"][0]["system"] = "http://example.org/our-own-codes"
    result = case_from_bundle(bundle)
    assert result.case.tumour.er is None
    warning = next(w for w in result.warnings if w.resource == ER_ID)
    assert warning.path == "Observation.valueCodeableConcept.coding[0]"
    assert "unknown code system" in warning.message


def test_two_er_results_latest_wins(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    later = copy.deepcopy(_resource(bundle, "tumor-marker-test-er-jenny-m"))
    later["id"] = "er-retest"
    later["effectiveDateTime"] = "2019-01-10"
    later["valueCodeableConcept"]["coding"][0]["code"] = "LA6577-6"  # negative
    bundle["entry"].append({"resource": later})
    result = case_from_bundle(bundle)
    assert result.case.tumour.er.value == "negative"
    conflict = next(c for c in result.conflicts if c.field == "tumour.er")
    assert (conflict.kept.resource, conflict.kept.date) == ("Observation/er-retest", datetime.date(2019, 1, 10))
    assert [(d.value, d.resource) for d in conflict.dropped] == [("positive", ER_ID)]


def test_contradictory_her2_is_dropped_with_a_warning(jenny: dict[str, Any]) -> None:
    # HER2 negative overall but IHC 3+: the case refuses the pair (ASCO/CAP rule on tumour.her2), so the value it
    # names is left out, with a warning naming its resource; the IHC score stays.
    bundle = copy.deepcopy(jenny)
    ihc = {
        "resourceType": "Observation",
        "id": "her2-ihc",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "85319-2"}]},
        "valueString": "3+",
    }
    bundle["entry"].append({"resource": ihc})
    result = case_from_bundle(bundle)
    assert result.case.tumour.her2 is None
    assert result.case.tumour.her2_ihc == "3+"
    warning = next(w for w in result.warnings if w.resource == "Observation/tumor-marker-test-her2-jenny-m")
    assert warning.path == "Observation.valueCodeableConcept.coding[0]" and "tumour.her2" in warning.message


def test_malformed_resource_is_warned_not_read(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    _resource(bundle, "ecog-performance-status-jenny-m")["status"] = {"not": "a code"}
    result = case_from_bundle(bundle)
    assert result.case.performance_status == ()
    warning = next(w for w in result.warnings if w.resource == "Observation/ecog-performance-status-jenny-m")
    assert warning.message.startswith("not valid FHIR R4")


def test_partial_date_is_warned(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    _resource(bundle, "primary-cancer-condition-jenny-m")["onsetDateTime"] = "2018-03"
    result = case_from_bundle(bundle)
    assert result.case.dates.diagnosis is None and result.case.patient.age_at_diagnosis is None
    assert any(w.path == "Condition.onsetDateTime" and "partial date" in w.message for w in result.warnings)


def test_unknown_drug_code_is_warned(jenny: dict[str, Any]) -> None:
    bundle = copy.deepcopy(jenny)
    med = _resource(bundle, "cancer-related-medication-request-anastrozole-jenny-m")
    med["medicationCodeableConcept"]["coding"][0]["code"] = "99999999"
    result = case_from_bundle(bundle)
    assert "anastrozole" not in {t.drug for t in result.case.treatments}
    assert any(
        w.resource == "MedicationRequest/cancer-related-medication-request-anastrozole-jenny-m" for w in result.warnings
    )


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        (b"{", "not JSON"),
        (b"\xff\xfe", "not UTF-8"),
        (b'{"a": NaN}', "NaN"),
        (b"[" * 100_000 + b"]" * 100_000, "nesting"),
        (b'{"a": 1' + b"0" * 5000 + b"}", "too long"),
    ],
)
def test_bundle_text_errors(raw: bytes, detail: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_bundle(raw)
    assert detail in str(caught.value)


def test_bundle_text_too_large() -> None:
    with pytest.raises(InvalidInputError, match="at most"):
        load_bundle(b" " * (MAX_BUNDLE_BYTES + 1))


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    index=st.integers(min_value=0, max_value=24),
    key=st.sampled_from(
        [
            "code",
            "valueCodeableConcept",
            "effectiveDateTime",
            "onsetDateTime",
            "component",
            "subject",
            "extension",
            "medicationCodeableConcept",
            "bodySite",
            "gender",
            "birthDate",
            "valueQuantity",
            "category",
            "meta",
            "status",
            "dosageInstruction",
            "performedPeriod",
            "note",
            "referenceRange",
            "valueInteger",
        ]
    ),
    value=_JSON,
)
def test_never_a_crash(jenny: dict[str, Any], index: int, key: str, value: Any) -> None:
    bundle = copy.deepcopy(jenny)
    bundle["entry"][index % len(bundle["entry"])]["resource"][key] = value
    try:
        result = case_from_bundle(bundle)
    except InvalidInputError:
        return
    assert result.case is not None
