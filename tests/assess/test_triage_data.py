"""The triage data files: load-time checks of the rule language and the conditions, and plain patient words.

Patient-facing units (each rule's patient text, each condition's plain title with its plain action, the symptom
labels as a list) read at Flesch-Kincaid grade 8 or below (textstat) and carry no codes, ids or source names.
"""

from __future__ import annotations

import re

import pytest
import textstat
from pydantic import ValidationError

from metastasis.assess.triage_models import (
    Clause,
    Condition,
    Rule,
    Urgency,
    _check_conditions,
    conditions,
    rules,
    symptoms,
)
from metastasis.errors import DataIntegrityError
from metastasis.evidence import all_sources

MAX_GRADE = 8.0

# --- the rule language ----------------------------------------------------------------------------------------


def _rule(**changes) -> dict:
    base = {
        "id": "test.rule",
        "title": "Test",
        "urgency": "same_day",
        "condition": "spinal_metastasis",
        "when": [{"any": ["back_pain"]}],
        "text": "Clinician text.",
        "patient_text": "Patient text.",
        "sources": ["nice-cg75-mscc"],
    }
    return {**base, **changes}


def test_none_is_a_clause_of_its_own():
    assert Clause.model_validate({"none": ["limb_weakness"]}).symptom_ids() == ("limb_weakness",)
    with pytest.raises(ValidationError):
        Clause.model_validate({"any": ["back_pain"], "none": ["limb_weakness"]})
    with pytest.raises(ValidationError):
        Clause.model_validate({"none": []})


def test_a_rule_cannot_require_and_exclude_the_same_symptom():
    with pytest.raises(ValidationError, match="both requires and excludes"):
        Rule.model_validate(_rule(when=[{"any": ["back_pain"]}, {"none": ["back_pain", "limb_weakness"]}]))


def test_count_max_bounds_are_checked():
    assert Clause.model_validate({"count": {"min": 1, "max": 1, "of": ["chest_pain", "shortness_of_breath"]}})
    for bad in ({"min": 2, "max": 1}, {"min": 1, "max": 2}, {"min": 3}):
        with pytest.raises(ValidationError):
            Clause.model_validate({"count": {**bad, "of": ["chest_pain", "shortness_of_breath"]}})


def test_every_rule_names_a_condition():
    with pytest.raises(ValidationError):
        Rule.model_validate({k: v for k, v in _rule().items() if k != "condition"})


def _entry(levels: tuple[Urgency, ...]) -> Condition:
    texts = dict.fromkeys(levels, "Text.")
    return Condition(title="T", plain_title="T", action=texts, plain_action=texts, sources=("nice-cg75-mscc",))


def test_conditions_are_checked_against_the_rules():
    rule = Rule.model_validate(_rule())
    _check_conditions((rule,), {"spinal_metastasis": _entry((Urgency.SAME_DAY,))})
    with pytest.raises(DataIntegrityError, match="no entry"):
        _check_conditions((rule,), {})
    with pytest.raises(DataIntegrityError, match="named by no rule"):
        _check_conditions((rule,), {"spinal_metastasis": _entry((Urgency.SAME_DAY,)), "x": _entry((Urgency.SOON,))})
    with pytest.raises(DataIntegrityError, match="its rules reach"):
        _check_conditions((rule,), {"spinal_metastasis": _entry((Urgency.SAME_DAY, Urgency.SOON))})
    with pytest.raises(ValidationError):  # an empty action map, and an unregistered source
        Condition.model_validate({"title": "T", "plain_title": "T", "action": {}, "plain_action": {}, "sources": []})
    with pytest.raises(DataIntegrityError):
        Condition.model_validate({**_entry((Urgency.SOON,)).model_dump(), "sources": ["no-such-source"]})


def test_the_shipped_data_loads_and_every_condition_is_used():
    used = {rule.condition for rule in rules()}
    assert used == set(conditions())
    for entry in conditions().values():
        assert set(entry.sources) <= set(all_sources())


# --- plain words ------------------------------------------------------------------------------------------------


def _units() -> list[tuple[str, str]]:
    units = [(f"rule {r.id}", r.patient_text) for r in rules()]
    for condition_id, entry in conditions().items():
        for level, text in entry.plain_action.items():
            units.append((f"condition {condition_id} {level.value}", f"{entry.plain_title}. {' '.join(text.split())}"))
    units.append(("symptom labels", " ".join(f"{s.label}." for s in symptoms().values())))
    return units


UNITS = _units()
SOURCE_IDS = set(all_sources())


@pytest.mark.parametrize(("where", "text"), UNITS, ids=[where for where, _ in UNITS])
def test_patient_text_reads_at_grade_8_or_below(where, text):
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{where}: grade {grade:.1f}: {text}"


@pytest.mark.parametrize(("where", "text"), UNITS, ids=[where for where, _ in UNITS])
def test_patient_text_has_no_codes_ids_or_source_names(where, text):
    assert "_" not in text and not re.search(r"\b[A-Z]{3,}\b", text), where
    assert not [s for s in SOURCE_IDS if s in text.lower()], where
    for name in ("NICE", "NG234", "MSCC", "CTCAE", "RCEM", "ESMO", "Mirels"):
        assert name not in text, where


def test_night_back_pain_label_is_plain():
    assert symptoms()["back_pain_night"].label == "Back or neck pain at night that stops you sleeping"
    assert symptoms()["back_pain_night"].points_to == {"spine": 2}
