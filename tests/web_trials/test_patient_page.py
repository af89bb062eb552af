"""``/patient/trials``: the studies that may fit a case, in plain words (grade 8 or below), phone first, no codes
in the running text (a study's NCT number only in the link the care team opens), the message that a new treatment
may not help, and the questions to ask."""

from __future__ import annotations

import re

import pytest
import textstat

from metastasis.examples.cases import example_case_text
from tests.web.test_patient_html import Node, parse
from tests.web.test_patient_readability import MAX_GRADE, ui_units
from tests.web.test_patient_running_text import PHONES, code_in, running_text

URL = "/patient/trials"
CASE = "recurrent-liver-bone"
OPEN = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")  # statuses a patient could still join
PAGES = {
    "form": ("GET", URL, None),
    "result": ("GET", f"{URL}?example={CASE}", None),
    "result, all trials": ("GET", f"{URL}?example={CASE}&which=all", None),
    "early case": ("GET", f"{URL}?example=early-hr-positive", None),
    "problem": ("POST", URL, {"case_text": "tumour: {er: maybe}"}),
}


def fetch(client, name: str) -> tuple[int, Node]:
    method, path, data = PAGES[name]
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    return response.status_code, parse(response.text)


def cards(root: Node) -> list[Node]:
    return root.find_all("section", class_="trial-card")


@pytest.mark.parametrize("name", PAGES)
def test_page_wording_reads_at_grade_8_or_below(client, name):
    _, root = fetch(client, name)
    text = " ".join(ui_units(root))
    assert len(text.split()) >= 3
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{name}: grade {grade:.1f}: {text}"


@pytest.mark.parametrize("name", PAGES)
def test_running_text_has_no_codes_and_no_study_numbers(client, name):
    _, root = fetch(client, name)
    text = running_text(root)
    assert code_in(text) == [], text
    assert re.findall(r"NCT\d{8}", text) == []


@pytest.mark.parametrize("name", PAGES)
def test_the_get_help_card_comes_first(client, name):
    _, root = fetch(client, name)
    main = root.find_all("main")[0]
    card = next(node for node in main.children if isinstance(node, Node))
    assert "help-card" in card.classes
    assert [a.attrs["href"] for a in card.find_all("a") if a.attrs["href"].startswith("tel:")] == PHONES


def test_the_result_lists_open_studies_that_may_fit_with_plain_facts(client, raw):
    status, root = fetch(client, "result")
    assert status == 200
    found = cards(root)
    assert found, "some studies may fit this case"
    for card in found:
        link = card.find_all("a", class_="study-link")[0].attrs["href"]
        nct_id = link.removeprefix("https://clinicaltrials.gov/study/")
        assert raw[nct_id]["protocolSection"]["statusModule"]["overallStatus"] in OPEN
        terms = [dt.text() for dt in card.find_all("dt")]
        assert terms == [
            "What is tested",
            "Which step it is",
            "Can you join now?",
            "Does it fit you?",
            "Where",
            "How to ask",
        ]
        assert "Ask your care team about this study." in card.text()


def test_a_phase_1_study_is_explained_in_words(client, raw):
    _, root = fetch(client, "result")
    for card in cards(root):
        nct_id = card.find_all("a", class_="study-link")[0].attrs["href"].rsplit("/", 1)[1]
        if raw[nct_id]["protocolSection"].get("designModule", {}).get("phases") == ["PHASE1"]:
            assert "It looks for a safe dose of a new treatment in a small group of people." in card.text()
            return
    pytest.fail("no phase 1 study among the cards")


def test_all_trials_lists_at_least_as_many_as_open_ones(client):
    _, open_only = fetch(client, "result")
    _, everything = fetch(client, "result, all trials")
    assert len(cards(everything)) >= len(cards(open_only))
    assert len(cards(everything)) <= 10


def test_no_guarantee_questions_and_sources_are_on_the_page(client):
    _, root = fetch(client, "result")
    text = root.text()
    assert "There is no promise that it will help you." in text
    assert "Why is this trial being done?" in text
    assert "What other choices do I have if I do not join?" in text
    refs = root.by_id("page-sources").text()
    assert "National Cancer Institute. Clinical Trials at NIH" in refs
    assert "Phases of Clinical Trials" in refs


def test_a_file_with_problems_answers_422_in_plain_words(client):
    status, root = fetch(client, "problem")
    assert status == 422
    errors = root.by_id("input-errors")
    assert errors.find_all("h2")[0].text() == "We could not read your file"
    assert "$." not in errors.text()


def test_an_uploaded_case_file_gives_the_same_list_as_the_example(client):
    uploaded = client.post(URL, files={"case_file": ("me.yaml", example_case_text(CASE).encode())})
    assert uploaded.status_code == 200
    _, example = fetch(client, "result")
    titles = [c.find_all("h3")[0].text() for c in cards(parse(uploaded.text))]
    assert titles == [c.find_all("h3")[0].text() for c in cards(example)]


def test_trials_that_fit_beyond_the_ten_shown_are_counted_as_fitting(client, tmp_path, monkeypatch):
    # Twelve open studies for metastatic breast cancer that exclude no one: all twelve may fit, ten are shown.
    from metastasis.trials import TrialStore, parse_study

    studies = [
        parse_study(
            {
                "protocolSection": {
                    "identificationModule": {"nctId": f"NCT990000{n:02d}", "briefTitle": f"Test study {n}"},
                    "statusModule": {"overallStatus": "RECRUITING"},
                    "conditionsModule": {"conditions": ["Metastatic Breast Cancer"]},
                    "eligibilityModule": {"eligibilityCriteria": "Inclusion Criteria:\n\n* Metastatic breast cancer"},
                }
            }
        )
        for n in range(12)
    ]
    path = tmp_path / "trials.jsonl"
    TrialStore(path).add(studies)
    monkeypatch.setenv("METASTASIS_TRIALS_FILE", str(path))
    response = client.get(f"{URL}?example={CASE}")
    root = parse(response.text)
    assert len(cards(root)) == 10
    text = " ".join(root.by_id("result").text().split())
    assert "We found 12 trials that may fit you." in text
    assert "do not seem to fit you" not in text
