"""The case model: fields, spellings accepted at the boundary, reused vocabularies and the helper questions."""

import datetime

import pytest
from pydantic import ValidationError

from metastasis.domain import (
    BoneLesion,
    Case,
    LabResult,
    MetastaticSite,
    PerformanceStatus,
    SymptomReport,
    Treatment,
    Tumour,
)
from metastasis.domain.biomarkers import ReceptorStatus
from metastasis.errors import InvalidInputError


def case(**fields):
    return Case(schema_version="1.0", **fields)


def test_minimal_case_needs_only_the_schema_version():
    minimal = case()
    assert minimal.schema_version == "1.0"
    assert minimal.metastatic_sites == ()
    assert minimal.tumour == Tumour()


def test_schema_version_is_required_and_checked():
    with pytest.raises(ValidationError):
        Case()
    with pytest.raises(ValidationError):
        Case(schema_version="2.0")


def test_unknown_fields_are_refused_everywhere():
    with pytest.raises(ValidationError):
        case(patient={"age": 50})
    with pytest.raises(ValidationError):
        case(labs=[{"analyte": "calcium", "value": 2.5, "unit": "mmol/L", "date": "2024-01-01", "flag": "H"}])


def test_case_is_immutable():
    built = case(patient={"age_at_diagnosis": 50})
    with pytest.raises(ValidationError):
        built.patient = None  # type: ignore[misc]


@pytest.mark.parametrize(
    ("given", "stored"),
    [("cT2", "cT2"), ("pt1C", "pT1c"), ("ypT0", "ypT0"), ("T1mi", "T1mi"), ("pTis (DCIS)", "pTis(DCIS)")],
)
def test_t_category_is_parsed_by_the_staging_parser(given, stored):
    assert Tumour(t=given).t == stored


@pytest.mark.parametrize(("axis", "bad"), [("t", "T5"), ("n", "N4"), ("m", "pM0"), ("m", "MX"), ("n", "cN1a")])
def test_tnm_spellings_the_staging_parser_refuses_are_refused(axis, bad):
    with pytest.raises(ValidationError):
        Tumour(**{axis: bad})


def test_biomarker_spellings_are_normalised_at_the_boundary():
    tumour = Tumour(er="+", pr="neg", her2="equivocal", ki67="positive", grade="G3")
    assert tumour.er is ReceptorStatus.POSITIVE
    assert tumour.pr is ReceptorStatus.NEGATIVE
    assert tumour.her2 is ReceptorStatus.EQUIVOCAL
    assert tumour.grade == 3


@pytest.mark.parametrize("field", ["er", "pr", "ki67"])
def test_equivocal_is_for_her2_only(field):
    with pytest.raises(ValidationError):
        Tumour(**{field: "equivocal"})


@pytest.mark.parametrize("bad", [0, 4, "G4", 2.5, True])
def test_grade_must_be_one_to_three(bad):
    with pytest.raises(ValidationError):
        Tumour(grade=bad)


@pytest.mark.parametrize("bad", [0, -3, "22", True, float("nan")])
def test_size_must_be_a_positive_number(bad):
    with pytest.raises(ValidationError):
        Tumour(size_mm=bad)


def test_oncotype_score_range():
    assert Tumour(oncotype_rs=0).oncotype_rs == 0
    assert Tumour(oncotype_rs=100).oncotype_rs == 100
    with pytest.raises(ValidationError):
        Tumour(oncotype_rs=101)


@pytest.mark.parametrize("bad", ["2024-13-01", "2024-02-30", "01/02/2024", "20240102", 20240102])
def test_dates_are_iso_calendar_dates(bad):
    with pytest.raises(ValidationError):
        case(dates={"diagnosis": bad})


def test_dates_accept_date_objects_and_iso_text_but_not_datetimes():
    assert case(dates={"diagnosis": datetime.date(2024, 1, 2)}).dates.diagnosis == datetime.date(2024, 1, 2)
    assert case(dates={"diagnosis": "2024-01-02"}).dates.diagnosis == datetime.date(2024, 1, 2)
    with pytest.raises(ValidationError):
        case(dates={"diagnosis": datetime.datetime(2024, 1, 2, 9, 30)})


def test_sites_use_the_knowledge_catalogue_ids():
    assert MetastaticSite(site="spine_thoracic").site == "spine_thoracic"
    with pytest.raises(ValidationError):
        MetastaticSite(site="thoracic_spine")
    assert MetastaticSite(site="nodes_regional").distant is False
    assert MetastaticSite(site="nodes_distant").distant is True


def test_bone_lesion_site_must_be_bone():
    with pytest.raises(ValidationError):
        BoneLesion(site="liver")


def test_bone_lesion_reuses_score_vocabularies():
    lesion = BoneLesion(
        site="long_bones", lesion_type="osteolytic", size_fraction="gt_two_thirds", pain="functional", limb="lower_limb"
    )
    assert lesion.score_lesion == "lytic"
    assert lesion.is_long_bone and not lesion.is_spinal
    assert BoneLesion(site="pelvis", lesion_type="osteoblastic").score_lesion == "blastic"
    with pytest.raises(ValidationError):
        BoneLesion(site="long_bones", lesion_type="lytic")  # the case uses the knowledge names
    with pytest.raises(ValidationError):
        BoneLesion(site="long_bones", lesion_type="variable")  # describes primaries, not one lesion
    with pytest.raises(ValidationError):
        BoneLesion(site="long_bones", size_fraction="half")


def test_spinal_details_take_sins_and_escc_choices():
    lesion = BoneLesion(
        site="spine_thoracic",
        spine={
            "level": "t7-t9",
            "location": "semi_rigid",
            "pain": "mechanical",
            "alignment": "normal",
            "collapse": "lt_50",
            "posterolateral": "unilateral",
            "escc_grade": "1c",
            "palsy": "none",
        },
    )
    assert lesion.spine.level == "T7-T9"
    assert lesion.spine.regions() == {"spine_thoracic"}
    with pytest.raises(ValidationError):
        BoneLesion(site="spine", spine={"escc_grade": "1"})  # ESCC grades are labels; "1" alone is not one
    with pytest.raises(ValidationError):
        BoneLesion(site="spine", spine={"location": "thoracic"})


@pytest.mark.parametrize("level", ["T13", "L6", "C0", "T8-T8", "T9-T7", "thoracic"])
def test_spinal_level_format(level):
    with pytest.raises(ValidationError):
        BoneLesion(site="spine", spine={"level": level})


def test_level_ranges_span_regions():
    lesion = BoneLesion(site="spine", spine={"level": "T12-L1"})
    assert lesion.spine.regions() == {"spine_thoracic", "spine_lumbar"}
    assert BoneLesion(site="spine_lumbar", spine={"level": "T12-L1"}).spine.level == "T12-L1"


def test_symptoms_use_the_triage_ids_and_its_aliases():
    assert SymptomReport(id="back_pain_radiating").id == "back_pain_radiating"
    assert SymptomReport(id="leg_weakness").id == "limb_weakness"
    with pytest.raises(ValidationError):
        SymptomReport(id="sore back")


@pytest.mark.parametrize(("scale", "value"), [("ecog", 0), ("ecog", 5), ("karnofsky", 0), ("karnofsky", 70)])
def test_performance_status_values(scale, value):
    assert PerformanceStatus(scale=scale, value=value).value == value


@pytest.mark.parametrize(("scale", "value"), [("ecog", 6), ("ecog", -1), ("karnofsky", 75), ("karnofsky", 110)])
def test_performance_status_out_of_scale(scale, value):
    with pytest.raises(ValidationError):
        PerformanceStatus(scale=scale, value=value)


@pytest.mark.parametrize(
    ("unit", "stored"), [("mmol/L", "mmol/L"), ("mmol/l", "mmol/L"), ("MG/DL", "mg/dL"), ("mg/dL", "mg/dL")]
)
def test_calcium_units(unit, stored):
    lab = LabResult(analyte="calcium", value=2.5 if "mmol" in stored else 10.0, unit=unit, date="2024-01-01")
    assert lab.unit == stored
    assert lab.unit_system == ("si" if stored == "mmol/L" else "conventional")


@pytest.mark.parametrize(
    ("analyte", "unit", "stored"),
    [("bilirubin", "umol/L", "µmol/L"), ("alp", "IU/L", "U/L"), ("platelets", "x10^9/L", "10^9/L")],
)
def test_unit_aliases(analyte, unit, stored):
    assert LabResult(analyte=analyte, value=1, unit=unit, date="2024-01-01").unit == stored


def test_units_are_checked_per_analyte():
    with pytest.raises(ValidationError):
        LabResult(analyte="calcium", value=40, unit="g/L", date="2024-01-01")
    with pytest.raises(ValidationError):
        LabResult(analyte="alt", value=40, unit="mg/dL", date="2024-01-01")


def test_treatment_kinds_and_bone_targeted_drugs():
    for drug in ("denosumab", "zoledronic_acid", "pamidronate"):
        assert Treatment(kind="bone_targeted", drug=drug, start="2024-01-01").drug == drug
    assert Treatment(kind="endocrine", drug="letrozole", start="2024-01-01").ongoing
    with pytest.raises(ValidationError):
        Treatment(kind="hormone", start="2024-01-01")
    with pytest.raises(ValidationError):
        Treatment(kind="endocrine")  # the start date is required


def _sample() -> Case:
    return case(
        tumour={"m": "cM1"},
        dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-18"},
        metastatic_sites=[
            {"site": "spine_lumbar", "date": "2024-03-18"},
            {"site": "nodes_regional"},
            {"site": "liver", "date": "2024-03-20"},
            {"site": "spine_lumbar"},
        ],
        labs=[
            {"analyte": "calcium", "value": 2.9, "unit": "mmol/L", "date": "2024-05-02"},
            {"analyte": "calcium", "value": 2.6, "unit": "mmol/L", "date": "2024-04-01"},
            {"analyte": "albumin", "value": 35, "unit": "g/L", "date": "2024-04-01"},
        ],
        symptoms=[{"id": "confusion"}, {"id": "leg_weakness"}, {"id": "limb_weakness"}],
        performance_status=[
            {"scale": "ecog", "value": 1, "date": "2024-03-18"},
            {"scale": "karnofsky", "value": 60, "date": "2024-05-02"},
            {"scale": "ecog", "value": 2, "date": "2024-04-30"},
        ],
        treatments=[
            {"kind": "endocrine", "drug": "fulvestrant", "start": "2024-04-01"},
            {"kind": "endocrine", "drug": "letrozole", "start": "2024-03-25", "end": "2024-03-31"},
        ],
    )


def test_helper_questions():
    sample = _sample()
    assert sample.distant_sites() == ("spine_lumbar", "liver")
    assert [lab.value for lab in sample.labs_for("calcium")] == [2.6, 2.9]
    assert sample.latest_lab("calcium").value == 2.9
    assert sample.latest_lab("alp") is None
    assert sample.latest_performance().value == 60
    assert sample.latest_performance("ecog").value == 2
    assert sample.symptom_ids() == ("confusion", "limb_weakness")
    assert [t.drug for t in sample.treatments_of("endocrine")] == ["letrozole", "fulvestrant"]
    assert sample.first_metastasis_date() == datetime.date(2024, 3, 18)


def test_first_metastasis_date_falls_back_to_the_earliest_site_or_lesion():
    built = case(
        metastatic_sites=[{"site": "liver", "date": "2024-05-01"}],
        bone_lesions=[{"site": "pelvis", "date": "2024-04-20"}],
    )
    assert built.first_metastasis_date() == datetime.date(2024, 4, 20)
    assert case().first_metastasis_date() is None


def test_case_level_errors_raise_on_construction():
    with pytest.raises(ValidationError, match="before the diagnosis"):
        case(dates={"diagnosis": "2024-03-04", "metastasis": "2024-01-01"})


def test_helper_questions_refuse_unknown_names():
    sample = _sample()
    for call in (
        lambda: sample.labs_for("calcuim"),
        lambda: sample.latest_lab("Ca"),
        lambda: sample.latest_performance("kps"),
        lambda: sample.treatments_of("hormone"),
    ):
        with pytest.raises(InvalidInputError):
            call()
