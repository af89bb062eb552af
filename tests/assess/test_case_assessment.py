"""End-to-end: each bundled example case gives the key conclusions a clinician would draw from it.

Expected values are worked out by hand from the published rules and typed here, not read back from the
package's tables: AJCC 8th (any M1 is stage IV; the Oncotype DX rule), the 4-month de novo window, SINS
(Fisher 2010), Bilsky ESCC, Mirels 1989, revised Tokuhashi 2005, Tomita 2001, Bauer 1995, New Katagiri 2014,
the common albumin correction (Ca + 0.02 x (40 - albumin) mmol/L; Ca + 0.8 x (4 - albumin) mg/dL), CTCAE v5
hypercalcaemia limits (grade 3 above 3.1 mmol/L) and Pan 2017 (T2N0: 19% distant recurrence, years 5-20).
"""

from __future__ import annotations

import datetime
import json

import pytest

from metastasis import DISCLAIMER, assess_case
from metastasis.assess.case import AlertSeverity, AssessmentStatus, Report, SectionStatus
from metastasis.examples.cases import example_case_names, load_example_case


@pytest.fixture(scope="module")
def reports() -> dict[str, Report]:
    return {name: assess_case(load_example_case(name)) for name in example_case_names()}


def _alert_ids(report: Report) -> list[str]:
    return [a.id for a in report.alerts]


def test_de_novo_bone_only(reports):
    r = reports["de-novo-bone-only"]
    assert r.staging.stage.stage == "IV"
    assert r.staging.presentation == "de_novo"
    assert r.pattern.pattern.category.value == "bone_only"
    assert r.pattern.presentation.presentation.value == "de_novo"
    assert r.pattern.presentation.interval_days == 14
    lumbar = r.bone_scores.lesions[0]
    # SINS: mobile 2 + occasional pain 1 + lytic 2 + normal alignment 0 + no collapse, >50% involved 1 + none 0
    assert lumbar.scores["sins"].total == 6 and lumbar.scores["sins"].band == "stable"
    assert lumbar.scores["bilsky_escc"].grade == "0"
    # Tokuhashi: KPS 80 (2) or 70 (1) from ECOG 1; 1 extraspinal focus 1; 1 vertebra 2; no organs 2; breast 5;
    # no palsy 2 -> 14 or 13.
    assert sorted(s.total for s in r.bone_scores.patient_scores["tokuhashi_revised"]) == [13, 14]
    assert r.bone_scores.patient_scores["tomita"][0].total == 3  # slow 1 + no viscera 0 + multiple 2
    assert r.bone_scores.patient_scores["bauer"][0].total == 4  # breast 2 + no viscera 1 + no fracture 1
    assert r.bone_scores.patient_scores["katagiri_new"][0].total == 1  # only 'multiple skeletal metastases'
    # Denosumab started 2024-04-16, 29 days after the bone metastases: no BTA alert; stable spine: no bone alert.
    assert not any(a.startswith(("bta", "sins", "mirels", "escc", "calcium")) for a in _alert_ids(r))
    assert r.calcium.points[0].corrected.value == pytest.approx(2.39)  # 2.41 + 0.02 x (40 - 41)
    assert r.calcium.points[0].grade.grade == 0
    assert r.spread.status is SectionStatus.ASSESSED and r.spread.current == ["bone"]
    assert {o.id for o in r.options.options.options} >= {"endocrine_cdk46", "bone_targeted"}
    assert r.prognosis.predict is None
    assert "seer-isolated-bone-breast-5y" in [s.id for s in r.prognosis.statistics]


def test_recurrent_liver_and_bone(reports):
    r = reports["recurrent-liver-bone"]
    assert r.staging.stage.anatomic_stage == "IIB"  # pT2 pN1a cM0
    assert r.staging.presentation == "recurrent"
    assert r.statement("staging.recurrent") is not None
    assert r.pattern.pattern.category.value == "visceral"
    assert r.pattern.pattern.multi_organ
    assert r.pattern.presentation.presentation.value == "recurrent"
    assert r.pattern.oligometastatic.oligometastatic is False  # 3 liver + 2 ribs + 1 femur = 6 lesions
    femur = r.bone_scores.lesions[0]
    assert femur.scores["mirels"].total == 11  # peritrochanteric 3 + functional 3 + lytic 3 + 1/3-2/3 2
    # Mirels high risk with pain on walking is one situation: the impending-fracture red flag, Mirels a finding
    fracture = r.alert("red_flag:impending_fracture")
    assert fracture.severity is AlertSeverity.HIGH
    assert datetime.date(2024, 8, 12) in fracture.dates
    assert "$.bone_lesions[0]" in fracture.paths
    bta = r.alert("bta_not_started")  # 2024-08-12 + 6 months = 2025-02-12, after as_of 2024-09-20
    assert bta.severity is AlertSeverity.MODERATE and "2025-02-12" in bta.text
    assert r.assessment("tokuhashi_revised").status is AssessmentStatus.NOT_APPLICABLE  # no spinal lesion
    assert r.calcium.points[0].corrected.value == pytest.approx(9.92)  # 9.6 + 0.8 x (4.0 - 3.6)
    assert "liver" in r.spread.current and "bone" in r.spread.current
    assert r.triage.triage.urgency.value == "same_day"


def test_early_hr_positive_before_metastasis(reports):
    r = reports["early-hr-positive"]
    assert r.staging.stage.anatomic_stage == "IIA"  # pT2 pN0
    assert r.staging.stage.prognostic_stage == "IA"  # Oncotype DX RS 9 < 11, T1-2 N0, ER+, HER2-
    assert r.staging.presentation == "early"
    assert r.pattern.status is SectionStatus.NOT_APPLICABLE
    assert r.prognosis.predict is not None
    assert r.prognosis.predict.inputs.nodes == 0 and r.prognosis.predict.inputs.size_mm == 24
    assert r.prognosis.predict.treatments == ("radiotherapy", "hormone", "chemo")
    assert r.statement("prognosis.predict.chemo").text.startswith("Chemotherapy (considered, not recorded)")
    assert r.prognosis.late_recurrence.risk_years_5_to_20 == pytest.approx(0.19)  # Pan 2017, T2N0
    assert r.alerts == []
    assert r.spread.status is SectionStatus.NOT_APPLICABLE
    assert r.options.status is SectionStatus.NOT_APPLICABLE
    assert r.bone_scores.status is SectionStatus.NOT_APPLICABLE
    assert [a.origin for a in r.actions][-1] == "routine"


def test_spinal_cord_compression_emergency(reports):
    r = reports["spinal-cord-compression"]
    assert r.alerts[0].severity is AlertSeverity.EMERGENCY
    assert r.alert("red_flag:spinal_cord_compression") is not None
    assert [a.id for a in r.alerts if a.severity is AlertSeverity.EMERGENCY] == ["red_flag:spinal_cord_compression"]
    assert r.triage.triage.urgency.value == "emergency_now"
    assert r.actions[0].severity is AlertSeverity.EMERGENCY and r.actions[0].origin == "triage"
    assert "emergency" in r.actions[0].plain.lower()
    t8 = r.bone_scores.lesions[0]
    # SINS: semi-rigid 1 + mechanical 3 + lytic 2 + de novo deformity 2 + >50% collapse 3 + bilateral 3 = 14
    assert t8.scores["sins"].total == 14 and t8.scores["sins"].band == "unstable"
    assert t8.scores["bilsky_escc"].high_grade
    assert r.alert("sins_no_surgical_review").severity is AlertSeverity.HIGH
    # high-grade ESCC is the same clinical situation as the suspected cord compression: one alert, not two
    assert r.alert("escc_high_grade_no_review") is None
    assert any(f.startswith("High-grade epidural") for f in r.alert("red_flag:spinal_cord_compression").findings)
    # Tokuhashi: KPS 40/30 from ECOG 3 (0) + 1 extraspinal (1) + 1 vertebra (2) + no organs (2) + breast (5)
    # + incomplete palsy (1) = 11 either way.
    assert {s.total for s in r.bone_scores.patient_scores["tokuhashi_revised"]} == {11}
    assert r.statement("performance.worse") is not None  # ECOG 1 -> 3
    assert r.alert("bta_not_started") is None  # zoledronic acid 2023-03-15, a month after 2023-02-14


def test_hypercalcaemia(reports):
    r = reports["hypercalcaemia"]
    latest = r.calcium.points[-1]
    assert latest.corrected.value == pytest.approx(3.23)  # 3.05 + 0.02 x (40 - 31)
    assert r.calcium.points[0].corrected.value == pytest.approx(2.85)  # 2.71 + 0.02 x (40 - 33)
    assert latest.grade.grade == 3  # CTCAE v5: > 3.1 - 3.4 mmol/L
    assert r.calcium.trend == "rising"
    assert r.triage.triage.urgency.value == "emergency_now"
    # the rising calcium is a finding of the one hypercalcaemia alert, with its dates
    assert r.alert("calcium_rising") is None
    alert = r.alert("red_flag:hypercalcaemia")
    assert alert.severity is AlertSeverity.EMERGENCY
    assert any(f.startswith("Rising corrected calcium") for f in alert.findings)
    assert {datetime.date(2024, 5, 6), datetime.date(2024, 6, 3)} <= set(alert.dates)
    bta = r.alert("bta_not_started")  # bone metastases 2023-10-02, no agent by 2024-04-02
    assert bta.severity is AlertSeverity.HIGH and "2024-04-02" in bta.text
    assert bta.unverified  # the 6-month window rests on an unverified claim
    assert r.pattern.pattern.category.value == "bone_only"
    assert r.staging.presentation == "recurrent"
    # The lumbar lesion has no spinal details: SINS and ESCC could not run, and say what to record.
    paths = {m.path for m in r.missing_data}
    assert "$.bone_lesions[0].spine.location" in paths
    assert "$.bone_lesions[0].spine.escc_grade" in paths


@pytest.mark.parametrize("name", example_case_names())
def test_every_report_is_complete_and_cited(reports, name):
    r = reports[name]
    assert r.actions, "what to do now is never empty"
    assert r.actions == sorted(r.actions, key=lambda a: a.severity.rank)
    assert r.questions
    numbers = {ref.id: ref.number for ref in r.references}
    assert list(numbers.values()) == list(range(1, len(numbers) + 1))
    for statement in r.statements():
        assert set(statement.all_sources) <= set(numbers), statement.id
    for alert in r.alerts:
        assert alert.sources and set(alert.sources) <= set(numbers)
        assert alert.rule and alert.action and alert.plain_action
    for section in r.sections():
        assert (
            section.status is SectionStatus.NOT_APPLICABLE
            or section.statements
            or section.status in (SectionStatus.NOT_ASSESSED,)
        )
    assert r.disclaimer == DISCLAIMER
    assert r.as_of == load_example_case(name).as_of


@pytest.mark.parametrize("name", example_case_names())
def test_report_round_trips_through_json(reports, name):
    r = reports[name]
    data = json.loads(r.model_dump_json())
    assert data["case_id"] == name
    assert {"references", "missing_data", "alerts", "actions"} <= set(data)
    again = Report.model_validate(data)
    assert [a.id for a in again.alerts] == [a.id for a in r.alerts]
    assert again.statement("staging.stage").text == r.statement("staging.stage").text


def test_values_carry_provenance(reports):
    r = reports["hypercalcaemia"]
    values = {v.label: v for v in r.statement("calcium.latest").values}
    assert values["Calcium"].provenance.kind.value == "recorded"
    assert values["Calcium"].provenance.paths == ("$.labs[2]",)
    assert values["Albumin"].provenance.paths == ("$.labs[3]",)
    corrected = values["Corrected calcium"].provenance
    assert corrected.kind.value == "calculated" and "0.02" in corrected.detail
    assert "corrected-calcium-common" in corrected.sources
    stat = r.statement("prognosis.statistic.svensson-breast-1y").values[0]
    assert stat.provenance.kind.value == "published" and stat.display == "51%"


def test_today_defaults_to_as_of_and_can_be_later():
    case = load_example_case("recurrent-liver-bone")
    later = assess_case(case, today=datetime.date(2025, 3, 1))  # the 6-month window has now passed
    assert later.as_of == datetime.date(2025, 3, 1)
    assert later.alert("bta_not_started").severity is AlertSeverity.HIGH


def test_bad_input_is_refused():
    from metastasis.errors import InvalidInputError

    with pytest.raises(InvalidInputError, match="case"):
        assess_case({"schema_version": "1.0"})  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="today"):
        assess_case(load_example_case("hypercalcaemia"), today=datetime.date(2020, 1, 1))


def test_bone_simulation_uses_the_recorded_agent_and_its_start(reports):
    section = reports["de-novo-bone-only"].bone_simulation
    assert section.status is SectionStatus.ASSESSED
    assert section.lesion == "osteolytic" and section.drug == "denosumab" and section.recorded_drug
    assert section.start_day == 29  # denosumab 2024-04-16, bone metastases 2024-03-18
    summary = section.summary
    assert summary["treated"]["minimum_after_start"] > summary["untreated"]["minimum_after_start"]
    assert any("teaching model" in c for c in section.caveats)
    considered = reports["recurrent-liver-bone"].bone_simulation
    assert not considered.recorded_drug and "considered, not recorded" in considered.statements[0].text
    assert reports["early-hr-positive"].bone_simulation.status is SectionStatus.NOT_APPLICABLE
