"""Real records parse; the criteria text splits into one criterion per bullet (counts typed by hand)."""

from __future__ import annotations

import pytest

from metastasis.errors import InvalidInputError
from metastasis.trials import parse_study, split_criteria
from metastasis.trials.models import age_in_years


def test_every_bundled_record_parses_and_round_trips(records):
    assert len(records) == 69
    for record in records:
        study = parse_study(record)
        assert study.nct_id.startswith("NCT") and len(study.nct_id) == 11
        assert study.to_record() == record  # unknown keys kept, nothing added
        assert study.criteria_text  # every bundled record has free-text criteria
        split_criteria(study.criteria_text)


def test_accessors_read_the_record(studies):
    study = studies["NCT01922921"]
    assert study.overall_status == "COMPLETED"
    assert study.protocol.eligibility.sex == "ALL"
    assert study.protocol.eligibility.minimum_age == "18 Years"
    assert "Stage IV Breast Cancer" in study.conditions
    assert study.url == "https://clinicaltrials.gov/study/NCT01922921"


def test_missing_modules_are_tolerated():
    study = parse_study({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}, "newKey": 1})
    assert study.criteria_text == "" and study.conditions == () and study.overall_status is None
    assert study.to_record()["newKey"] == 1


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ([], "study"),
        ({"protocolSection": {}}, "study: protocolSection.identificationModule"),
        ({"protocolSection": {"identificationModule": {"nctId": "12345"}}}, "study: nctId"),
    ],
)
def test_bad_records_name_the_field(data, field):
    with pytest.raises(InvalidInputError) as caught:
        parse_study(data)
    assert caught.value.field == field


@pytest.mark.parametrize(("text", "years"), [("18 Years", 18.0), ("6 Months", 0.5), ("N/A", None), (None, None)])
def test_api_ages(text, years):
    assert age_in_years(text) == years


# Counted by hand from each record's eligibilityCriteria: (inclusion bullets, exclusion bullets, plain paragraphs).
HAND_COUNTS = {
    "NCT01922921": (19, 12, 0),  # 15 top-level + 3 sub-bullets included; 8 + 4 cardiac sub-bullets excluded
    "NCT00364754": (16, 11, 0),  # 11 numbered items + 5 sub-bullets under "Previous therapy:"; 11 numbered
    "NCT05573893": (12, 5, 1),  # 6 items + 6 sub-bullets; 5 items; the closing note paragraph
    "NCT00243165": (2, 0, 0),  # "Exclusion Criteria: * none" holds no criterion
}


@pytest.mark.parametrize("nct_id", sorted(HAND_COUNTS))
def test_criteria_count_matches_the_bullets_of_the_source_text(studies, nct_id):
    items = split_criteria(studies[nct_id].criteria_text)
    inclusion = sum(1 for c in items if c.kind == "inclusion" and c.bullet)
    exclusion = sum(1 for c in items if c.kind == "exclusion" and c.bullet)
    plain = sum(1 for c in items if not c.bullet)
    assert (inclusion, exclusion, plain) == HAND_COUNTS[nct_id]


def test_sub_bullets_point_to_their_parent(studies):
    items = split_criteria(studies["NCT01922921"].criteria_text)
    assert items[0].text == "Patients with stage IV HER2+ breast cancer treated to:"
    assert [(c.depth, c.parent, c.text) for c in items[1:3]] == [
        (1, 0, "No evidence of disease (NED), or"),
        (1, 0, "Stable bone only disease after definitive therapy"),
    ]
    assert items[3].depth == 0 and items[3].parent is None


def test_escapes_are_removed_and_headings_switch_sections(studies):
    items = split_criteria(studies["NCT01922921"].criteria_text)
    assert "Total bilirubin =< 1.5 mg/dl" in [c.text for c in items]
    assert "White blood cell (WBC) >= 3000/mm^3" in [c.text for c in items]
    assert items[19].kind == "exclusion" and items[19].text == "Patients with any of the following cardiac conditions:"


def test_text_without_headings_is_inclusion_and_numbered_items_split():
    items = split_criteria("1. Age 18 or over\n2. ECOG 0-1\n   a) treated\n\nExclusion Criteria:\n- Pregnancy")
    assert [(c.kind, c.depth, c.text) for c in items] == [
        ("inclusion", 0, "Age 18 or over"),
        ("inclusion", 0, "ECOG 0-1"),
        ("inclusion", 1, "treated"),
        ("exclusion", 0, "Pregnancy"),
    ]


def test_runs_of_white_space_inside_a_criterion_become_one_space():
    # A long run of spaces or tabs made recognising quadratic (40,000 spaces took about 26 s); folded, it is one.
    text = "Inclusion Criteria:\n\n* ECOG" + " " * 40 + "0\t\t\u00a0or 1\n  continued" + "\t" * 30 + "here"
    assert [c.text for c in split_criteria(text)] == ["ECOG 0 or 1 continued here"]
    assert [c.text for c in split_criteria("Age" + " " * 30 + ">= 18")] == ["Age >= 18"]


def test_a_long_line_naming_inclusion_many_times_is_a_criterion_not_a_heading(monkeypatch):
    # The heading pattern was searched before the length check: 8,000 "inclusion" took about 5 s.
    from metastasis.trials import criteria

    searched: list[str] = []
    real = criteria._HEADING

    class Spy:
        def search(self, line: str):
            searched.append(line)
            return real.search(line)

    monkeypatch.setattr(criteria, "_HEADING", Spy())
    line = "inclusion " * 8000 + "criteria"
    assert [c.kind for c in criteria.split_criteria.__wrapped__(line)] == ["inclusion"]
    assert searched == []
