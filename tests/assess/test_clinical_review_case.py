"""Clinical review corrections in the whole-case assessment (issue 14), each at the rule that caused it.

Expected values are typed from the sources: Bauer 1995 gives one point each for a breast primary's two histology
items, no visceral metastasis, no pathological fracture and a solitary skeletal metastasis; the modified Bauer
score (Leithner 2008) was built and tested for spinal metastases; a vertebral body collapsed by a metastasis is a
pathological (compression) fracture; Mirels 1989 scores pain with use of the limb as 'functional'.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from metastasis import assess_case
from metastasis.assess.case import AssessmentStatus
from metastasis.domain import Case, validate_case
from metastasis.examples.cases import load_example_case
from metastasis.report.view import build_view


def _data(name: str) -> dict[str, Any]:
    return json.loads(load_example_case(name).to_json())


def _report(data: dict[str, Any]):
    return assess_case(Case.from_data(data))


def _item(result, label: str) -> str:
    return next(b.choice_label for b in result.breakdown if b.label.startswith(label))


# --- a collapsed vertebra is a pathological fracture --------------------------------------------------------


@pytest.mark.parametrize(
    ("collapse", "fracture", "bauer"),
    [
        # breast 2 + no visceral 1 + multiple 0 + fracture (absent 1, present 0)
        ("gt_50", True, 3),
        ("lt_50", True, 3),
        ("no_collapse_gt_50_involved", False, 4),
        ("none", False, 4),
    ],
)
def test_vertebral_collapse_counts_as_a_pathological_fracture(collapse, fracture, bauer):
    data = _data("spinal-cord-compression")
    data["events"] = [e for e in data["events"] if e["kind"] != "pathological_fracture"]
    data["bone_lesions"][0]["spine"]["collapse"] = collapse
    result = _report(data).bone_scores.patient_scores["bauer"][0]
    assert result.total == bauer
    assert _item(result, "Pathological fracture").startswith("Present" if fracture else "Absent")
    why = next(r for r in result.reasons if r.rule == "case.pathological_fracture")
    assert ("$.bone_lesions[0].spine.collapse" in why.text) is fracture


def test_the_cord_compression_example_scores_its_collapsed_t8_as_a_fracture():
    result = assess_case(load_example_case("spinal-cord-compression")).bone_scores.patient_scores["bauer"][0]
    assert result.total == 3  # was 4 ("best prognosis") while the collapse was ignored
    assert result.band == "intermediate"


def test_a_recorded_fracture_event_still_counts():
    data = _data("de-novo-bone-only")  # no collapse: Bauer 4
    data["events"] = [{"kind": "pathological_fracture", "date": "2024-04-01", "site": "right iliac bone"}]
    assert _report(data).bone_scores.patient_scores["bauer"][0].total == 3


# --- modified Bauer only with spinal metastases ---------------------------------------------------------


def test_modified_bauer_is_not_applied_without_spinal_metastases():
    report = assess_case(load_example_case("recurrent-liver-bone"))  # femur and ribs, no spine
    assert "bauer_modified" not in report.bone_scores.patient_scores
    assert "bauer" in report.bone_scores.patient_scores  # the original covers extremity metastases too
    status = {a.id: a.status for a in report.assessments}
    assert status["bauer_modified"] is AssessmentStatus.NOT_APPLICABLE
    assert status["tokuhashi_revised"] is AssessmentStatus.NOT_APPLICABLE


def test_modified_bauer_is_applied_with_spinal_metastases():
    report = assess_case(load_example_case("spinal-cord-compression"))
    assert report.bone_scores.patient_scores["bauer_modified"][0].total == 3  # breast 2 + no visceral 1


# --- Mirels pain on use is 'functional' --------------------------------------------------------------


def test_mirels_pain_contradicting_a_pain_on_use_symptom_is_a_warning():
    data = _data("recurrent-liver-bone")
    assert not [p for p in validate_case(data).problems if p.rule == "lesion.mirels_pain_vs_symptom"]
    data["bone_lesions"][0]["pain"] = "moderate"
    warned = [p for p in validate_case(data).problems if p.rule == "lesion.mirels_pain_vs_symptom"]
    assert [p.path for p in warned] == ["$.bone_lesions[0].pain"]
    assert warned[0].severity.value == "warning"


# --- symptoms explained by completed imaging ------------------------------------------------------------


def test_back_pain_explained_by_a_stable_imaged_lesion_is_followed_not_re_raised():
    report = assess_case(load_example_case("de-novo-bone-only"))  # back pain 2024-02-10, L2 imaged 2024-03-18
    assert [f.symptom for f in report.triage.followed] == ["back_pain"]
    assert "back_pain" not in report.triage.triage.symptoms
    assert not [a for a in report.alerts if "spinal" in a.id or "mscc" in a.id]
    assert report.statement("triage.followed.back_pain") is not None


def _de_novo(**spine: str) -> dict[str, Any]:
    data = _data("de-novo-bone-only")
    data["bone_lesions"][0]["spine"].update(spine)
    return data


@pytest.mark.parametrize(
    ("change", "why"),
    [
        (lambda d: d["symptoms"][0].update(onset="2024-04-01"), "pain began after the imaging"),
        (lambda d: d["symptoms"][0].pop("onset"), "onset unknown"),
        (lambda d: d["symptoms"].append({"id": "limb_weakness", "onset": "2024-04-20"}), "new neurological symptom"),
        (lambda d: d["symptoms"].append({"id": "back_pain_radiating"}), "new spinal symptom, undated"),
        (lambda d: d["bone_lesions"][0]["spine"].update(escc_grade="2"), "high-grade ESCC"),
        (lambda d: d["bone_lesions"][0]["spine"].update(collapse="gt_50", alignment="subluxation"), "not stable"),
        (lambda d: d["bone_lesions"][0]["spine"].pop("escc_grade"), "ESCC not recorded"),
    ],
)
def test_back_pain_is_triaged_when_the_imaging_does_not_explain_it(change, why):
    data = _data("de-novo-bone-only")
    change(data)
    report = _report(data)
    assert not report.triage.followed, why
    assert "back_pain" in report.triage.triage.symptoms, why


def test_the_patient_is_told_what_the_scan_showed_and_when_to_call():
    view = build_view(assess_case(load_example_case("de-novo-bone-only")), "patient")
    texts = [i.text for s in view.sections for i in s.items]
    followed = next(t for t in texts if "scan on" in t)
    assert "back" in followed and "weakness" in followed and "bladder" in followed


# --- model outputs are labelled as such ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["spinal-cord-compression", "recurrent-liver-bone", "de-novo-bone-only"])
def test_the_spread_models_next_site_is_not_shown_to_patients(name):
    report = assess_case(load_example_case(name))
    patient = build_view(report, "patient")
    assert "spread" not in {s.id for s in patient.sections}
    clinician = report.statement("spread.next").text
    assert clinician.startswith("Model output, not guidance")
    assert "not informed by data" in clinician


def test_bone_simulation_is_a_relative_model_quantity_not_bone_mass():
    report = assess_case(load_example_case("spinal-cord-compression"))
    statement = report.statement("bone_simulation.summary")
    assert "not this patient's bone mass" in statement.text
    assert all(v.label.startswith("Model relative bone quantity") for v in statement.values)
    assert all(v.unit == "% of model start" for v in statement.values)


def test_confusion_explained_by_hypercalcaemia_is_one_emergency_not_a_second_same_day_alert():
    report = assess_case(load_example_case("hypercalcaemia"))  # confusion with corrected calcium 3.23 mmol/L
    conditions = [c.condition for c in report.triage.triage.conditions]
    assert conditions[:2] == ["hypercalcaemia", "brain_metastasis"]  # the triage lists both situations
    flags = [a for a in report.alerts if a.id.startswith("red_flag:")]
    assert [a.id for a in flags] == ["red_flag:hypercalcaemia"]  # the report shows one urgency for them
    assert any(f.startswith("New neurological symptoms") for f in flags[0].findings)
    assert "Same-day review" in flags[0].action  # the clinician still reads the brain work-up
