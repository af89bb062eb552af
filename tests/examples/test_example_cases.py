"""The bundled example cases: each validates, tells the story its title promises, and feeds the scores.

Expected values are worked out by hand from the published items (Fisher 2010 SINS, Mirels 1989, Bilsky 2010,
the common albumin correction, AJCC 8th with the Oncotype DX rule), not read back from the package's tables.
"""

import datetime

import pytest

from metastasis.assess import bilsky_escc, corrected_calcium, mirels, sins
from metastasis.domain import Case, validate_case
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, example_case_text, load_example_case
from metastasis.knowledge import classify_pattern, classify_presentation
from metastasis.staging import stage_breast

NAMES = (
    "de-novo-bone-only",
    "early-hr-positive",
    "hypercalcaemia",
    "recurrent-liver-bone",
    "spinal-cord-compression",
)


def test_the_five_examples_are_bundled():
    assert example_case_names() == NAMES


@pytest.mark.parametrize("name", NAMES)
def test_each_example_is_valid_without_warnings_and_documented(name):
    case = load_example_case(name)
    assert isinstance(case, Case)
    assert case.id == name
    assert case.title and len(case.title) < 90
    assert case.description and "Fictional" in case.description
    assert case.as_of is not None
    assert case.check().problems == ()


@pytest.mark.parametrize("name", NAMES)
def test_each_example_round_trips(name):
    case = load_example_case(name)
    assert Case.from_data(case.model_dump(mode="json")) == case
    assert validate_case(case.model_dump(mode="json")).ok


def test_unknown_example():
    with pytest.raises(InvalidInputError) as caught:
        load_example_case("nope")
    assert "de-novo-bone-only" in caught.value.allowed
    with pytest.raises(InvalidInputError):
        example_case_text("../examples/data/de-novo-bone-only")


def _stage(case):
    t = case.tumour
    return stage_breast(t=t.t, n=t.n, m=t.m, grade=t.grade, er=t.er, pr=t.pr, her2=t.her2, oncotype_rs=t.oncotype_rs)


def _spine_sins(lesion):
    s = lesion.spine
    return sins(
        location=s.location,
        pain=s.pain,
        lesion=lesion.score_lesion,
        alignment=s.alignment,
        collapse=s.collapse,
        posterolateral=s.posterolateral,
    )


def test_de_novo_bone_only():
    case = load_example_case("de-novo-bone-only")
    assert _stage(case).anatomic_stage == "IV"
    assert classify_presentation(case.dates.diagnosis, case.dates.metastasis).presentation.value == "de_novo"
    assert classify_pattern(case.distant_sites()).category.value == "bone_only"
    l2 = case.bone_lesions[0]
    assert l2.spine.level == "L2"
    # mobile 2 + occasional pain 1 + lytic 2 + normal alignment 0 + >50 % body involved 1 + no posterolateral 0
    assert _spine_sins(l2).total == 6
    assert _spine_sins(l2).band == "stable"
    denosumab = case.treatments_of("bone_targeted")[0]
    assert denosumab.drug == "denosumab"
    assert (denosumab.start - case.dates.metastasis).days < 183  # started well within 6 months


def test_recurrent_liver_and_bone():
    case = load_example_case("recurrent-liver-bone")
    assert case.tumour.m == "cM0"
    assert classify_presentation(case.dates.diagnosis, case.dates.metastasis).presentation.value == "recurrent"
    assert classify_pattern(case.distant_sites()).category.value == "visceral"
    femur = next(lesion for lesion in case.bone_lesions if lesion.is_long_bone)
    # hip pain on walking is Mirels 'functional' pain (3): peritrochanteric 3 + functional 3 + lytic 3 + one to two
    # thirds 2 = 11: fixation favoured (>= 9)
    assert femur.pain == "functional"
    score = mirels(site=femur.limb, pain=femur.pain, lesion=femur.score_lesion, size=femur.size_fraction)
    assert score.total == 11
    assert not any(review.surgical for review in case.reviews)  # the surgical review is still missing
    alt = case.latest_lab("alt")
    assert alt.value > alt.uln
    assert case.treatments_of("bone_targeted") == ()


def test_early_hr_positive_has_what_predict_needs():
    case = load_example_case("early-hr-positive")
    t = case.tumour
    assert case.metastatic_sites == () and case.bone_lesions == ()
    assert (case.patient.age_at_diagnosis, t.size_mm, t.nodes_positive, t.grade) == (52, 24, 0, 3)
    assert (t.er.value, t.her2.value, t.pr.value, t.ki67.value, t.detection) == (
        "positive",
        "negative",
        "positive",
        "negative",
        "screen",
    )
    # pT2 pN0 cM0 is anatomic IIA; ER+ HER2- N0 T1-2 with Oncotype RS < 11 is prognostic IA (AJCC 8th).
    staged = _stage(case)
    assert (staged.anatomic_stage, staged.prognostic_stage) == ("IIA", "IA")


def test_spinal_cord_compression():
    case = load_example_case("spinal-cord-compression")
    t8 = case.bone_lesions[0]
    assert t8.spine.level == "T8" and t8.site == "spine_thoracic"
    # semi-rigid 1 + mechanical 3 + lytic 2 + de novo deformity 2 + collapse > 50 % 3 + bilateral 3 = 14
    assert _spine_sins(t8).total == 14
    assert _spine_sins(t8).band == "unstable"
    assert bilsky_escc(grade=t8.spine.escc_grade).high_grade is True
    assert {"back_pain_radiating", "limb_weakness"} <= set(case.symptom_ids())
    assert not any(review.surgical for review in case.reviews)
    assert [e.kind.value for e in case.events][-1] == "spinal_cord_compression"
    assert case.latest_performance("ecog").value == 3


def test_hypercalcaemia_rising_corrected_calcium():
    case = load_example_case("hypercalcaemia")
    calcium, albumin = case.labs_for("calcium"), case.labs_for("albumin")
    assert [lab.date for lab in calcium] == [datetime.date(2024, 5, 6), datetime.date(2024, 6, 3)]
    assert all(lab.unit == "mmol/L" for lab in calcium) and all(lab.unit == "g/L" for lab in albumin)
    corrected = [
        corrected_calcium(calcium=ca.value, albumin=alb.value, units="si").value
        for ca, alb in zip(calcium, albumin, strict=True)
    ]
    # 2.71 + 0.02 x (40 - 33) = 2.85; 3.05 + 0.02 x (40 - 31) = 3.23 mmol/L
    assert corrected == [2.85, 3.23]
    assert {"confusion", "excessive_thirst"} <= set(case.symptom_ids())
    assert case.treatments_of("bone_targeted") == ()
    assert (case.as_of - case.dates.metastasis).days > 183  # more than 6 months without a bone-targeted agent
