"""The timeline alerts fire exactly when they should: each rule at its edges, on cases changed one fact at a time.

Rules (docs/report.md): a bone-targeted agent must start within 6 months of the first bone metastasis; Mirels 9
or more (Mirels 1989: high risk) and SINS 13-18 (unstable) or 7-12 (potentially unstable; Fisher 2010) need a
surgical review dated on or after the lesion; Bilsky grade 2-3 needs a surgical or radiation oncology review;
corrected calcium that rose and is above the ULN; triage rules of urgency emergency_now or same_day.
"""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest

from metastasis import assess_case
from metastasis.assess.case import AlertSeverity
from metastasis.domain import Case
from metastasis.examples.cases import load_example_case


def _data(name: str) -> dict[str, Any]:
    return json.loads(load_example_case(name).to_json())


def _report(data: dict[str, Any]):
    return assess_case(Case.from_data(data))


def _ids(report) -> set[str]:
    return {a.id for a in report.alerts}


# --- bone-targeted agent within 6 months -------------------------------------------------------------------


def _without_bta(as_of: str) -> dict[str, Any]:
    data = _data("de-novo-bone-only")  # bone metastases 2024-03-18
    data["treatments"] = [t for t in data["treatments"] if t["kind"] != "bone_targeted"]
    data["as_of"] = as_of
    return data


def test_bta_not_yet_started_within_the_window_is_moderate():
    alert = _report(_without_bta("2024-04-22")).alert("bta_not_started")
    assert alert.severity is AlertSeverity.MODERATE
    assert alert.dates == (datetime.date(2024, 3, 18),)
    assert "2024-09-18" in alert.text  # the window's end


def test_bta_not_started_after_the_window_is_high():
    alert = _report(_without_bta("2024-09-19")).alert("bta_not_started")
    assert alert.severity is AlertSeverity.HIGH
    assert "bta-early-start-6-months" in alert.sources and alert.unverified


def test_bta_on_the_last_day_of_the_window_is_not_late():
    assert _report(_without_bta("2024-09-18")).alert("bta_not_started").severity is AlertSeverity.MODERATE


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2024-09-18", None, None),  # the last day of the window counts
        ("2024-09-19", None, AlertSeverity.LOW),  # started, but later than 6 months
        ("2024-03-10", None, None),  # started before the metastasis and still ongoing
        ("2024-03-05", "2024-03-10", AlertSeverity.HIGH),  # stopped before the metastasis: does not count
    ],
)
def test_bta_start_dates(start, end, expected):
    data = _without_bta("2024-10-01")
    data["treatments"].append({"kind": "bone_targeted", "drug": "zoledronic_acid", "start": start, "end": end})
    alert = _report(data).alert("bta_not_started")
    assert (alert.severity if alert else None) is expected


def test_no_bta_alert_without_bone_metastasis():
    data = _data("recurrent-liver-bone")
    data["metastatic_sites"] = [s for s in data["metastatic_sites"] if s["site"] == "liver"]
    data["bone_lesions"] = []
    assert "bta_not_started" not in _ids(_report(data))


# --- Mirels, SINS and ESCC without a review -------------------------------------------------------------


def _femur_without_symptoms() -> dict[str, Any]:
    """The liver-and-bone case without its symptoms: the Mirels alert stands on its own (with the recorded pain
    on movement it is a finding of the impending-fracture red flag)."""
    data = _data("recurrent-liver-bone")  # Mirels 11, lesion 2024-08-12
    data["symptoms"] = []
    return data


def test_mirels_alert_is_a_finding_of_the_impending_fracture_red_flag():
    report = _report(_data("recurrent-liver-bone"))  # pain on walking recorded
    assert "mirels_no_surgical_review" not in _ids(report)
    flag = report.alert("red_flag:impending_fracture")
    assert any(f.startswith("Long-bone lesion at high risk") for f in flag.findings)
    assert "orthopaedic surgical opinion" in flag.action
    assert [a for a in report.alerts if a.condition == "impending_fracture"] == [flag]


def test_mirels_alert_clears_with_an_orthopaedic_review_after_the_lesion():
    data = _femur_without_symptoms()
    data["reviews"].append({"kind": "orthopaedic_surgery", "date": "2024-09-01"})
    assert "mirels_no_surgical_review" not in _ids(_report(data))


def test_a_review_before_the_lesion_does_not_count():
    data = _femur_without_symptoms()
    data["reviews"].append({"kind": "orthopaedic_surgery", "date": "2024-01-10"})
    assert "mirels_no_surgical_review" in _ids(_report(data))


def test_a_non_surgical_review_does_not_count():
    data = _femur_without_symptoms()
    data["reviews"].append({"kind": "radiation_oncology", "date": "2024-09-01"})
    assert "mirels_no_surgical_review" in _ids(_report(data))


@pytest.mark.parametrize(
    ("size", "pain", "fires"),
    [
        ("one_third_to_two_thirds", "moderate", True),  # 3 + 2 + 3 + 2 = 10
        ("lt_one_third", "moderate", True),  # 3 + 2 + 3 + 1 = 9: the edge
        ("lt_one_third", "mild", False),  # 3 + 1 + 3 + 1 = 8: borderline, no alert
    ],
)
def test_mirels_threshold_is_nine(size, pain, fires):
    data = _femur_without_symptoms()
    data["bone_lesions"][0].update(size_fraction=size, pain=pain)
    assert ("mirels_no_surgical_review" in _ids(_report(data))) is fires


def test_potentially_unstable_spine_is_a_lesser_alert():
    data = _data("spinal-cord-compression")
    # semi-rigid 1 + mechanical 3 + lytic 2 + normal 0 + no collapse, >50% involved 1 + unilateral 1 = 8
    data["bone_lesions"][0]["spine"].update(alignment="normal", collapse="no_collapse_gt_50_involved")
    data["bone_lesions"][0]["spine"]["posterolateral"] = "unilateral"
    report = _report(data)
    assert report.bone_scores.lesions[0].scores["sins"].total == 8
    assert report.alert("sins_no_surgical_review").severity is AlertSeverity.MODERATE


def test_stable_spine_gives_no_sins_alert():
    data = _data("spinal-cord-compression")
    # semi-rigid 1 + occasional 1 + lytic 2 + normal 0 + none 0 + none 0 = 4
    data["bone_lesions"][0]["spine"].update(
        pain="occasional", alignment="normal", collapse="none", posterolateral="none"
    )
    assert "sins_no_surgical_review" not in _ids(_report(data))


def test_spinal_surgical_review_clears_sins_and_escc_alerts():
    data = _data("spinal-cord-compression")
    data["reviews"] = [{"kind": "spinal_surgery", "date": "2024-11-02"}]
    ids = _ids(_report(data))
    assert "sins_no_surgical_review" not in ids and "escc_high_grade_no_review" not in ids


def test_radiation_oncology_review_clears_escc_but_not_sins():
    data = _data("spinal-cord-compression")
    data["reviews"] = [{"kind": "radiation_oncology", "date": "2024-11-02"}]
    ids = _ids(_report(data))
    assert "escc_high_grade_no_review" not in ids and "sins_no_surgical_review" in ids


@pytest.mark.parametrize(("grade", "fires"), [("1c", False), ("2", True), ("3", True)])
def test_escc_alert_for_high_grade_only(grade, fires):
    data = _data("spinal-cord-compression")
    data["symptoms"] = []  # without cord-compression symptoms the ESCC alert stands on its own
    data["bone_lesions"][0]["spine"]["escc_grade"] = grade
    assert ("escc_high_grade_no_review" in _ids(_report(data))) is fires


@pytest.mark.parametrize(("grade", "folded"), [("1c", False), ("2", True), ("3", True)])
def test_high_grade_escc_with_cord_symptoms_is_one_alert(grade, folded):
    data = _data("spinal-cord-compression")
    data["bone_lesions"][0]["spine"]["escc_grade"] = grade
    report = _report(data)
    mscc = report.alert("red_flag:spinal_cord_compression")
    assert "escc_high_grade_no_review" not in _ids(report)
    assert any(f.startswith("High-grade epidural") for f in mscc.findings) is folded
    assert ("$.bone_lesions[0].spine.escc_grade" in mscc.paths) is folded


# --- rising calcium -------------------------------------------------------------------------------------


def _calcium(first: float, second: float, uln: float = 2.60) -> dict[str, Any]:
    data = _data("hypercalcaemia")
    data["labs"][0].update(value=first, uln=uln)  # 2024-05-06, albumin 33 g/L
    data["labs"][2].update(value=second, uln=uln)  # 2024-06-03, albumin 31 g/L
    return data


def test_rising_within_normal_range_is_not_an_alert():
    report = _report(_calcium(2.20, 2.30))  # corrected 2.34 -> 2.48, below the ULN
    assert report.calcium.trend == "rising"
    assert "calcium_rising" not in _ids(report)


def test_rising_to_grade_1_is_moderate():
    data = _calcium(2.40, 2.50)  # corrected 2.54 -> 2.68: above 2.60, not above 2.9
    data["symptoms"] = []  # no symptoms of hypercalcaemia: no triage red flag to fold into
    report = _report(data)
    assert report.calcium.points[-1].grade.grade == 1
    alert = report.alert("calcium_rising")
    assert alert.severity is AlertSeverity.MODERATE
    # the action names the treatment to discuss (IV fluids, then a bisphosphonate or denosumab)
    assert "IV fluids" in alert.action and "bisphosphonate" in alert.action and "denosumab" in alert.action


def test_rising_grade_1_with_symptoms_is_one_hypercalcaemia_alert():
    report = _report(_calcium(2.40, 2.50))  # the example's symptoms: thirst, constipation, confusion...
    assert "calcium_rising" not in _ids(report)
    alert = report.alert("red_flag:hypercalcaemia")
    assert any(f.startswith("Rising corrected calcium") for f in alert.findings)
    assert [a for a in report.alerts if a.condition == "hypercalcaemia"] == [alert]


def test_falling_calcium_is_not_an_alert():
    report = _report(_calcium(3.05, 2.71))
    assert report.calcium.trend == "falling"
    assert "calcium_rising" not in _ids(report)


def test_trend_needs_albumin_on_the_same_day():
    data = _data("hypercalcaemia")
    data["labs"] = [lab for lab in data["labs"] if not (lab["analyte"] == "albumin" and lab["date"] == "2024-05-06")]
    report = _report(data)
    assert report.calcium.trend is None
    assert "calcium_rising" not in _ids(report)
    assert any("calcium_trend" in m.needed_by for m in report.missing_data)


def test_calcium_in_mg_dl_with_albumin_in_g_l_is_converted_not_mixed():
    data = _data("recurrent-liver-bone")
    for lab in data["labs"]:
        if lab["analyte"] == "albumin":
            lab.update(value=36, unit="g/L")
    report = _report(data)
    assert report.calcium.points[0].corrected.value == pytest.approx(9.92)  # 9.6 + 0.8 x (4.0 - 3.6)


# --- red flags ------------------------------------------------------------------------------------------


def test_soon_only_triage_gives_no_red_flag():
    data = _data("de-novo-bone-only")
    data["symptoms"] = [{"id": "bone_pain"}]  # bone.pain: soon
    report = _report(data)
    assert report.triage.triage.urgency.value in ("soon", "routine")
    assert not any(a.startswith("red_flag:") for a in _ids(report))


def test_red_flag_dates_are_the_symptom_onsets():
    report = _report(_data("spinal-cord-compression"))
    alert = report.alert("red_flag:spinal_cord_compression")
    # the symptom onsets, and the date of the lesion whose high-grade ESCC is folded in
    assert alert.dates == (datetime.date(2023, 2, 14), datetime.date(2024, 10, 19), datetime.date(2024, 10, 31))
    assert alert.paths[:3] == ("$.symptoms[0]", "$.symptoms[1]", "$.symptoms[2]")


def test_no_symptoms_and_no_labs_no_triage():
    data = _data("spinal-cord-compression")
    data["symptoms"] = []
    data["labs"] = []
    report = _report(data)
    assert report.triage.triage is None
    assert not any(a.startswith("red_flag:") for a in _ids(report))
    assert "sins_no_surgical_review" in _ids(report)  # the imaging alerts do not depend on symptoms
