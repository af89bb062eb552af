"""Issue 21: every topic of the pathway has an explainer; links resolve; sources exist; plain words; glossary,
questions to ask, finding help and the case-to-topics mapping."""

from __future__ import annotations

import re

import pytest
import textstat

from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.evidence import all_sources
from metastasis.knowledge.case_topics import topics_for_case
from metastasis.knowledge.education import explain, search_topics, topic_groups, topics
from metastasis.knowledge.guides import define, glossary, link_terms, organisations, question_lists, terms_in
from metastasis.knowledge.quiz import quiz_items, topic_quiz, topic_quiz_items

#: The topics issue 21 lists, each typed here with a phrase its explainer must contain (the independent check).
ISSUE_TOPICS = {
    "what_is_metastasis": "intravasation",
    "seed_and_soil": "seed",
    "bone_vicious_cycle": "RANKL",
    "immune_cells_and_spread": "regulatory T cells",
    "bone_spread_facts": "spine",
    "bone_symptoms": "pain",
    "lung_liver_spread": "short of breath",
    "brain_spread": "fit",
    "bone_lesions": "osteolytic",
    "red_flags": "emergency services",
    "xray_scan": "X-ray",
    "ct_scan": "CT scan",
    "mri_scan": "magnet",
    "bone_scan": "whole skeleton",
    "pet_scan": "sugar",
    "blood_tests": "alkaline phosphatase",
    "biopsy": "microscope",
    "hormone_therapy": "oestrogen",
    "targeted_therapy": "HER2",
    "chemotherapy": "chemotherapy",
    "immunotherapy": "PD-L1",
    "bone_targeted_drugs": "denosumab",
    "jaw_care": "dental check",
    "low_calcium_denosumab": "vitamin D",
    "kidney_checks_zoledronic_acid": "creatinine",
    "radiotherapy_for_bone": "single treatment",
    "surgery_for_bone": "spinal cord",
    "staging": "Stage 4",
    "survival_statistics": "cannot tell you what will happen to you",
    "second_opinion": "second opinion",
    "clinical_trials": "leave a trial at any time",
    "support_groups": "Metastatic Breast Cancer Network",
    "caregivers": "Children",
    "men_breast_cancer": "Men",
    "younger_women": "under 40",
}
IDS = re.compile(r"\b[a-z0-9]+(?:[_-][a-z0-9]+){2,}\b|\b[a-z]+_[a-z]+\b")
ALL = list(topics())


def test_about_thirty_topics_and_each_issue_topic_exists_with_its_content():
    assert len(ALL) >= 30
    for topic, phrase in ISSUE_TOPICS.items():
        assert phrase.lower() in explain(topic).text.lower(), topic


@pytest.mark.parametrize("topic", ALL)
def test_links_resolve_and_sources_exist(topic):
    e = explain(topic)
    assert e.summary and e.paragraphs and e.sources
    assert set(e.all_sources) <= set(all_sources())
    for link in (*e.related, *([e.next_step] if e.next_step else [])):
        assert link != topic and explain(link)


@pytest.mark.parametrize("topic", ALL)
def test_plain_words(topic):
    e = explain(topic)
    assert textstat.flesch_kincaid_grade(e.text) <= 8.0, topic
    sentences = textstat.sentence_count(e.text)
    assert textstat.lexicon_count(e.text) / sentences <= 20, topic
    for unit in (e.summary, *e.paragraphs, *(p for s in e.sections for p in s.paragraphs)):
        if textstat.lexicon_count(unit) >= 10:
            assert textstat.flesch_kincaid_grade(unit) <= 9.0, unit


@pytest.mark.parametrize("topic", ALL)
def test_no_ids_or_codes_in_running_text(topic):
    e = explain(topic)
    shown = " ".join([e.title, e.text, *e.you_can, e.help_now])
    assert not IDS.search(shown), IDS.search(shown)
    assert not any(source in shown for source in all_sources())


def test_seed_errors_are_not_repeated():
    everything = " ".join(explain(t).text for t in ALL)
    assert "not a drug to protect the bones" in explain("targeted_therapy").text
    assert "trastuzumab" not in explain("bone_targeted_drugs").text.lower()
    assert not re.search(r"70\s*(%|percent|in 100)[^.]*death", everything, re.IGNORECASE)


def test_every_group_has_topics_and_every_topic_one_group():
    groups = topic_groups()
    assert [g.id for g, _ in groups] == ["spread", "sites", "tests", "treatment", "numbers", "support"]
    grouped = [e.id for _, es in groups for e in es]
    assert sorted(grouped) == sorted(ALL) and all(es for _, es in groups)


def test_review_status_is_for_the_care_team_only():
    e = explain("jaw_care")
    assert e.review.status.value == "checked_against_sources"
    assert "checked" not in e.text.lower()


def test_search_finds_by_word_and_title_first():
    assert search_topics("jaw")[0].id == "jaw_care"
    assert {e.id for e in search_topics("HER2")} >= {"targeted_therapy"}
    assert search_topics("") == [] and search_topics("zzzz qqqq") == []
    with pytest.raises(InvalidInputError):
        search_topics(None)  # type: ignore[arg-type]


# --- glossary ------------------------------------------------------------------------------------------------

#: Technical words the explainers use; each one found in an explainer must be defined (typed here).
TECHNICAL = ["metastasis", "lymph node", "osteolytic", "osteoblastic", "bisphosphonate", "denosumab",
             "zoledronic acid", "HER2", "biopsy", "RANKL", "regulatory T cells", "PD-L1", "trastuzumab",
             "CDK4/6 inhibitor", "hypocalcaemia", "osteonecrosis of the jaw", "creatinine", "alkaline phosphatase",
             "palliative care", "informed consent", "median survival", "jaundice", "angiogenesis", "intravasation",
             "extravasation", "PET scan", "MRI", "CT scan", "bone scan", "immunotherapy", "chemotherapy"]  # fmt: skip


def test_glossary_defines_every_technical_word_the_explainers_use():
    everything = " ".join(explain(t).text for t in ALL).lower()
    used = [word for word in TECHNICAL if word.lower() in everything]
    assert len(used) >= 25
    assert [word for word in used if define(word) is None] == []


@pytest.mark.parametrize("entry", glossary(), ids=lambda e: e.term)
def test_glossary_entries_are_plain_and_sourced(entry):
    assert entry.sources and set(entry.sources) <= set(all_sources())
    assert textstat.flesch_kincaid_grade(entry.definition) <= 8.0, entry.definition


def test_terms_are_linked_once_per_page():
    done: set[str] = set()
    first = link_terms("A biopsy shows HER2.", done)
    assert [e.term for _, e in first if e] == ["biopsy", "HER2"]
    assert "".join(text for text, _ in first) == "A biopsy shows HER2."
    assert [e for _, e in link_terms("Another biopsy.", done) if e] == []
    assert [e.term for e in terms_in("bone scan and MRI")] == ["bone scan", "MRI"]


# --- questions to ask, finding help -------------------------------------------------------------------------------


def test_questions_to_ask_cover_the_five_moments():
    lists = {item.id: item for item in question_lists()}
    assert set(lists) == {"at_diagnosis", "before_bone_drugs", "before_bone_local_treatment", "about_a_trial",
                          "second_opinion"}  # fmt: skip
    assert any("dentist" in q for q in lists["before_bone_drugs"].questions)
    for item in lists.values():
        assert item.sources and all(explain(t) for t in item.topics)


def test_organisations_and_phone_numbers_only_with_a_dated_copy():
    orgs = {o.id: o for o in organisations()}
    assert {"acs", "macmillan", "cruk", "mbcn", "metavivor"} <= set(orgs)
    assert orgs["macmillan"].phone == "0808 808 00 00" and "2024" in orgs["macmillan"].phone_copy_date
    assert orgs["acs"].phone == "1-800-227-2345"
    for org in orgs.values():
        assert org.website.startswith("https://") and org.sources
        if org.phone:
            assert org.phone_copy_date and org.phone_source in org.sources
    assert orgs["mbcn"].phone is None  # its page was undated


def test_a_phone_without_a_dated_source_is_refused():
    from pydantic import ValidationError

    from metastasis.knowledge.guides import Organisation

    with pytest.raises(ValidationError):
        Organisation(id="x", name="X", country="UK", helps_with=("Help.",), website="https://x.org",
                     phone="0800 000", sources=("mbcn-about",))  # fmt: skip


# --- quiz per topic, case to topics ------------------------------------------------------------------------------


def test_quiz_explanations_link_back_to_explainers():
    assert all(item.topic and explain(item.topic) for item in (*quiz_items(), *topic_quiz()))
    assert [i.id for i in topic_quiz_items("jaw_care")] == ["jaw_dentist"]
    trastuzumab = next(i for i in topic_quiz() if i.id == "trastuzumab_role")
    assert "not a drug to protect the bones" in trastuzumab.explanation


def _case(**fields):
    return Case(schema_version="1.1", **fields)


def test_topics_for_case_follow_the_case_facts():
    bone = _case(
        metastatic_sites=[{"site": "spine_lumbar"}],
        treatments=[{"kind": "bone_targeted", "drug": "denosumab", "start": "2024-04-01"}],
        patient={"sex": "male", "age_at_diagnosis": 66},
    )
    chosen = topics_for_case(bone)
    assert {"what_is_metastasis", "staging", "jaw_care", "low_calcium_denosumab", "bone_symptoms",
            "men_breast_cancer"} <= set(chosen)  # fmt: skip
    assert not {"younger_women", "brain_spread", "kidney_checks_zoledronic_acid"} & set(chosen)
    assert len(chosen) == len(set(chosen))
    young_liver = topics_for_case(_case(metastatic_sites=[{"site": "liver"}], patient={"age_at_diagnosis": 38}))
    assert {"lung_liver_spread", "younger_women"} <= set(young_liver) and "jaw_care" not in young_liver


def test_topics_for_case_name_the_drug_and_the_treated_site():
    zol = _case(
        metastatic_sites=[{"site": "pelvis"}],
        treatments=[
            {"kind": "bone_targeted", "drug": "zoledronic_acid", "start": "2024-04-01"},
            {"kind": "radiotherapy", "site": "pelvis", "start": "2024-04-02"},
        ],
    )
    chosen = topics_for_case(zol)
    assert "kidney_checks_zoledronic_acid" in chosen and "low_calcium_denosumab" not in chosen
    assert "radiotherapy_for_bone" in chosen
    breast_only = _case(treatments=[{"kind": "radiotherapy", "start": "2024-04-02"}])
    assert topics_for_case(breast_only) == ["red_flags", "support_groups", "second_opinion"]


def test_topics_for_a_report_are_those_of_its_case():
    from metastasis import assess_case
    from metastasis.examples.cases import load_example_case

    case = load_example_case("spinal-cord-compression")
    assert topics_for_case(assess_case(case)) == topics_for_case(case)
