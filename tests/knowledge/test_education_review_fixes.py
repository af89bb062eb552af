"""Review fixes to the patient explainers (issue 21): a reader told to act on "signs" is told what the signs are,
and a fact is cited to the organisation's own page where one was read."""

from __future__ import annotations

from metastasis.knowledge.education import explain
from metastasis.knowledge.guides import organisations


def test_low_calcium_names_the_signs_to_act_on():
    # Typed from the NHS medicines page on denosumab (MHRA safety advice): muscle spasms, twitches or cramps;
    # numbness or tingling in the fingers, toes or around the mouth.
    e = explain("low_calcium_denosumab")
    words = f"{e.text} {e.help_now}".lower()
    for sign in ("cramps", "tingling", "fingers", "toes", "mouth"):
        assert sign in words, sign
    assert "nhs-denosumab-safety-update" in e.all_sources
    assert "webmd-treating-bone-mets" not in e.all_sources


def test_peer_support_is_cited_to_the_acs_page_itself():
    acs = next(o for o in organisations() if o.id == "acs")
    assert "acs-reach-to-recovery" in acs.sources
    assert "acs-reach-to-recovery" in explain("support_groups").all_sources


def test_a_young_man_gets_the_leaflet_for_men_not_the_one_for_younger_women():
    from metastasis.domain import Case
    from metastasis.knowledge.case_topics import topics_for_case

    young_man = topics_for_case(Case(schema_version="1.1", patient={"sex": "male", "age_at_diagnosis": 35}))
    assert "men_breast_cancer" in young_man and "younger_women" not in young_man
    young_woman = topics_for_case(Case(schema_version="1.1", patient={"sex": "female", "age_at_diagnosis": 35}))
    assert "younger_women" in young_woman and "men_breast_cancer" not in young_woman
    unknown_sex = topics_for_case(Case(schema_version="1.1", patient={"age_at_diagnosis": 35}))
    assert "younger_women" in unknown_sex


def test_the_men_page_cites_a_source_for_men_being_treated_as_women_are():
    # "The same tests and most of the same treatments are used": Rossmann et al. 2007 (treatment of men follows
    # the evidence from women); the Fox Chase page cited before does not say it.
    assert "rossmann-2007-male-bc-treatment" in explain("men_breast_cancer").all_sources


def test_a_phone_number_without_its_opening_hours_is_refused():
    # The help page and `learn --find-help` print the hours next to the number ("None" if missing).
    import pytest
    from pydantic import ValidationError

    from metastasis.knowledge.guides import Organisation

    with pytest.raises(ValidationError):
        Organisation(id="x", name="X", country="UK", helps_with=("Help.",), website="https://x.org",
                     phone="0800 000", phone_copy_date="2024-02", phone_source="mbcn-about",
                     sources=("mbcn-about",))  # fmt: skip
