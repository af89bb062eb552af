"""Trial status, structured criteria, ranking and filters; end to end over the real records (hand-checked)."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.trials import match_trials, parse, parse_study
from tests.trials.helpers import case, metastatic_case, study

ECOG = "Inclusion Criteria:\n\n* ECOG status of 0, 1 or 2."


def test_all_met_is_eligible_and_one_unknown_is_possibly_eligible():
    assert match_trials(metastatic_case(), [study(ECOG)])[0].status == "eligible"
    unknown = ECOG + "\n* Life expectancy of at least 6 months."
    match = match_trials(metastatic_case(), [study(unknown)])[0]
    assert match.status == "possibly_eligible"
    assert [c.text for c in match.check_next] == ["Life expectancy of at least 6 months."]


def test_an_exclusion_that_applies_makes_the_trial_not_eligible():
    text = ECOG + "\n\nExclusion Criteria:\n\n* Known brain or meningeal metastases"
    brain = metastatic_case(metastatic_sites=[{"site": "brain"}])
    assert match_trials(metastatic_case(), [study(text)])[0].status == "eligible"
    assert match_trials(brain, [study(text)])[0].status == "not_eligible"


@pytest.mark.parametrize(
    ("sex", "patient_sex", "expected"),
    [
        ("FEMALE", "female", "met"),
        ("MALE", "female", "not_met"),
        ("ALL", "male", "met"),
        ("FEMALE", "unknown", "unknown"),
    ],
)
def test_structured_sex(sex, patient_sex, expected):
    patient = metastatic_case(patient={"age_at_diagnosis": 60, "sex": patient_sex})
    match = match_trials(patient, [study(ECOG, sex=sex)])[0]
    assert match.criteria[0].kind == "structured" and match.criteria[0].status == expected
    assert (match.status == "not_eligible") == (expected == "not_met")


@pytest.mark.parametrize(
    ("minimum", "maximum", "expected"),
    [
        # 60 at diagnosis on 2020-01-10, seen 2024-06-01: 64.4 to 65.4 years old now
        ("18 Years", "55 Years", "not_met"),
        ("18 Years", "65 Years", "met"),  # under 66
        ("18 Years", "64 Years", "unknown"),  # may be 65 already
        ("66 Years", None, "not_met"),
        ("65 Years", None, "unknown"),
        ("64 Years", None, "met"),
    ],
)
def test_structured_age_decides_only_when_the_whole_age_range_is_on_one_side(minimum, maximum, expected):
    extra = {"minimumAge": minimum, **({"maximumAge": maximum} if maximum else {})}
    match = match_trials(metastatic_case(), [study(ECOG, **extra)])[0]
    age = next(c for c in match.criteria if c.concepts == ("age",))
    assert age.status == expected
    assert age.case_fields == ("$.patient.age_at_diagnosis", "$.dates.diagnosis", "$.as_of")


def test_recruitment_status_is_reported_and_filtered_but_never_decides():
    recruiting = parse_study({**study(ECOG).to_record()})
    record = recruiting.to_record()
    record["protocolSection"]["statusModule"] = {"overallStatus": "COMPLETED"}
    record["protocolSection"]["identificationModule"]["nctId"] = "NCT00000002"
    completed = parse_study(record)
    both = match_trials(metastatic_case(), [recruiting, completed])
    assert [m.status for m in both] == ["eligible", "eligible"]
    assert {m.overall_status for m in both} == {None, "COMPLETED"}
    only = match_trials(metastatic_case(), [recruiting, completed], statuses=["completed"])
    assert [m.nct_id for m in only] == ["NCT00000002"]
    with pytest.raises(InvalidInputError) as caught:
        match_trials(metastatic_case(), [completed], statuses=["open"])
    assert caught.value.field == "status"


def test_distance_filter(studies):
    # NCT00034216 lists a site with a geoPoint; measure from that very point, then from the other side of the world.
    target = studies["NCT00034216"]
    point = next(loc.geo_point for loc in target.protocol.contacts_locations.locations if loc.geo_point)
    near = match_trials(metastatic_case(), [target], near=(point.lat, point.lon), within_km=1)
    assert len(near) == 1 and near[0].nearest_km == 0.0
    far = (-point.lat, point.lon + 180 if point.lon <= 0 else point.lon - 180)
    assert match_trials(metastatic_case(), [target], near=far, within_km=1000) == []
    with pytest.raises(InvalidInputError):
        match_trials(metastatic_case(), [target], within_km=10)


def test_other_diseases_never_rank_above_breast_or_bone_metastasis_trials(studies):
    ranked = match_trials(load_example_case("recurrent-liver-bone"), list(studies.values()))
    assert len(ranked) == 69
    tiers = [m.relevance for m in ranked]
    last_relevant = max(i for i, t in enumerate(tiers) if t in ("breast_metastatic", "breast", "bone_metastasis"))
    first_other = min(i for i, t in enumerate(tiers) if t in ("other_disease", "unrecognised"))
    assert last_relevant < first_other
    # typed by hand from the records' conditions
    relevance = {m.nct_id: m.relevance for m in ranked}
    assert relevance["NCT01503372"] == "other_disease"  # Advanced Gastric Cancer
    assert relevance["NCT03204916"] == "other_disease"  # Acute Lymphoblastic Leukemia
    assert relevance["NCT05483257"] == "other_disease"  # Pancreatic Cancer Resectable
    assert relevance["NCT06485076"] == "other_disease"  # multiple myeloma and B-cell lymphoma (MeSH: plasma cell)
    assert relevance["NCT02082314"] == "bone_metastasis"  # cementoplasty of bone metastases
    assert relevance["NCT01922921"] == "breast_metastatic"  # Stage IV Breast Cancer


def test_end_to_end_hand_checked_trials(studies):
    """recurrent-liver-bone: 49 at diagnosis (2016-05-10), seen 2024-09-20, so 57-58 now; ER+ PR- HER2-; liver,
    ribs and femur metastases since 2024-08-12; ECOG 1; AST 88 U/L (ULN 35); epirubicin then paclitaxel in 2016."""
    ranked = {m.nct_id: m for m in match_trials(load_example_case("recurrent-liver-bone"), list(studies.values()))}

    tesmilifene = ranked["NCT00364754"]  # 18-55 years; no previous anthracycline
    assert tesmilifene.status == "not_eligible"
    by_text = {c.text: c for c in tesmilifene.criteria}
    assert by_text["Age: 18 Years to 55 Years"].status == "not_met"
    assert by_text["No previous exposure to anthracycline/anthracenedione-based chemotherapy."].status == "not_met"
    assert by_text["ECOG status of 0, 1 or 2."].status == "met"
    assert by_text["Known brain or meningeal metastases"].status == "not_met"  # exclusion does not apply

    vaccine = ranked["NCT01922921"]  # stage IV HER2-positive only
    by_text = {c.text: c for c in vaccine.criteria}
    assert vaccine.status == "not_eligible"
    assert by_text["Patients with stage IV HER2+ breast cancer treated to:"].status == "not_met"
    assert by_text["Total bilirubin =< 1.5 mg/dl"].status == "met"  # 0.9 mg/dL
    sgot = by_text["Serum glutamic oxaloacetic transaminase (SGOT) =< 2.5 times the upper limit of normal"]
    assert sgot.status == "not_met"  # 88 > 2.5 x 35 = 87.5
    assert sgot.case_fields == ("$.labs[1]",)

    honey = ranked["NCT00243165"]  # breast cancer on adjuvant chemotherapy; PS 2 or less
    assert honey.status == "possibly_eligible"
    assert [c.status for c in honey.criteria if c.kind == "inclusion"] == ["unknown", "met"]

    docetaxel = ranked["NCT00386685"]  # no more than one chemotherapy regimen for metastatic disease
    exclusion = next(c for c in docetaxel.criteria if c.text.startswith("More than one previous chemotherapy"))
    assert exclusion.status == "not_met"  # all chemotherapy was in 2016, before the metastasis


def test_parsed_studies_are_cached(studies):
    target = studies["NCT01922921"]
    first, again = parse(target), parse(parse_study(target.to_record()))
    assert again.criteria is first.criteria and again.recognised is first.recognised  # parsed once


def test_a_cached_parse_carries_the_copy_it_was_asked_for(studies):
    record = studies["NCT01922921"].to_record()
    closed = parse_study(record)
    record["protocolSection"]["statusModule"]["overallStatus"] = "RECRUITING"  # same date and criteria
    reopened = parse_study(record)
    assert parse(closed).criteria is parse(reopened).criteria
    assert parse(reopened).study.overall_status == "RECRUITING"
    assert parse(closed).study.overall_status != "RECRUITING"


def test_early_case_is_not_eligible_for_a_metastatic_only_trial():
    early = case(tumour={"t": "cT1c", "n": "cN0", "m": "cM0", "er": "positive", "pr": "positive", "her2": "negative"})
    text = "Inclusion Criteria:\n\n* Metastatic breast cancer (MBC)"  # NCT00386685
    assert match_trials(early, [study(text)])[0].status == "not_eligible"


def test_at_least_one_of_the_following_makes_sub_items_alternatives():
    text = (
        "Inclusion Criteria:\n\n* Patients with ≥ 1 of the following risk factors:\n"
        "  * ECOG status of 0, 1 or 2.\n  * Known brain or meningeal metastases\n"
    )  # wording of NCT03102606's parent with two real sub-items
    match = match_trials(metastatic_case(), [study(text)])[0]
    parent = next(c for c in match.criteria if c.text.startswith("Patients with"))
    assert parent.status == "met" and "any one" in parent.reason
