"""validate_case: every problem at once, with JSON paths; the consistency rules fire exactly when they should."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.domain import Case, CaseValidationError, Severity, validate_case
from metastasis.errors import InvalidInputError

BASE = {"schema_version": "1.0"}


def check(**fields):
    return validate_case({**BASE, **fields})


def by_path(report):
    return {p.path: p for p in report.problems}


def rules(report):
    return [p.rule for p in report.problems]


# --- structure -----------------------------------------------------------------------------------------


def test_a_valid_case_has_no_problems_and_carries_the_case():
    report = check(patient={"age_at_diagnosis": 60})
    assert report.ok and report.problems == ()
    assert isinstance(report.case, Case)
    assert report.summary() == "no problems"


def test_not_a_mapping():
    report = validate_case(["schema_version", "1.0"])
    assert not report.ok
    assert report.problems[0].path == "$"


def test_missing_version_and_unknown_field_are_reported_with_paths():
    report = validate_case({"tumor": {"t": "T2"}})
    problems = by_path(report)
    assert problems["$.schema_version"].message == "required field is missing"
    assert "unknown field" in problems["$.tumor"].message
    assert report.case is None


def test_lab_without_unit_names_the_units_allowed_for_that_analyte():
    report = check(labs=[{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}])
    problem = by_path(report)["$.labs[0].unit"]
    assert problem.severity is Severity.ERROR
    assert "needs its unit" in problem.message
    assert "mg/dL" in problem.allowed and "mmol/L" in problem.allowed


def test_lab_unit_null_is_the_same_problem():
    report = check(labs=[{"analyte": "albumin", "value": 35, "unit": None, "date": "2024-05-02"}])
    assert "$.labs[0].unit" in by_path(report)


def test_wrong_unit_for_the_analyte():
    problem = by_path(check(labs=[{"analyte": "alt", "value": 40, "unit": "mmol/L", "date": "2024-05-02"}]))[
        "$.labs[0].unit"
    ]
    assert problem.value == "mmol/L"
    assert problem.allowed == "U/L, µkat/L"


@pytest.mark.parametrize(
    ("value", "unit"),
    [(11.2, "mmol/L"), (2.6, "mg/dL"), (3.5, "g/L"), (35, "g/dL")],
)
def test_calcium_and_albumin_in_the_wrong_unit_are_caught(value, unit):
    analyte = "albumin" if unit.startswith("g") else "calcium"
    report = check(labs=[{"analyte": analyte, "value": value, "unit": unit, "date": "2024-05-02"}])
    assert rules(report) == ["labs.implausible_for_unit"]
    assert by_path(report)["$.labs[0].value"].value == value


def test_nested_paths_and_indices():
    report = check(
        metastatic_sites=[{"site": "bone"}],
        bone_lesions=[
            {"site": "pelvis"},
            {"site": "spine_thoracic", "spine": {"level": "T8", "escc_grade": "4"}},
        ],
    )
    assert list(by_path(report)) == ["$.bone_lesions[1].spine.escc_grade"]


def test_sre_errors_point_at_the_field():
    report = check(events=[{"kind": "broken_hip", "date": "2024-01-01"}])
    assert "$.events[0].kind" in by_path(report)


# --- every problem at once -----------------------------------------------------------------------------


def test_every_problem_is_reported_structural_and_clinical_together():
    data = {
        **BASE,
        "patient": {"age_at_diagnosis": "sixty", "sex": "male", "menopausal_status": "premenopausal"},
        "tumour": {"m": "cM0", "grade": 5},
        "dates": {"diagnosis": "2024-03-04", "metastasis": "2023-11-01"},
        "metastatic_sites": [{"site": "liver"}, {"site": "lever"}],
        "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}],
        "treatments": [{"kind": "chemotherapy", "start": "2024-05-01", "end": "2024-04-01"}],
        "events": [{"kind": "pathological_fracture", "date": "2023-01-01"}],
    }
    paths = set(by_path(validate_case(data)))
    assert paths == {
        "$.patient.age_at_diagnosis",
        "$.patient.menopausal_status",
        "$.tumour.grade",
        "$.dates.metastasis",
        "$.metastatic_sites[1].site",
        "$.labs[0].unit",
        "$.treatments[0].end",
        "$.events[0].date",
    }


def test_problems_are_in_document_order_without_repeats():
    report = check(
        labs=[{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}],
        patient={"sex": "male", "menopausal_status": "postmenopausal"},
    )
    assert [p.path for p in report.problems] == ["$.patient.menopausal_status", "$.labs[0].unit"]


def test_nothing_is_corrected():
    data = {
        **BASE,
        "dates": {"diagnosis": "2024-03-04", "metastasis": "2024-01-01"},
        "labs": [{"analyte": "calcium", "value": 11.2, "unit": "mmol/L", "date": "2024-05-02"}],
    }
    before = copy.deepcopy(data)
    report = validate_case(data)
    assert data == before
    assert report.case is None
    assert len(report.errors) == 2


# --- dates ---------------------------------------------------------------------------------------------


def test_metastasis_before_diagnosis():
    report = check(dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-03"}, metastatic_sites=[{"site": "liver"}])
    problem = by_path(report)["$.dates.metastasis"]
    assert problem.rule == "dates.metastasis_before_diagnosis"
    assert problem.value == "2024-03-03"
    assert "2024-03-04" in problem.allowed


def test_same_day_is_fine():
    assert check(
        dates={"diagnosis": "2024-03-04", "metastasis": "2024-03-04", "surgery": "2024-03-04"},
        metastatic_sites=[{"site": "bone"}],
        tumour={"m": "cM1"},
    ).ok


def test_surgery_before_diagnosis():
    report = check(dates={"diagnosis": "2024-03-04", "surgery": "2024-02-01"})
    assert rules(report) == ["dates.surgery_before_diagnosis"]


def test_site_and_lesion_dates_against_diagnosis_and_first_metastasis():
    report = check(
        dates={"diagnosis": "2020-01-10", "metastasis": "2024-03-01"},
        metastatic_sites=[{"site": "liver", "date": "2019-12-01"}, {"site": "bone", "date": "2024-02-01"}],
        bone_lesions=[{"site": "pelvis", "date": "2024-02-15"}],
    )
    assert rules(report) == [
        "metastatic_sites.before_diagnosis",
        "metastatic_sites.before_first_metastasis",
        "bone_lesions.before_first_metastasis",
    ]


def test_events_need_a_date_on_or_after_diagnosis():
    report = check(
        dates={"diagnosis": "2020-01-10"},
        events=[
            {"kind": "radiation_to_bone", "date": "2021-01-01"},
            {"kind": "spinal_cord_compression"},
            {"kind": "pathological_fracture", "date": "2019-05-01"},
        ],
    )
    assert by_path(report)["$.events[1].date"].rule == "events.date_missing"
    assert by_path(report)["$.events[2].date"].rule == "events.before_diagnosis"
    assert "$.events[0].date" not in by_path(report)


def test_event_date_is_required_even_without_a_diagnosis_date():
    assert rules(check(events=[{"kind": "surgery_to_bone"}])) == ["events.date_missing"]


def test_treatment_dates():
    report = check(
        dates={"diagnosis": "2020-01-10"},
        treatments=[
            {"kind": "chemotherapy", "start": "2020-02-01", "end": "2020-01-31"},
            {"kind": "endocrine", "start": "2019-12-01"},
            {"kind": "radiotherapy", "start": "2020-03-01", "end": "2020-03-01"},
        ],
    )
    assert by_path(report)["$.treatments[0].end"].rule == "treatments.end_before_start"
    assert by_path(report)["$.treatments[1].start"].rule == "treatments.before_diagnosis"
    assert len(report.problems) == 2


def test_dates_after_the_case_date():
    report = check(
        as_of="2024-06-01",
        labs=[{"analyte": "calcium", "value": 2.5, "unit": "mmol/L", "date": "2024-06-02"}],
        treatments=[{"kind": "endocrine", "start": "2024-05-01", "end": "2024-07-01"}],
        symptoms=[{"id": "fatigue", "onset": "2024-06-01"}],
    )
    assert set(by_path(report)) == {"$.labs[0].date", "$.treatments[0].end"}
    assert {p.rule for p in report.problems} == {"dates.after_as_of"}


# --- M category against the sites ----------------------------------------------------------------------


def test_m0_with_distant_sites_and_no_dates():
    report = check(tumour={"m": "cM0"}, metastatic_sites=[{"site": "liver"}, {"site": "lung"}])
    problem = by_path(report)["$.tumour.m"]
    assert problem.rule == "m.m0_with_distant_sites"
    assert problem.severity is Severity.ERROR
    assert "liver, lung" in problem.message


def test_m0_with_a_bone_lesion_only():
    report = check(tumour={"m": "cM0"}, bone_lesions=[{"site": "pelvis"}])
    assert "m.m0_with_distant_sites" in rules(report)


def test_m0_with_regional_nodes_only_is_fine():
    assert check(tumour={"m": "cM0"}, metastatic_sites=[{"site": "nodes_regional"}]).ok


def test_m0_with_metastasis_inside_the_staging_window_is_de_novo():
    # AJCC staging time frame: metastases found within 4 months of diagnosis belong to the stage at diagnosis.
    report = check(
        tumour={"m": "cM0"},
        dates={"diagnosis": "2024-01-10", "metastasis": "2024-04-01"},
        metastatic_sites=[{"site": "bone"}],
    )
    problem = by_path(report)["$.tumour.m"]
    assert "82 days" in problem.message
    assert "ajcc-staging-time-frame" in problem.sources
    assert any("ajcc-staging-time-frame" in caveat for caveat in report.caveats)  # the 4 months are unverified


def test_m0_with_metastasis_years_later_is_a_recurrence_not_a_contradiction():
    report = check(
        tumour={"m": "cM0"},
        dates={"diagnosis": "2016-05-10", "metastasis": "2024-08-12"},
        metastatic_sites=[{"site": "liver"}],
    )
    assert report.ok and report.problems == ()


def test_m0_window_edge():
    def m0(metastasis):
        return check(
            tumour={"m": "cM0"},
            dates={"diagnosis": "2024-01-10", "metastasis": metastasis},
            metastatic_sites=[{"site": "lung"}],
        )

    assert not m0("2024-05-10").ok  # exactly 4 months: still de novo
    assert m0("2024-05-11").ok


def test_recurrence_classified_m0_with_sites():
    report = check(
        tumour={"m": "rcM0"},
        dates={"diagnosis": "2016-05-10", "metastasis": "2024-08-12"},
        metastatic_sites=[{"site": "liver"}],
    )
    assert rules(report) == ["m.m0_with_distant_sites"]


def test_m1_without_sites_is_a_warning_only():
    report = check(tumour={"m": "cM1"})
    assert report.ok
    assert [(p.path, p.severity) for p in report.problems] == [("$.tumour.m", Severity.WARNING)]
    assert "(warning)" in str(report.problems[0])


def test_m1_with_first_metastasis_years_later_is_a_warning():
    report = check(
        tumour={"m": "cM1"},
        dates={"diagnosis": "2016-05-10", "metastasis": "2024-08-12"},
        metastatic_sites=[{"site": "liver"}],
    )
    assert report.ok
    assert rules(report) == ["m.m1_metastasis_later"]
    no_warning = check(
        tumour={"m": "rcM1"},
        dates={"diagnosis": "2016-05-10", "metastasis": "2024-08-12"},
        metastatic_sites=[{"site": "liver"}],
    )
    assert no_warning.problems == ()


# --- single records ------------------------------------------------------------------------------------


def test_spinal_details_on_a_non_spinal_site():
    report = check(bone_lesions=[{"site": "pelvis", "spine": {"level": "L5"}}], metastatic_sites=[{"site": "bone"}])
    problem = by_path(report)["$.bone_lesions[0].spine"]
    assert problem.rule == "lesion.spine_details_not_spinal"
    assert problem.value == "pelvis"


def test_mirels_limb_on_a_non_long_bone():
    report = check(bone_lesions=[{"site": "ribs", "limb": "upper_limb"}], metastatic_sites=[{"site": "ribs"}])
    assert rules(report) == ["lesion.limb_not_long_bone"]


def test_level_outside_the_spinal_region():
    report = check(
        bone_lesions=[{"site": "spine_cervical", "spine": {"level": "T8"}}], metastatic_sites=[{"site": "spine"}]
    )
    assert by_path(report)["$.bone_lesions[0].spine.level"].rule == "lesion.level_outside_site"
    fine = check(bone_lesions=[{"site": "spine", "spine": {"level": "T8"}}], metastatic_sites=[{"site": "spine"}])
    assert fine.ok


def test_male_patient_with_a_menopausal_status():
    assert rules(check(patient={"sex": "male", "menopausal_status": "premenopausal"})) == [
        "patient.menopausal_status_male"
    ]
    assert check(patient={"sex": "male", "menopausal_status": "unknown"}).ok


def test_tumour_size_against_t_is_a_warning():
    # AJCC 8th: T1 <= 20 mm, T2 > 20 to <= 50 mm, T3 > 50 mm.
    report = check(tumour={"t": "pT2", "size_mm": 12})
    assert report.ok
    problem = by_path(report)["$.tumour.t"]
    assert problem.severity is Severity.WARNING
    assert "T1c" in problem.message
    assert check(tumour={"t": "pT2", "size_mm": 35}).problems == ()
    assert check(tumour={"t": "cT4b", "size_mm": 12}).problems == ()  # T4 does not depend on size


def test_implausible_tumour_size_is_an_error():
    assert rules(check(tumour={"size_mm": 5000})) == ["tumour.size_implausible"]


def test_nodes():
    assert rules(check(tumour={"nodes_positive": 5, "nodes_examined": 3})) == ["tumour.nodes_positive_above_examined"]
    warn = check(tumour={"n": "pN0", "nodes_positive": 2})
    assert warn.ok and rules(warn) == ["tumour.n0_with_positive_nodes"]
    assert check(tumour={"n": "pN1b", "nodes_positive": 0}).problems == ()  # internal mammary only


def test_post_neoadjuvant_prefixes_are_not_mixed():
    assert rules(check(tumour={"t": "ypT1c", "n": "pN1a"})) == ["tumour.mixed_y_prefix"]
    assert check(tumour={"t": "ypT1c", "n": "ypN0"}).ok


def test_bone_targeted_drug_vocabulary():
    report = check(treatments=[{"kind": "bone_targeted", "drug": "ibandronate", "start": "2024-01-01"}])
    problem = by_path(report)["$.treatments[0].drug"]
    assert problem.allowed == "denosumab, zoledronic_acid, pamidronate"
    assert check(treatments=[{"kind": "bone_targeted", "start": "2024-01-01"}]).ok  # drug not recorded


# --- the site list -------------------------------------------------------------------------------------


def test_site_list_warnings():
    report = check(
        metastatic_sites=[{"site": "liver"}, {"site": "liver"}],
        bone_lesions=[{"site": "pelvis"}],
    )
    assert report.ok
    assert rules(report) == ["sites.bone_lesions_without_bone_site", "sites.duplicate"]


def test_metastasis_date_without_sites_is_a_warning():
    report = check(dates={"diagnosis": "2020-01-01", "metastasis": "2022-01-01"})
    assert report.ok and rules(report) == ["sites.metastasis_date_without_sites"]


# --- raising -------------------------------------------------------------------------------------------


def test_from_data_raises_one_error_with_every_problem():
    data = {
        **BASE,
        "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}],
        "dates": {"diagnosis": "2024-03-04", "surgery": "2024-01-01"},
    }
    with pytest.raises(CaseValidationError) as caught:
        Case.from_data(data, source="case.json")
    error = caught.value
    assert isinstance(error, InvalidInputError)
    assert error.field == "$.dates.surgery"
    assert len(error.problems) == 2
    message = str(error)
    assert "\n" not in message
    assert message.startswith("case.json: 2 errors: $.dates.surgery:")
    assert "$.labs[0].unit: a lab value needs its unit" in message
    assert error.to_dict()["problems"][1]["path"] == "$.labs[0].unit"


def test_warnings_do_not_raise():
    assert Case.from_data({**BASE, "tumour": {"m": "cM1"}}).check().warnings


# --- fuzzing -------------------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
_fields = st.sampled_from(
    [
        "patient",
        "tumour",
        "dates",
        "metastatic_sites",
        "bone_lesions",
        "labs",
        "symptoms",
        "performance_status",
        "treatments",
        "events",
        "reviews",
        "as_of",
    ]
)
_records = {
    "labs": st.fixed_dictionaries(
        {"analyte": st.sampled_from(["calcium", "albumin", "alp", "x"]), "value": _json, "date": _json},
        optional={"unit": st.sampled_from(["mmol/L", "mg/dL", "g/L", "U/L", "?"])},
    ),
    "bone_lesions": st.fixed_dictionaries(
        {"site": st.sampled_from(["spine", "pelvis", "long_bones", "liver"])},
        optional={"spine": st.fixed_dictionaries({}, optional={"level": _json}), "limb": _json, "date": _json},
    ),
    "events": st.fixed_dictionaries(
        {"kind": st.sampled_from(["pathological_fracture", "x"])}, optional={"date": _json}
    ),
}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_fields, _json, max_size=4))
def test_arbitrary_data_only_ever_yields_problems(fields):
    report = validate_case({**BASE, **fields})
    for problem in report.problems:
        assert problem.path.startswith("$")
        assert problem.message
    assert report.ok == (report.case is not None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_records["labs"], max_size=3),
    st.lists(_records["bone_lesions"], max_size=3),
    st.lists(_records["events"], max_size=2),
)
def test_arbitrary_records_only_ever_yield_problems(labs, lesions, events):
    report = validate_case({**BASE, "labs": labs, "bone_lesions": lesions, "events": events})
    assert all(problem.path.startswith("$") for problem in report.problems)
    assert report.ok == (report.case is not None)


def test_the_message_shows_five_problems_and_the_detail_all():
    data = {**BASE, "labs": [{"analyte": "calcium", "value": 2.5, "date": "2024-01-01"} for _ in range(7)]}
    with pytest.raises(CaseValidationError) as caught:
        Case.from_data(data)
    assert str(caught.value).endswith("; and 2 more")
    assert caught.value.detail.count("$.labs[") == 7


def test_wrong_shapes_are_reported_once_each():
    report = validate_case(
        {**BASE, "tumour": ["cT2"], "metastatic_sites": {"site": "liver"}, "events": [None], "dates": "2024-01-01"}
    )
    assert [(p.path, p.message) for p in report.problems] == [
        ("$.tumour", "expected a mapping of fields (a JSON object)"),
        ("$.dates", "expected a mapping of fields (a JSON object)"),
        ("$.metastatic_sites", "expected a list"),
        ("$.events[0]", "expected a mapping of fields (a JSON object)"),
    ]


def test_a_numeric_version_is_explained():
    problem = validate_case({"schema_version": 1.0}).problems[0]
    assert problem.path == "$.schema_version"
    assert "written as text" in problem.message
