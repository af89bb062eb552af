"""Symptom triage: each red-flag pattern and its near-misses, case by case; calcium through the calcium tools."""

from __future__ import annotations

import pytest

from metastasis.assess import triage
from metastasis.assess.triage import symptom_vocabulary
from metastasis.errors import InvalidInputError


def _fired(result) -> set[str]:
    return {rule.rule for rule in result.fired_rules}


# --- spinal cord compression ---------------------------------------------------------------------------------


def test_back_pain_alone_is_same_day_not_emergency():
    result = triage(["back_pain"])
    assert result.urgency.value == "same_day"
    assert _fired(result) == {"mscc.spinal_pain"}
    assert "care team today" in result.what_to_do_now


@pytest.mark.parametrize(
    "neuro", ["limb_weakness", "limb_numbness", "limb_tingling", "difficulty_walking", "bladder_control_loss",
              "bowel_control_loss", "saddle_numbness"],
)  # fmt: skip
def test_back_pain_with_any_neurological_symptom_is_an_emergency(neuro):
    result = triage(["back_pain", neuro])
    assert result.urgency.value == "emergency_now"
    assert "mscc.spinal_pain_with_neuro" in _fired(result)
    assert "mscc.spinal_pain" not in _fired(result)  # its "no neurological symptoms" is false here
    assert [c.condition for c in result.conditions] == ["spinal_cord_compression"]
    assert "spinal_cord_compression" in result.suspected_conditions
    assert "call emergency services" in result.what_to_do_now.lower()


def test_brief_example_back_pain_radiating_with_leg_weakness():
    result = triage(["back_pain_radiating", "leg_weakness"])  # leg_weakness is an alias of limb_weakness
    assert result.urgency.value == "emergency_now"
    assert {"mscc.spinal_pain_with_neuro", "mscc.radicular_pain", "neuro.limb_weakness"} <= _fired(result)
    assert [c.condition for c in result.conditions] == ["spinal_cord_compression"]  # one situation, one alert
    assert result.symptoms == ["back_pain_radiating", "limb_weakness"]
    assert result.sites[0].site == "spine"


def test_radicular_back_pain_alone_is_an_emergency_per_nice():
    result = triage(["back_pain_radiating"])
    assert result.urgency.value == "emergency_now"
    assert _fired(result) == {"mscc.radicular_pain"}
    assert "nice-cg75-mscc" in result.sources


def test_loss_of_bladder_control_is_an_emergency_even_without_back_pain():
    assert triage(["bladder_control_loss"]).urgency.value == "emergency_now"


@pytest.mark.parametrize("symptom", ["limb_tingling", "limb_numbness"])
def test_tingling_or_numbness_without_back_pain_is_same_day(symptom):
    result = triage([symptom])
    assert result.urgency.value == "same_day"
    assert _fired(result) == {"neuro.sensory_change"}


def test_new_limb_weakness_alone_is_an_emergency():
    assert triage(["limb_weakness"]).urgency.value == "emergency_now"


def test_spinal_work_up_is_whole_spine_mri():
    result = triage(["back_pain", "limb_weakness"])
    spine = next(item for item in result.workup if item.target == "spine")
    assert any("Whole-spine MRI" in test for test in spine.imaging)


# --- brain ------------------------------------------------------------------------------------------------


def test_new_seizure_is_an_emergency():
    result = triage(["seizure"])
    assert result.urgency.value == "emergency_now"
    assert _fired(result) == {"brain.seizure"}
    assert result.sites[0].site == "brain"


@pytest.mark.parametrize("companion", ["nausea_vomiting", "visual_changes", "confusion", "behaviour_change", "vertigo"])
def test_persistent_headache_with_raised_pressure_sign_is_an_emergency(companion):
    result = triage(["headache_persistent", companion])
    assert result.urgency.value == "emergency_now"
    assert "brain.raised_icp" in _fired(result)


def test_persistent_headache_alone_is_same_day():
    result = triage(["headache_persistent"])
    assert result.urgency.value == "same_day"
    assert "brain.raised_icp" not in _fired(result)


def test_vomiting_alone_is_not_an_emergency():
    assert triage(["nausea_vomiting"]).urgency.value == "soon"


# --- fracture ---------------------------------------------------------------------------------------------


def test_suspected_pathological_fracture_is_an_emergency():
    result = triage(["pathological_fracture"])
    assert result.urgency.value == "emergency_now"
    assert "pathological_fracture" in result.suspected_conditions


def test_pain_on_weight_bearing_is_same_day_and_plain_bone_pain_is_soon():
    assert triage(["bone_pain_activity"]).urgency.value == "same_day"
    assert triage(["bone_pain"]).urgency.value == "soon"
    assert triage(["bone_pain_night", "bone_pain_progressive"]).urgency.value == "soon"


# --- calcium (values typed by hand: SI correction 0.02 mmol/L per g/L below 40 g/L; CTCAE v5 limits) ------------


@pytest.mark.parametrize(
    ("calcium", "albumin", "corrected", "grade", "urgency"),
    [
        (2.40, 40, 2.40, 0, "routine"),  # normal
        (2.60, 30, 2.80, 1, "soon"),  # 2.60 + 0.2 = 2.80, above ULN 2.6, not above 2.9
        (2.80, 30, 3.00, 2, "same_day"),  # above 2.9
        (3.00, 35, 3.10, 2, "same_day"),  # 3.1 is not above 3.1
        (3.05, 35, 3.15, 3, "emergency_now"),  # above 3.1
        (3.10, 30, 3.30, 3, "emergency_now"),
        (3.40, 30, 3.60, 4, "emergency_now"),  # above 3.4
    ],
)
def test_calcium_alone_in_si_units(calcium, albumin, corrected, grade, urgency):
    result = triage([], calcium=calcium, albumin=albumin, units="si", uln=2.6)
    assert result.calcium is not None
    assert result.calcium.corrected == pytest.approx(corrected)
    assert result.calcium.grade == grade
    assert result.urgency.value == urgency
    assert "ctcae-v5" in result.sources


def test_calcium_in_conventional_units():
    result = triage([], calcium=12.6, albumin=4.0, units="conventional", uln=10.5)
    assert (result.calcium.grade, result.urgency.value) == (3, "emergency_now")
    assert "calcium.severe" in _fired(result)
    low = triage([], calcium=10.4, albumin=4.0, units="conventional", uln=10.5)
    assert (low.calcium.grade, low.urgency.value) == (0, "routine")


def test_mildly_raised_calcium_with_confusion_is_an_emergency():
    result = triage(["confusion"], calcium=2.60, albumin=30, units="si", uln=2.6)  # corrected 2.80, grade 1
    assert result.urgency.value == "emergency_now"
    assert "calcium.raised_with_confusion" in _fired(result)


def test_mildly_raised_calcium_with_thirst_is_same_day():
    result = triage(["excessive_thirst"], calcium=2.60, albumin=30, units="si", uln=2.6)
    assert result.urgency.value == "same_day"
    assert "calcium.raised_with_symptoms" in _fired(result)


def test_hypercalcaemia_symptoms_without_a_result_ask_for_a_calcium_test():
    result = triage(["excessive_thirst", "constipation"])
    assert result.urgency.value == "same_day"
    assert "calcium.suspected_clinically" in _fired(result)
    assert any(item.target == "hypercalcaemia" for item in result.workup)
    assert triage(["excessive_thirst"]).urgency.value == "soon"  # one feature alone


def test_same_symptoms_with_normal_calcium_do_not_fire_calcium_rules():
    result = triage(["excessive_thirst", "constipation"], calcium=2.3, albumin=40, units="si", uln=2.6)
    assert not [rule for rule in _fired(result) if rule.startswith("calcium.")]
    assert "hypercalcaemia" not in result.suspected_conditions


def test_missing_albumin_and_uln_are_flagged():
    result = triage([], calcium=2.7, units="si")
    assert result.calcium.corrected is None and result.calcium.uln_is_default and result.calcium.uln == 2.6
    assert any("No albumin" in c for c in result.caveats)
    assert any("No laboratory upper limit" in c for c in result.caveats)


@pytest.mark.parametrize(
    "labs",
    [
        {"calcium": 2.7},  # no units
        {"calcium": 2.7, "units": "mmol"},
        {"albumin": 30, "units": "si"},  # albumin without calcium
        {"calcium": 11.0, "units": "si"},  # mg/dL given as si: implausible
        {"alp": 300},  # no ULN
        {"alp": -3, "alp_uln": 120},
    ],
)
def test_bad_labs_are_refused(labs):
    with pytest.raises(InvalidInputError):
        triage(["fatigue"], **labs)


# --- other red flags, sites and output --------------------------------------------------------------------


def test_breathlessness_with_chest_pain_is_an_emergency_and_each_alone_is_same_day():
    assert triage(["shortness_of_breath", "chest_pain"]).urgency.value == "emergency_now"
    assert triage(["shortness_of_breath"]).urgency.value == "same_day"
    assert triage(["chest_pain"]).urgency.value == "same_day"


def test_jaundice_points_to_liver_first_with_liver_work_up():
    result = triage(["jaundice", "abdominal_pain", "chronic_cough"])
    assert result.urgency.value == "same_day"
    assert [s.site for s in result.sites][:2] == ["liver", "lung"]
    liver = next(item for item in result.workup if item.target == "liver")
    assert any("Liver function" in test for test in liver.labs)


def test_raised_alp_points_to_bone_and_liver():
    result = triage(["bone_pain"], alp=250, alp_uln=130)
    assert result.sites[0].site == "bone"
    assert "alp_above_uln" in result.sites[0].findings
    assert "labs.raised_liver_or_bone_enzymes" in _fired(result)
    assert triage(["bone_pain"], alp=100, alp_uln=130).sites[0].findings == ["bone_pain"]


def test_fatigue_alone_is_routine_and_still_says_what_to_do():
    result = triage(["fatigue", "malaise"])
    assert result.urgency.value == "routine"
    assert result.fired_rules == []
    assert "next visit" in result.what_to_do_now
    assert result.reasons[0].rule == "triage.no_rule_fired"


def test_every_result_has_plain_action_notice_and_sourced_reasons():
    for symptoms in (["seizure"], ["bone_pain"], ["back_pain"], ["fatigue"]):
        result = triage(symptoms)
        assert result.what_to_do_now and "not a diagnosis" in result.notice
        assert result.reasons and all(reason.sources for reason in result.reasons)


def test_bone_work_up_includes_turnover_markers_and_biopsy_of_first_metastasis():
    result = triage(["bone_pain"])
    bone = next(item for item in result.workup if item.target == "bone")
    assert any("NTx" in lab for lab in bone.labs)
    assert bone.biopsy and "re-test ER, PR and HER2" in result.first_metastasis_note


def test_unknown_symptom_lists_the_vocabulary_and_empty_input_is_refused():
    with pytest.raises(InvalidInputError) as info:
        triage(["tummy_ache"])
    assert info.value.field == "symptom" and "abdominal_pain" in info.value.allowed
    with pytest.raises(InvalidInputError):
        triage([])


def test_vocabulary_covers_the_issue_list():
    required = {
        "bone_pain", "bone_pain_progressive", "bone_pain_night", "bone_pain_activity", "bone_pain_rest_unrelieved",
        "pathological_fracture", "bone_swelling", "back_pain_radiating", "limb_numbness", "limb_tingling",
        "limb_weakness", "bladder_control_loss", "bowel_control_loss", "headache_persistent", "visual_changes",
        "seizure", "nausea_vomiting", "vertigo", "behaviour_change", "jaundice", "abdominal_pain", "appetite_loss",
        "chronic_cough", "shortness_of_breath", "chest_pain", "confusion", "constipation", "excessive_thirst",
        "fatigue", "malaise", "weight_loss", "back_pain_night",
    }  # fmt: skip
    assert required <= set(symptom_vocabulary())
