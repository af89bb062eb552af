"""The patient view of every bundled example reads right: no codes, ids or contradictions in its running text.

Running text is what a patient reads as sentences: alert titles, texts and actions, what to do now, section items
and questions. Values shown beside an item (``label = value``) are checked for snake_case ids too.
"""

from __future__ import annotations

import re

import pytest

from metastasis import assess_case
from metastasis.evidence import all_sources
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report.view import build_view

SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
RULE_ID = re.compile(r"\b[a-z]+\.[a-z_]+\b")
TNM_CODE = re.compile(r"\b(?:c|p|yc|yp|r)?[TNM](?:[0-4Xx]|is)[a-d]?\b")


def _running_text(view) -> list[str]:
    texts = [a.title for a in view.alerts] + [a.text for a in view.alerts] + [a.action for a in view.alerts]
    texts += [a.text for a in view.actions] + list(view.questions)
    texts += [item.text for section in view.sections for item in section.items]
    return texts


VIEWS = {name: build_view(assess_case(load_example_case(name)), "patient") for name in example_case_names()}


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_no_ids_rule_names_or_source_codes_in_the_patient_view(name):
    view = VIEWS[name]
    source_ids = set(all_sources())
    for text in _running_text(view):
        assert not SNAKE.search(text), text
        assert not RULE_ID.search(text), text
        assert not TNM_CODE.search(text), text
        assert not [s for s in source_ids if s in text], text
    for section in view.sections:
        for item in section.items:
            for value in item.values:
                assert not SNAKE.search(value.display), f"{value.label} = {value.display}"


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_one_urgency_for_one_situation(name):
    """Never 'call emergency services now' beside 'check within a day' for the same situation."""
    view = VIEWS[name]
    titles = [a.title for a in view.alerts]
    assert len(titles) == len(set(titles)), titles
    emergency = [a for a in view.alerts if a.severity == "emergency"]
    assert len(emergency) <= 1 or len({a.title for a in emergency}) == len(emergency)


def test_cord_compression_tells_the_patient_to_lie_flat_and_call_now():
    view = VIEWS["spinal-cord-compression"]
    first = view.actions[0].text
    assert first.startswith("Call emergency services now")
    assert "Lie flat" in first and "spinal cord" in first
    assert [a.severity for a in view.alerts].count("emergency") == 1


def test_cord_compression_names_dexamethasone_and_spinal_precautions_for_the_clinician():
    view = build_view(assess_case(load_example_case("spinal-cord-compression")), "clinician")
    action = view.actions[0].text
    assert "dexamethasone 16 mg" in action
    assert "lying flat" in action and "neutral alignment" in action
    assert "whole-spine MRI" in action and "within 24 hours" in action
    assert "MSCC coordinator" in action
