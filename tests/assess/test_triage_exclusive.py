"""Rules that exclude each other by their own wording never fire together, and the overall urgency is the most
urgent fired rule: exhaustively over the spinal and neurological symptoms, pair by pair elsewhere, and by
property over the whole vocabulary. The expected urgencies are typed here from NICE CG75 / NG234 and the Scottish
referral guideline, not read from the rule file.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.assess import triage
from metastasis.assess.triage import symptom_vocabulary
from metastasis.assess.triage_models import Urgency, rules

BACK_PAIN = {"back_pain", "back_pain_night"}  # spinal pain suggestive of metastases, no radicular spread
SENSORY = {"limb_numbness", "limb_tingling"}
ALWAYS_EMERGENCY = {  # neurological symptoms of MSCC that are emergencies with or without back pain
    "back_pain_radiating", "limb_weakness", "difficulty_walking", "saddle_numbness", "bladder_control_loss",
    "bowel_control_loss",
}  # fmt: skip
SPINAL = sorted(BACK_PAIN | SENSORY | ALWAYS_EMERGENCY)
NEUROLOGICAL = SENSORY | ALWAYS_EMERGENCY
SUBSETS = [set(c) for n in range(1, len(SPINAL) + 1) for c in itertools.combinations(SPINAL, n)]


def _rules(result) -> set[str]:
    return {rule.rule for rule in result.fired_rules}


def _expected_spinal(present: set[str]) -> tuple[Urgency, str]:
    """Urgency and condition typed from the guidelines for a set of spinal and neurological symptoms."""
    if present & ALWAYS_EMERGENCY or (present & BACK_PAIN and present & SENSORY):
        return Urgency.EMERGENCY_NOW, "spinal_cord_compression"
    if present & BACK_PAIN:
        return Urgency.SAME_DAY, "spinal_metastasis"
    return Urgency.SAME_DAY, "sensory_change"


def test_there_are_1023_spinal_subsets():
    assert len(SPINAL) == 10 and len(SUBSETS) == 2**10 - 1


def test_every_spinal_subset_gives_one_situation_at_the_guideline_urgency():
    for present in SUBSETS:
        result = triage(sorted(present))
        urgency, condition = _expected_spinal(present)
        fired = _rules(result)
        assert result.urgency is urgency, present
        assert [c.condition for c in result.conditions] == [condition], present
        assert result.urgency is min((r.urgency for r in result.fired_rules), key=lambda u: u.rank)
        if present & NEUROLOGICAL:  # "no neurological symptoms"
            assert "mscc.spinal_pain" not in fired, present
        if present & (BACK_PAIN | ALWAYS_EMERGENCY):  # "without back pain, weakness, bladder or bowel symptoms"
            assert "neuro.sensory_change" not in fired, present
        levels = {r.urgency for r in result.fired_rules}
        assert not (Urgency.EMERGENCY_NOW in levels and Urgency.SAME_DAY in levels), present


@pytest.mark.parametrize(
    ("symptoms", "fires", "not_fired"),
    [
        (["shortness_of_breath", "chest_pain"], "chest.breathless_with_chest_pain", "chest.breathless_or_chest_pain"),
        (["shortness_of_breath"], "chest.breathless_or_chest_pain", "chest.breathless_with_chest_pain"),
        (["chest_pain"], "chest.breathless_or_chest_pain", "chest.breathless_with_chest_pain"),
        (["headache_persistent", "vertigo"], "brain.raised_icp", "brain.headache_alone"),
        (["headache_persistent", "confusion"], "brain.raised_icp", "brain.new_neurological_symptom"),
        (["headache_persistent", "seizure"], "brain.seizure", "brain.headache_alone"),
        (["visual_changes", "seizure"], "brain.seizure", "brain.new_neurological_symptom"),
        (["headache_persistent"], "brain.headache_alone", "brain.raised_icp"),
        (["behaviour_change"], "brain.new_neurological_symptom", "brain.raised_icp"),
        (["pathological_fracture", "bone_pain_activity"], "fracture.suspected", "fracture.mechanical_pain"),
        (["pathological_fracture", "bone_pain"], "fracture.suspected", "bone.pain"),
        (["bone_pain_activity", "bone_pain_night"], "fracture.mechanical_pain", "bone.pain"),
    ],
)
def test_mutually_exclusive_pairs(symptoms, fires, not_fired):
    fired = _rules(triage(symptoms))
    assert fires in fired and not_fired not in fired


@pytest.mark.parametrize(
    ("calcium", "symptoms", "fires", "not_fired"),
    [
        (2.7, [], "calcium.mild", "calcium.raised_with_symptoms"),  # grade 1, no symptoms: recheck
        (2.7, ["constipation"], "calcium.raised_with_symptoms", "calcium.mild"),  # "without symptoms" is false
        (2.7, ["confusion"], "calcium.raised_with_confusion", "calcium.mild"),
        (3.0, [], "calcium.moderate", "calcium.mild"),  # grade 2
        (3.3, [], "calcium.severe", "calcium.moderate"),  # grade 3
    ],
)
def test_calcium_grades_exclude_each_other(calcium, symptoms, fires, not_fired):
    fired = _rules(triage(symptoms, calcium=calcium, albumin=40, units="si", uln=2.6))
    assert fires in fired and not_fired not in fired


def _excludes(clause) -> bool:
    """A clause that states an absence: none of some symptoms, at most some of them, or no calcium result."""
    return (
        bool(clause.none)
        or (clause.count is not None and clause.count.max is not None)
        or (clause.calcium_given is False)
    )


def test_rules_that_say_without_or_no_have_an_excluding_clause_and_the_reverse():
    for rule in rules():
        says = " without " in f" {rule.title} " or ", no " in rule.title or " no " in rule.title
        assert says == any(_excludes(clause) for clause in rule.when), rule.id


@settings(max_examples=300, deadline=None)
@given(st.sets(st.sampled_from(sorted(symptom_vocabulary())), min_size=1, max_size=8))
def test_any_symptom_set_respects_the_exclusions_and_groups_consistently(present):
    result = triage(sorted(present))
    by_id = {rule.id: rule for rule in rules()}
    for fired in result.fired_rules:
        for clause in by_id[fired.rule].when:
            assert not set(clause.none or ()) & present, fired.rule
    expected = min((r.urgency for r in result.fired_rules), key=lambda u: u.rank, default=Urgency.ROUTINE)
    assert result.urgency is expected
    grouped = [r.rule for c in result.conditions for r in c.rules]
    assert sorted(grouped) == sorted(r.rule for r in result.fired_rules)
    assert len({c.condition for c in result.conditions}) == len(result.conditions)
    for condition in result.conditions:
        assert {r.condition for r in condition.rules} == {condition.condition}
        assert condition.urgency is condition.rules[0].urgency
