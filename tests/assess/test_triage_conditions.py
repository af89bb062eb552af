"""Triage conditions: one alert per clinical situation, with its immediate management.

Expected texts are typed from the clinical sources (NICE NG234 recommendations 1.5.2 and 1.8.1 as quoted, the
NICE authors' BMJ summary, RCEM, West Midlands palliative care, the Endocrine Society 2023 abstract), never read
back from the package's data files.
"""

from __future__ import annotations

import pytest

from metastasis.assess import triage
from metastasis.assess.triage import FiredCondition, FiredRule
from metastasis.assess.triage_models import Urgency
from metastasis.evidence import all_sources


def _groups(result) -> list[tuple[str, list[str]]]:
    return [(c.condition, [r.rule for r in c.rules]) for c in result.conditions]


def _condition(result, condition_id: str) -> FiredCondition:
    return next(c for c in result.conditions if c.condition == condition_id)


# --- shape --------------------------------------------------------------------------------------------------


def test_fired_condition_has_exactly_the_agreed_fields():
    assert list(FiredCondition.model_fields) == [
        "condition", "title", "plain_title", "urgency", "rules", "action", "plain_action", "sources",
    ]  # fmt: skip
    assert FiredCondition.model_fields["rules"].annotation == list[FiredRule]


def test_every_fired_rule_belongs_to_a_condition():
    result = triage(["back_pain", "seizure", "jaundice", "chronic_cough"])
    assert all(isinstance(rule.condition, str) and rule.condition for rule in result.fired_rules)


# --- MSCC: one situation, one alert, with the NG234 bundle ----------------------------------------------------


def test_one_mscc_gives_one_condition_listing_its_three_emergency_rules():
    result = triage(["back_pain_radiating", "limb_weakness"])
    assert _groups(result) == [
        ("spinal_cord_compression", ["mscc.spinal_pain_with_neuro", "mscc.radicular_pain", "neuro.limb_weakness"])
    ]
    mscc = result.conditions[0]
    assert mscc.urgency is Urgency.EMERGENCY_NOW
    assert [r.rule for r in result.fired_rules] == [r.rule for r in mscc.rules]  # compatibility list kept


def test_mscc_action_names_steroids_spinal_precautions_mri_and_the_coordinator():
    action = triage(["back_pain", "limb_weakness"]).conditions[0].action
    lowered = action.lower()
    # NG234 1.8.1: 16 mg oral dexamethasone or the equivalent parenteral dose, as soon as possible
    assert "dexamethasone 16 mg" in lowered and "parenteral" in lowered and "as soon as possible" in lowered
    assert "unless contraindicated" in lowered and "haematolog" in lowered
    # immobilisation until spinal stability is assessed (BMJ summary of NG234; CG75 wording flat/neutral)
    assert "flat" in lowered and "neutral alignment" in lowered and "spinal stability" in lowered
    # NG234 1.5.2: MRI as soon as possible and always within 24 hours
    assert "whole-spine mri as soon as possible and always within 24 hours" in lowered
    assert "mscc coordinator" in lowered and "immediately" in lowered
    assert "\n" not in action and "  " not in action


def test_mscc_plain_action_says_call_now_lie_flat_and_tell_them_about_the_cancer():
    mscc = triage(["bladder_control_loss"]).conditions[0]
    assert mscc.condition == "spinal_cord_compression"
    plain = mscc.plain_action.lower()
    assert plain.startswith("call emergency services now")
    assert "lie flat" in plain and "keep your back still" in plain and "you have cancer" in plain
    assert mscc.plain_title == "Possible pressure on the spinal cord"


def test_mscc_condition_cites_ng234_and_its_summary():
    mscc = triage(["back_pain", "limb_weakness"]).conditions[0]
    assert {"nice-ng234-mscc", "bmj-2023-ng234-summary"} <= set(mscc.sources)
    assert set(mscc.sources) <= set(all_sources())


def test_mscc_action_appears_in_the_reasons_with_its_sources():
    result = triage(["back_pain", "limb_weakness"])
    reason = next(r for r in result.reasons if r.rule == "triage.condition.spinal_cord_compression")
    assert "dexamethasone 16 mg" in reason.text and "nice-ng234-mscc" in reason.sources
    assert "bmj-2023-ng234-summary" in result.sources


# --- night-time spinal pain -----------------------------------------------------------------------------------


def test_night_back_pain_is_its_own_symptom_and_fires_the_spinal_pain_rule():
    result = triage(["back_pain_night"])
    assert result.urgency is Urgency.SAME_DAY
    assert _groups(result) == [("spinal_metastasis", ["mscc.spinal_pain"])]
    assert result.sites[0].site == "spine"
    assert triage(["nocturnal_spinal_pain"]).symptoms == ["back_pain_night"]


def test_night_back_pain_with_a_neurological_symptom_is_mscc():
    result = triage(["back_pain_night", "limb_numbness"])
    assert _groups(result) == [("spinal_cord_compression", ["mscc.spinal_pain_with_neuro"])]


def test_spinal_metastasis_action_is_the_24_hour_coordinator_contact_with_a_safety_net():
    condition = triage(["back_pain"]).conditions[0]
    assert "mscc coordinator within 24 hours" in condition.action.lower()
    assert "call emergency services" in condition.plain_action.lower()
    assert condition.plain_action.startswith("Call your cancer care team today")


# --- hypercalcaemia: the treatment to discuss -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("calcium", "symptoms", "urgency"),
    [
        (3.3, [], Urgency.EMERGENCY_NOW),  # grade 3 (above 3.1 mmol/L)
        (3.0, [], Urgency.SAME_DAY),  # grade 2
        (2.8, ["excessive_thirst"], Urgency.SAME_DAY),  # grade 1 with a symptom
    ],
)
def test_hypercalcaemia_action_names_fluids_bisphosphonates_denosumab_and_calcitonin(calcium, symptoms, urgency):
    result = triage(symptoms, calcium=calcium, albumin=40, units="si", uln=2.6)
    condition = _condition(result, "hypercalcaemia")
    assert condition.urgency is urgency
    action = condition.action.lower()
    assert "iv 0.9% sodium chloride" in action
    assert "bisphosphonate" in action and "zoledronic acid" in action and "pamidronate" in action
    assert "denosumab" in action and "renal impairment" in action
    assert "calcitonin" in action and "rapid" in action
    assert action.index("0.9% sodium chloride") < action.index("bisphosphonate")  # fluids first


def test_mild_hypercalcaemia_without_symptoms_is_rechecked_not_treated_now():
    result = triage([], calcium=2.7, albumin=40, units="si", uln=2.6)  # grade 1, no symptoms
    condition = _condition(result, "hypercalcaemia")
    assert (condition.urgency, [r.rule for r in condition.rules]) == (Urgency.SOON, ["calcium.mild"])
    assert "recheck" in condition.action.lower() and "2.8 mmol/l" in condition.action.lower()
    assert "next few days" in condition.plain_action


def test_hypercalcaemia_condition_cites_the_treatment_sources():
    condition = _condition(triage([], calcium=3.3, albumin=40, units="si", uln=2.6), "hypercalcaemia")
    assert {"rcem-hypercalcaemia-treatment", "wmpcp-hypercalcaemia", "endocrine-society-hcm-2023"} <= set(
        condition.sources
    )


def test_calcium_rules_that_ask_for_treatment_name_it():
    from metastasis.assess.triage_models import rules

    for rule in rules():
        if rule.id.startswith("calcium.") and rule.urgency is not Urgency.SOON and "treat" in rule.text.lower():
            assert "bisphosphonate" in rule.text, rule.id


# --- grouping and order ---------------------------------------------------------------------------------------


def test_conditions_are_most_urgent_first_and_each_takes_its_most_urgent_rule():
    result = triage(["seizure", "back_pain", "bone_pain", "jaundice"], calcium=2.7, albumin=40, units="si")
    levels = [c.urgency.rank for c in result.conditions]
    assert levels == sorted(levels)
    assert result.urgency is result.conditions[0].urgency is Urgency.EMERGENCY_NOW
    for condition in result.conditions:
        assert condition.urgency is condition.rules[0].urgency
        assert [r.urgency.rank for r in condition.rules] == sorted(r.urgency.rank for r in condition.rules)
    assert [r.urgency.rank for r in result.fired_rules] == sorted(r.urgency.rank for r in result.fired_rules)


def test_severe_symptomatic_hypercalcaemia_lists_its_lower_rules_inside_one_group():
    result = triage(["excessive_thirst", "confusion"], calcium=3.3, albumin=40, units="si", uln=2.6)
    rules = dict(_groups(result))["hypercalcaemia"]
    assert rules == ["calcium.severe", "calcium.raised_with_confusion", "calcium.raised_with_symptoms"]
    assert "organ_involvement" not in dict(_groups(result))  # thirst is explained by the hypercalcaemia


def test_vomiting_with_a_persistent_headache_is_one_alert_not_two():
    result = triage(["headache_persistent", "nausea_vomiting"])
    assert _groups(result) == [("raised_intracranial_pressure", ["brain.raised_icp"])]


def test_no_rule_fired_means_no_condition():
    result = triage(["fatigue"])
    assert result.conditions == [] and result.fired_rules == []
