"""The whole-case report's "Clinical trials" section: present only when studies are given; the top matches for
breast cancer or bone metastasis that no criterion excludes, open studies first, each with its status and what
to check next; the patient view plain (grade 8 or below) and without study numbers."""

from __future__ import annotations

import re

import pytest
import textstat

from metastasis import assess_case
from metastasis.assess.case.trials import trials_section, words
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.report.render import render
from metastasis.trials import read_studies
from tests.trials.conftest import RECORDS

CASE = "recurrent-liver-bone"
OPEN = ("RECRUITING", "NOT_YET_RECRUITING", "ENROLLING_BY_INVITATION")


@pytest.fixture(scope="module")
def studies():
    return read_studies(RECORDS)


@pytest.fixture(scope="module")
def report(studies):
    return assess_case(load_example_case(CASE), trials=studies)


def test_without_studies_the_report_has_no_trials_section():
    plain = assess_case(load_example_case(CASE))
    assert plain.trials is None
    assert "trials" not in [s.id for s in plain.sections()]
    assert "## Clinical trials" not in render(plain, fmt="markdown")


def test_with_studies_the_section_follows_the_treatment_options(report):
    ids = [s.id for s in report.sections()]
    assert ids[ids.index("options") + 1] == "trials"
    statements = [s.id for s in report.trials.statements]
    assert statements[0] == "trials.summary"
    assert statements[-2:] == ["trials.no_guarantee", "trials.ask"]
    matches = [s for s in statements if s.startswith("trials.match.")]
    assert 1 <= len(matches) <= 5


def test_open_studies_come_first_and_each_names_its_link_and_what_to_check(report, raw):
    listed = [s for s in report.trials.statements if s.id.startswith("trials.match.")]
    statuses = [
        raw[s.id.removeprefix("trials.match.")]["protocolSection"]["statusModule"]["overallStatus"] for s in listed
    ]
    opened = [status in OPEN for status in statuses]
    assert opened == sorted(opened, reverse=True)  # every open study before any closed one
    for statement in listed:
        nct_id = statement.id.removeprefix("trials.match.")
        assert statement.label == raw[nct_id]["protocolSection"]["identificationModule"]["briefTitle"]
        assert f"https://clinicaltrials.gov/study/{nct_id}" in statement.text
        assert "Check next:" in statement.text  # none is eligible outright on this case's data
        assert "ctgov-api-v2" in statement.all_sources


def test_the_summary_counts_every_stored_study(report):
    summary = report.trials.statement("trials.summary")
    assert summary.text.startswith("69 stored studies matched:")


def test_trial_questions_join_the_patient_questions(report):
    assert "Could one of the clinical trials in my report be right for me?" in report.questions


def test_the_patient_view_is_plain_and_has_no_study_numbers(report):
    markdown = render(report, audience="patient", fmt="markdown")
    section = markdown[markdown.index("## Clinical trials to ask about") :]
    section = section[: section.index("\n## ", 4)]
    assert "There is no promise that it will help you." in section
    assert re.findall(r"NCT\d{8}", section) == []
    ours = [s.plain for s in report.trials.statements]
    grade = textstat.flesch_kincaid_grade(" ".join(ours))
    assert grade <= 8.0, ours


def test_the_clinician_html_report_shows_the_section(report):
    html = render(report, audience="clinician", fmt="html")
    assert 'id="trials"' in html and "Clinical trials" in html


def test_every_patient_text_of_the_wording_file_reads_at_grade_8_or_below():
    table = words()
    texts = [
        table["no_guarantee"]["plain"],
        table["ask"]["plain"],
        table["ask"]["report_plain"],
        *table["phases"]["plain"].values(),
        *table["recruitment"]["plain"].values(),
        *table["fit"]["plain"].values(),
        *table["questions"]["items"],
        *table["report_questions"],
        table["report"]["empty_plain"],
    ]
    for text in texts:
        assert textstat.flesch_kincaid_grade(text) <= 8.0, text


def test_an_empty_store_gives_a_section_that_says_so():
    section = trials_section(load_example_case(CASE), [])
    assert [s.id for s in section.statements] == ["trials.summary", "trials.no_guarantee", "trials.ask"]
    assert section.statements[0].text.startswith("No studies are stored")


@pytest.mark.parametrize("limit", [0, -1, 2.5, True])
def test_a_bad_limit_is_refused(studies, limit):
    with pytest.raises(InvalidInputError, match="limit"):
        trials_section(load_example_case(CASE), studies, limit=limit)
