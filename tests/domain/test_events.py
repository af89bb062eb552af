"""Skeletal-related events: the trial definition (pathological fracture, spinal cord compression, radiation or
surgery to bone; hypercalcaemia of malignancy only where a trial counted it)."""

import datetime

import pytest

from metastasis.domain.events import (
    CORE_SRE_KINDS,
    SRE_DEFINITION_SOURCES,
    SkeletalEventKind,
    SkeletalRelatedEvent,
    is_skeletal_related_event,
)
from metastasis.errors import InvalidInputError
from metastasis.evidence import get_source

CORE = ("pathological_fracture", "spinal_cord_compression", "radiation_to_bone", "surgery_to_bone")


@pytest.mark.parametrize("kind", CORE)
def test_core_kinds_always_count(kind):
    assert is_skeletal_related_event(kind) is True
    assert is_skeletal_related_event(kind, include_hypercalcemia=True) is True
    assert SkeletalRelatedEvent(kind=kind).counts_as_sre() is True


def test_hypercalcemia_counts_only_when_asked():
    event = SkeletalRelatedEvent(kind="hypercalcemia_of_malignancy")
    assert event.counts_as_sre() is False
    assert event.counts_as_sre(include_hypercalcemia=True) is True


def test_kinds_and_definition_source():
    assert {k.value for k in CORE_SRE_KINDS} == set(CORE)
    assert len(SkeletalEventKind) == 5
    assert [get_source(s).id for s in SRE_DEFINITION_SOURCES] == ["stopeck-2010"]


def test_event_fields_and_immutability():
    event = SkeletalRelatedEvent(kind="surgery_to_bone", date="2024-03-01", site="left femur", note="IM nail")
    assert event.date == datetime.date(2024, 3, 1)
    assert event.kind is SkeletalEventKind.SURGERY_TO_BONE
    with pytest.raises(Exception):  # noqa: B017, PT011 - frozen model
        event.site = "right femur"  # type: ignore[misc]
    assert SkeletalRelatedEvent.model_validate_json(event.model_dump_json()) == event


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "fracture"}, "kind"),
        ({"kind": "hypercalcaemia"}, "kind"),
        ({"kind": "surgery_to_bone", "date": "2024-13-01"}, "date"),
        ({"kind": "surgery_to_bone", "site": 12}, "site"),
        ({"kind": "surgery_to_bone", "extra": 1}, "extra"),
        ({}, "kind"),
    ],
)
def test_bad_input_raises_invalid_input_error(kwargs, field):
    with pytest.raises(InvalidInputError) as info:
        SkeletalRelatedEvent(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(("kind", "flag"), [("bone_pain", False), (None, False), ("radiation_to_bone", "yes")])
def test_is_sre_rejects_bad_input(kind, flag):
    with pytest.raises(InvalidInputError):
        is_skeletal_related_event(kind, include_hypercalcemia=flag)
