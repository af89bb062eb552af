"""The compiled structure check (interop/fhir/structure.py) never accepts what fhir.resources refuses.

Its "yes" replaces a fhir.resources validation in the import, so it must be as strict or stricter: checked here on
every resource of the test bundles and on random mutations of them, against the fhir.resources R4B model itself.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.reading import READ_ELEMENTS, validated
from metastasis.interop.fhir.structure import passes
from tests.interop.conftest import SYNTHEA, load_json, load_synthea


def _fhir_accepts(resource: dict[str, Any]) -> bool:
    """The reference: the fhir.resources R4B model on the elements the import reads."""
    kind = resource["resourceType"]
    model = get_fhir_model_class(kind)
    try:
        model.model_validate({k: v for k, v in resource.items() if k in READ_ELEMENTS[kind]})
    except ValidationError:
        return False
    return True


def _read_resources() -> list[dict[str, Any]]:
    bundles = [load_synthea(p) for p in SYNTHEA]
    bundles += [
        load_json("mcode_ig", "EX_ExtendedExample-jenny-m.json"),
        load_json("mcode_ig", "EX_Basic-secondary-cancer-condition-brain-mets.json"),
        load_json("extraction", "csv-staging-bundle.json"),
    ]
    found = [e["resource"] for b in bundles for e in b.get("entry", []) if "resource" in e]
    found.append(load_json("extraction", "primary-cancer-condition.json"))
    return [r for r in found if r.get("resourceType") in READ_ELEMENTS]


RESOURCES = _read_resources()
# One of each resource type and profile-ish shape, for the mutation test (the whole corpus is checked above).
SAMPLE = list({(r["resourceType"], str(sorted(r))): r for r in RESOURCES}.values())


def test_the_corpus_is_large_enough() -> None:
    kinds = {r["resourceType"] for r in RESOURCES}
    assert len(RESOURCES) > 4000
    assert {"Patient", "Condition", "Observation", "Procedure", "MedicationRequest"} <= kinds


def test_agrees_with_fhir_resources_on_every_test_resource() -> None:
    """Sound (never yes where fhir.resources says no) and, on real data, complete (so the import stays fast)."""
    disagree = [(r["resourceType"], r.get("id")) for r in RESOURCES if passes(r) != _fhir_accepts(r)]
    assert disagree == []


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*path, i))


REPLACEMENTS = st.one_of(
    st.sampled_from([None, "", " ", "x y", "final", "2019-13-45", "2019-02-03", "2019-02-03T25:00:00Z", 0, -1, 2**40]),
    st.sampled_from([1.5, True, False, [], [None], {}, {"x": 1}, {"coding": None}, {"coding": [None]}]),
    st.sampled_from([{"value": "1"}, {"system": 3}, {"reference": ["a"]}, {"text": ""}, {"start": "2019"}]),
    st.text(max_size=6),
    st.integers(),
)
EXTRA_KEYS = st.sampled_from(["valueString", "valueBoolean", "_status", "status__ext", "fhir_comments", "unknown"])


def _mutate(resource: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    mutated = copy.deepcopy(resource)
    for _ in range(data.draw(st.integers(1, 3))):
        paths = [p for p in _paths(mutated) if p]
        path = data.draw(st.sampled_from(paths))
        parent = mutated
        for step in path[:-1]:
            parent = parent[step]
        action = data.draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "replace":
            parent[path[-1]] = copy.deepcopy(data.draw(REPLACEMENTS))  # the strategy's constants stay unchanged
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(EXTRA_KEYS)] = copy.deepcopy(data.draw(REPLACEMENTS))
        else:
            parent.append(copy.deepcopy(data.draw(REPLACEMENTS)))
    return mutated


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_never_accepts_what_fhir_resources_refuses(data: st.DataObject) -> None:
    resource = _mutate(data.draw(st.sampled_from(SAMPLE)), data)
    if passes(resource):
        assert _fhir_accepts(resource), resource


OBSERVATION = {
    "resourceType": "Observation",
    "status": "final",
    "code": {"coding": [{"system": "http://loinc.org", "code": "17861-6"}]},
    "valueQuantity": {"value": 9.5, "unit": "mg/dL", "system": "http://unitsofmeasure.org", "code": "mg/dL"},
    "effectiveDateTime": "2019-02-03T10:00:00-05:00",
}


@pytest.mark.parametrize(
    ("change", "lean", "fhir"),
    [
        ({}, True, True),
        ({"valueString": "high"}, False, False),  # two elements of one choice group value[x]
        ({"status": None}, False, False),  # status is required
        ({"code": None}, False, True),  # required, but fhir.resources lets a null through: refused here
        ({"category": [None]}, False, False),  # null inside a list of complex elements
        ({"effectiveDateTime": "2019-02-30"}, False, False),
        ({"code": {"coding": [{"system": "http://loinc.org", "code": "17861-6", "colour": "red"}]}}, False, False),
        ({"note": None}, False, True),  # a null element: refused here (stricter), accepted by fhir.resources
        ({"encounter": 3}, True, True),  # not read, so not checked by either
    ],
)
def test_stricter_never_looser(change: dict[str, Any], lean: bool, fhir: bool) -> None:
    resource = {**OBSERVATION, **change}
    assert passes(resource) is lean
    assert _fhir_accepts(resource) is fhir
    # validated() reports fhir.resources' own verdict, whatever the compiled check said
    assert (validated(resource) is None) is fhir


def test_the_message_is_fhir_resources_own() -> None:
    assert validated({**OBSERVATION, "effectiveDateTime": "2019-02-30"}) == (
        "effectiveDateTime: Input should be a valid datetime or date, day value is outside expected range"
    )


def test_unknown_resource_types_are_left_to_fhir_resources() -> None:
    assert passes({"resourceType": "Encounter", "status": "finished"}) is False
    assert passes({"resourceType": "NoSuchThing"}) is False
    assert validated({"resourceType": "NoSuchThing"}) == "unknown resource type 'NoSuchThing'"


def test_deep_nesting_is_a_warning_not_a_crash() -> None:
    """fhir.resources recurses once per nested extension (Python's recursion limit at a few hundred levels); the
    compiled check refuses such depth, and the resource is reported, never a crash."""
    from metastasis.interop.fhir import case_from_bundle
    from metastasis.interop.fhir.io import load_bundle

    depth = 400
    nested = '{"url": "urn:x", "extension": [' * depth + '{"url": "urn:x", "valueString": "a"}' + "]}" * depth
    jenny = load_json("mcode_ig", "EX_ExtendedExample-jenny-m.json")
    primary = next(e["resource"] for e in jenny["entry"] if e["resource"]["id"] == "primary-cancer-condition-jenny-m")
    alone = {"resourceType": "Bundle", "entry": [{"resource": primary}]}
    assert case_from_bundle(alone).case.dates.diagnosis is not None  # read when not nested too deeply

    deep = copy.deepcopy(primary)
    deep["extension"] = [*deep.get("extension", []), load_bundle(nested)]
    assert validated(deep) == "elements nested too deeply to check (hundreds of levels)"
    with pytest.raises(InvalidInputError, match="no breast primary"):  # the one primary was not read
        case_from_bundle({"resourceType": "Bundle", "entry": [{"resource": deep}]})


def test_a_type_whose_required_elements_are_not_all_read_is_left_to_fhir_resources() -> None:
    """fhir.resources refuses every subset lacking a required element, so the compiled check must not build one."""
    from metastasis.interop.fhir.structure import _reads_every_required_element

    observation = get_fhir_model_class("Observation")
    assert _reads_every_required_element(observation, READ_ELEMENTS["Observation"])
    assert not _reads_every_required_element(observation, frozenset({"resourceType", "status"}))  # no code
    request = get_fhir_model_class("MedicationRequest")
    without_medication = READ_ELEMENTS["MedicationRequest"] - {"medicationCodeableConcept", "medicationReference"}
    assert not _reads_every_required_element(request, without_medication)  # medication[x] is required
