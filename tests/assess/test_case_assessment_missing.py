"""What the report cannot assess, it says, with the data to record and where (the JSON path in the case)."""

from __future__ import annotations

from metastasis import assess_case
from metastasis.assess.case import AssessmentStatus, SectionStatus
from metastasis.domain import Case


def _case(**parts) -> Case:
    return Case.from_data({"schema_version": "1.0", "as_of": "2024-06-01", **parts})


def _missing(report) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for item in report.missing_data:
        for assessment in item.needed_by:
            found.setdefault(assessment, set()).add(item.path)
    return found


def test_an_almost_empty_case_lists_what_to_record_first():
    report = assess_case(_case())
    missing = _missing(report)
    assert missing["staging"] == {"$.tumour.t", "$.tumour.n", "$.tumour.m"}
    assert "$.symptoms[]" in missing["triage"]
    assert "$.performance_status[]" in missing["performance"]
    assert {"$.patient.age_at_diagnosis", "$.tumour.size_mm", "$.tumour.nodes_positive", "$.tumour.er"} == (
        missing["predict"]
    )
    assert report.staging.status is SectionStatus.NOT_ASSESSED
    assert report.actions[-1].origin == "routine"
    assert any(a.origin == "missing_data" for a in report.actions)


def test_a_spinal_lesion_without_details_asks_for_the_sins_items_and_the_escc_grade():
    report = assess_case(
        _case(
            tumour={"t": "cT2", "n": "cN0", "m": "cM1", "er": "+", "pr": "+", "her2": "-"},
            dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-18"},
            metastatic_sites=[{"site": "spine_thoracic", "date": "2024-03-18"}],
            bone_lesions=[{"site": "spine_thoracic", "date": "2024-03-18", "lesion_type": "osteolytic"}],
        )
    )
    missing = _missing(report)
    assert missing["sins"] == {
        "$.bone_lesions[0].spine.location",
        "$.bone_lesions[0].spine.pain",
        "$.bone_lesions[0].spine.alignment",
        "$.bone_lesions[0].spine.collapse",
        "$.bone_lesions[0].spine.posterolateral",
    }
    assert missing["bilsky_escc"] == {"$.bone_lesions[0].spine.escc_grade"}
    assert "$.bone_lesions[].spine.palsy" in missing["tokuhashi_revised"]
    assert report.assessment("sins", "$.bone_lesions[0]").status is AssessmentStatus.NOT_RUN
    # A single site without a lesion count cannot say 'solitary': Bauer, Tomita and Katagiri ask for it.
    assert "$.metastatic_sites[].lesion_count" in missing["bauer"]
    assert report.bone_scores.status is SectionStatus.NOT_ASSESSED


def test_a_long_bone_lesion_asks_for_the_mirels_items_it_lacks():
    report = assess_case(
        _case(
            tumour={"t": "cT2", "n": "cN0", "m": "cM1", "er": "+", "pr": "+", "her2": "-"},
            dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-18"},
            metastatic_sites=[{"site": "long_bones", "date": "2024-03-18", "lesion_count": 1}],
            bone_lesions=[{"site": "long_bones", "lesion_type": "osteolytic", "limb": "lower_limb"}],
        )
    )
    assert _missing(report)["mirels"] == {"$.bone_lesions[0].pain", "$.bone_lesions[0].size_fraction"}
    assert report.bone_scores.patient_scores["bauer"][0].total == 5  # breast 2 + no viscera, fracture 1+1 + solitary 1


def test_unknown_her2_leaves_subtype_dependent_parts_to_ask():
    report = assess_case(
        _case(
            tumour={"t": "cT2", "n": "cN0", "m": "cM1", "er": "+", "pr": "+"},
            dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-18"},
            metastatic_sites=[{"site": "liver", "date": "2024-03-18", "lesion_count": 2}],
        )
    )
    missing = _missing(report)
    assert missing["options"] == {"$.tumour.her2"}
    assert missing["reference_statistics"] == {"$.tumour.her2"}
    assert report.options.status is SectionStatus.NOT_ASSESSED
    assert report.spread.subtype == "all"  # the all-subtype chain, with a caveat
    assert any("No default chain" in c for c in report.spread.caveats)


def test_calcium_without_albumin_is_graded_uncorrected_and_albumin_is_asked_for():
    report = assess_case(
        _case(
            tumour={"t": "cT2", "n": "cN0", "m": "cM0"},
            dates={"diagnosis": "2024-03-04"},
            labs=[{"analyte": "calcium", "value": 2.95, "unit": "mmol/L", "date": "2024-05-30"}],
        )
    )
    point = report.calcium.points[0]
    assert point.corrected is None
    assert point.grade.grade == 2  # 2.95 > 2.9 mmol/L (CTCAE v5 grade 2)
    assert point.uln_is_default  # no ULN recorded: the triage default of 2.6 mmol/L
    assert "NOT corrected" in report.statement("calcium.latest").text
    assert "$.labs[]" in _missing(report)["calcium"]
    assert report.calcium.status is SectionStatus.PARTIAL


def test_done_assessments_list_no_missing_data():
    report = assess_case(_case(tumour={"t": "pT1c", "n": "pN0", "m": "cM0"}))
    staging = report.assessment("staging")
    assert staging.status is AssessmentStatus.DONE and staging.missing == ()
