"""Each concept judged against hand-built cases: met, not met, unknown, and negation (real criteria text)."""

from __future__ import annotations

import pytest

from tests.trials.helpers import case, judged, metastatic_case

TRIPLE_NEGATIVE = {"t": "cT2", "n": "cN1", "m": "cM1", "er": "negative", "pr": "negative", "her2": "negative"}
HER2_POSITIVE = {"t": "cT2", "n": "cN1", "m": "cM1", "er": "negative", "pr": "negative", "her2": "positive"}
EARLY = {"t": "cT2", "n": "cN0", "m": "cM0", "er": "positive", "pr": "positive", "her2": "negative"}


def test_receptors():
    assert judged("ER positive.", metastatic_case()).status == "met"
    assert judged("ER positive.", metastatic_case(tumour=TRIPLE_NEGATIVE)).status == "not_met"
    assert judged("ER positive.", case()).status == "unknown"  # no receptor recorded
    text = "A diagnosis of HR+/HER2- locally advanced or metastatic breast cancer"
    assert judged(text, metastatic_case()).status == "met"
    assert judged(text, metastatic_case(tumour=HER2_POSITIVE)).status == "not_met"
    assert judged(text, case(tumour=EARLY)).status == "unknown"  # early disease: "locally advanced" is undecided


def test_triple_negative():
    text = "Histologically proven metastatic breast carcinoma with triple negative receptor status."
    assert judged(text, metastatic_case()).status == "not_met"
    assert judged(text, metastatic_case(tumour=TRIPLE_NEGATIVE)).status in ("met", "unknown")


def test_her2_low_needs_the_ihc_score():
    text = "has confirmed HER2+, HER2-low or HER2-ultralow tumor status by local pathology"
    low = {**EARLY, "m": "cM1", "her2_ihc": "1+"}
    assert judged(text, metastatic_case(tumour=low)).status == "met"
    assert judged(text, metastatic_case(tumour=HER2_POSITIVE)).status == "met"
    # HER2-negative without an IHC score: HER2-low unknown, and "ultralow" is not recognised
    assert judged(text, metastatic_case()).status == "unknown"


def test_brain_metastases_as_an_exclusion():
    text = "Known brain or meningeal metastases"
    assert judged(text, metastatic_case(), "exclusion").status == "not_met"
    brain = metastatic_case(metastatic_sites=[{"site": "brain"}, {"site": "liver"}])
    assert judged(text, brain, "exclusion").status == "met"
    assert judged(text, case(tumour=EARLY), "exclusion").status == "not_met"  # M0, no metastatic site
    assert judged(text, case(tumour={"m": "cM1"}), "exclusion").status == "unknown"  # sites not recorded


def test_negated_site_in_an_inclusion():
    text = "patients without brain metastases"  # the example wording
    assert judged(text, metastatic_case()).status == "met"
    assert judged(text, metastatic_case(metastatic_sites=[{"site": "brain"}])).status == "not_met"


def test_qualified_brain_metastases_stay_unknown_when_present():
    text = "Radiologic evidence of new and/or progressive brain metastasis"
    assert judged(text, metastatic_case(metastatic_sites=[{"site": "brain"}])).status == "unknown"


def test_bone_only_disease():
    text = "Stable bone only disease after definitive therapy"
    bone_only = metastatic_case(metastatic_sites=[{"site": "pelvis"}, {"site": "ribs"}])
    assert judged(text, metastatic_case()).status == "not_met"  # liver too
    assert judged(text, bone_only).status == "unknown"  # bone only, but "stable ... after definitive therapy"


def test_ecog_and_karnofsky():
    text = "ECOG status of 0, 1 or 2."
    assert judged(text, metastatic_case()).status == "met"
    worse = metastatic_case(performance_status=[{"scale": "ecog", "value": 3}])
    assert judged(text, worse).status == "not_met"
    kps_only = metastatic_case(performance_status=[{"scale": "karnofsky", "value": 80}])
    assert judged(text, kps_only).status == "unknown"  # scales are not converted
    assert judged("Karnofsky Performance Status (KPS) of ≥70%", kps_only).status == "met"
    low = metastatic_case(performance_status=[{"scale": "karnofsky", "value": 60}])
    assert judged("Karnofsky Performance Status (KPS) of ≥70%", low).status == "not_met"
    assert judged("Karnofsky score <= 70", low, "exclusion").status == "met"


def test_menopausal_status_and_age_in_text():
    text = "Post-menopausal status; age ≤75 years;"
    assert judged(text, metastatic_case()).status == "met"  # 64-65 now, postmenopausal
    pre = metastatic_case(patient={"age_at_diagnosis": 40, "sex": "female", "menopausal_status": "premenopausal"})
    assert judged(text, pre).status == "not_met"
    old = metastatic_case(patient={"age_at_diagnosis": 80, "sex": "female", "menopausal_status": "postmenopausal"})
    assert judged(text, old).status == "not_met"


def test_named_prior_drugs_unknown_without_a_treatment_list():
    text = "No previous exposure to anthracycline/anthracenedione-based chemotherapy."
    assert judged(text, metastatic_case()).status == "unknown"  # no treatments recorded: not proof of none
    epirubicin = [{"kind": "chemotherapy", "drug": "epirubicin-cyclophosphamide", "start": "2020-02-01",
                   "end": "2020-05-01"}]  # fmt: skip
    assert judged(text, metastatic_case(treatments=epirubicin)).status == "not_met"
    letrozole = [{"kind": "endocrine", "drug": "letrozole", "start": "2023-02-15"}]
    assert judged(text, metastatic_case(treatments=letrozole)).status == "met"
    unnamed = [{"kind": "chemotherapy", "start": "2020-02-01", "end": "2020-05-01"}]
    assert judged(text, metastatic_case(treatments=unnamed)).status == "unknown"  # may have been one


def test_prior_chemotherapy_for_metastatic_disease_uses_the_metastasis_date():
    text = "Patients must not have had previous chemotherapy for metastatic disease."
    adjuvant = [{"kind": "chemotherapy", "drug": "paclitaxel", "start": "2020-02-01", "end": "2020-05-01"}]
    assert judged(text, metastatic_case(treatments=adjuvant)).status == "met"  # before the metastasis
    after = [{"kind": "chemotherapy", "drug": "capecitabine", "start": "2023-03-01"}]
    assert judged(text, metastatic_case(treatments=after)).status == "not_met"


def test_prior_lines_count_and_direction():
    text = "More than one previous chemotherapy regimen for metastatic disease"
    two = [
        {"kind": "chemotherapy", "drug": "paclitaxel", "start": "2023-03-01", "end": "2023-08-01"},
        {"kind": "chemotherapy", "drug": "capecitabine", "start": "2023-09-01"},
    ]
    assert judged(text, metastatic_case(treatments=two), "exclusion").status == "met"
    assert judged(text, metastatic_case(treatments=two[:1]), "exclusion").status == "not_met"
    assert judged(text, metastatic_case(), "exclusion").status == "unknown"


def test_labs_with_units_and_uln():
    bilirubin = "Total bilirubin =< 1.5 mg/dl"
    ok = metastatic_case(labs=[{"analyte": "bilirubin", "value": 0.9, "unit": "mg/dL", "date": "2024-05-20"}])
    high = metastatic_case(labs=[{"analyte": "bilirubin", "value": 2.0, "unit": "mg/dL", "date": "2024-05-20"}])
    si = metastatic_case(labs=[{"analyte": "bilirubin", "value": 15, "unit": "µmol/L", "date": "2024-05-20"}])
    assert judged(bilirubin, ok).status == "met"
    assert judged(bilirubin, high).status == "not_met"
    assert judged(bilirubin, si).status == "unknown"  # units are not converted
    assert judged(bilirubin, metastatic_case()).status == "unknown"
    sgot = "Serum glutamic oxaloacetic transaminase (SGOT) =< 2.5 times the upper limit of normal"
    ast = {"analyte": "ast", "unit": "U/L", "date": "2024-05-20"}
    assert judged(sgot, metastatic_case(labs=[{**ast, "value": 96, "uln": 35}])).status == "not_met"  # > 87.5
    assert judged(sgot, metastatic_case(labs=[{**ast, "value": 50, "uln": 35}])).status == "met"
    assert judged(sgot, metastatic_case(labs=[{**ast, "value": 50}])).status == "unknown"  # no ULN recorded
    platelets = "Platelet count must be >= 100,000/mm^3"
    si_platelets = [{"analyte": "platelets", "value": 150, "unit": "10^9/L", "date": "2024-05-20"}]
    assert judged(platelets, metastatic_case(labs=si_platelets)).status == "met"  # 150,000/µL
    assert judged("Absolute neutrophil count (ANC) must be >= 1000/mm^3", metastatic_case()).status == "unknown"


@pytest.mark.parametrize(
    "text",
    [
        "Life expectancy of at least 6 months.",
        "Patients must have measurable or evaluable disease.",
        "Total bilirubin ≤1.5 × ULN if no liver metastases or liver < 3 if liver metastases are present."  # noqa: RUF001 - NCT06974604 as written,
        "Patients who have received a previous HER2 breast cancer vaccine",
    ],
)
def test_what_a_case_cannot_decide_stays_unknown(text):
    result = judged(text, metastatic_case())
    assert result.status == "unknown" and result.reason


def test_permissions_are_not_requirements():
    assert judged("Asymptomatic or treated brain metastases are allowed.", metastatic_case()).status == "met"


def test_exclusion_worded_as_a_denial_is_not_guessed():
    assert judged("No subject under 18 years of age", metastatic_case(), "exclusion").status == "unknown"


def test_reasons_name_case_fields_as_json_paths():
    result = judged("ECOG status of 0, 1 or 2.", metastatic_case())
    assert result.case_fields == ("$.performance_status[0].value",)
    assert "oken-1982-ecog" in result.sources


def test_an_or_inside_one_concept_does_not_make_alternatives():
    # NCT05452798: the dates and the line are not judged, so a recorded palbociclib does not settle it
    text = (
        "Initiated treatment with palbociclib as either 1st or 2nd line treatment between 01 January 2017 and "
        "31 December 2020"
    )
    palbociclib = [{"kind": "cdk46_inhibitor", "drug": "palbociclib", "start": "2023-03-01"}]
    assert judged(text, metastatic_case(treatments=palbociclib)).status == "unknown"


def test_eligible_for_a_treatment_is_a_requirement_not_a_permission():
    text = "Patient is eligible for T-DXd treatment in line with the specifications mentioned in the ENHERTU® SmPC"
    assert judged(text, metastatic_case()).status == "unknown"  # NCT05573893


def test_sub_items_partly_joined_by_or_are_not_guessed(studies):
    from metastasis.trials import match_trials

    # NCT05573893 item 2: "unresectable or metastatic" AND a HER2 status AND one of three prior-treatment branches,
    # only the last three joined by OR: the grouping is unclear, so the parent is not decided unless all agree.
    match = match_trials(metastatic_case(), [studies["NCT05573893"]])[0]
    parent = next(c for c in match.criteria if c.text.startswith("Patients (irrespective of sex and gender)"))
    assert parent.status == "unknown" and "grouping unclear" in parent.reason


def test_a_receptor_named_as_the_case_a_rule_is_for_is_a_condition():
    # NCT01142661 sub-item: only for HER2-positive disease
    assert judged("Trastuzumab for Her-2 positive disease.", metastatic_case()).status == "unknown"


def test_sex_and_menopause_named_as_the_subject_of_another_rule_decide_nothing():
    pregnant = "Female patients who are pregnant or breastfeeding."  # NCT03518606 (start of the exclusion)
    assert judged(pregnant, metastatic_case(), "exclusion").status == "unknown"
    partners = (
        "For male patients who are sexually active and who are partners of premenopausal women: agree to use two "
        "forms of contraception"
    )  # NCT03102606
    assert judged(partners, metastatic_case()).status == "unknown"
    assert judged("Male sex", metastatic_case()).status == "not_met"  # NCT03997370: a requirement on sex


def test_an_exclusion_listing_treatments_applies_to_any_of_them():
    text = "Prior radiation therapy, hormonal therapy and chemotherapy for breast cancer"  # NCT01026116
    letrozole = [{"kind": "endocrine", "drug": "letrozole", "start": "2023-02-15"}]
    assert judged(text, metastatic_case(treatments=letrozole), "exclusion").status == "met"


def test_several_sentences_are_decided_only_when_nothing_else_is_left():
    text = (
        "Has received prior radiotherapy within 2 weeks of the start of study treatment. A 1-week washout is "
        "permitted for palliative radiation to non-CNS disease."
    )  # NCT03761914, shortened
    assert judged(text, metastatic_case(), "exclusion").status == "unknown"


def test_written_out_comparators():
    text = "Eastern Cooperative Oncology Group (ECOG) performance status of < or = 2"  # NCT01503372
    assert judged(text, metastatic_case()).status == "met"  # ECOG 1


def test_age_at_diagnosis_and_ages_of_other_people():
    text = "Age at diagnosis: 15-39 years, inclusive"  # NCT03204916
    young = metastatic_case(patient={"age_at_diagnosis": 38, "sex": "female"})  # 42-43 now
    assert judged(text, young).status == "met"
    assert judged(text, metastatic_case()).status == "not_met"  # 60 at diagnosis
    child = "A mother of at least one dependent child, defined as a child <18 years of age"  # NCT04092816
    assert judged(child, metastatic_case()).status == "unknown"


def test_earlier_treatment_limited_in_time_is_not_settled_by_having_had_it():
    text = "Previous treatment by tamoxifen or aromatase inhibitor treatment in six months"  # NCT01972984
    letrozole = [{"kind": "endocrine", "drug": "letrozole", "start": "2020-03-01", "end": "2022-03-01"}]
    assert judged(text, metastatic_case(treatments=letrozole), "exclusion").status == "unknown"
    none = [{"kind": "radiotherapy", "start": "2020-03-01", "end": "2020-04-01"}]
    assert judged(text, metastatic_case(treatments=none), "exclusion").status == "not_met"
