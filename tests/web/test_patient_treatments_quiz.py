"""Treatments to ask about (treatment_options) and the quiz (score_quiz), through their patient forms."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.api import create_app
from metastasis.knowledge.quiz import quiz_items
from tests.web.test_patient_html import Node, parse

#: The right answers, read off the questions themselves (also the example in score_quiz's docstring).
RIGHT = {
    "any_cancer": "b",
    "where_spreads": "a",
    "how_spreads": "b",
    "symptoms": "b",
    "without_primary": "b",
    "second_cancer": "c",
    "treatments": "c",
    "new_treatments": "a",
    "bone_lesion_type": "a",
    "emergency_signs": "b",
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def options(client: TestClient, **fields: object) -> tuple[int, Node]:
    response = client.post("/patient/treatments", data=fields)
    return response.status_code, parse(response.text)


def option_names(root: Node) -> list[str]:
    return [h.text() for h in root.by_id("result").find_all("h3") if h.attrs.get("id", "").startswith("option-")]


def test_hr_positive_her2_negative_with_bone_spread(client):
    status, root = options(client, subtype="hr+/her2-", sites=["bone"], menopausal_status="postmenopausal")
    assert status == 200
    names = " | ".join(option_names(root))
    # ASCO 2021: endocrine therapy with a CDK4/6 inhibitor first line; ESMO 2020 bone health: denosumab or
    # zoledronate for bone metastases.
    assert "CDK4/6" in names
    assert "denosumab" in names
    assert "trastuzumab" not in names
    result = root.by_id("result")
    assert "To discuss with your care team" in result.text()
    assert "not a prescription" in result.text()
    questions = [li.text() for li in result.find_all("ul", class_="questions")[0].find_all("li")]
    assert "How can I keep my bones strong?" in questions
    assert "What to do now" in result.text()
    # Clinician notes and trial summaries are left out of the patient page, and so is any unverified-claim note.
    assert "PALOMA-2" not in result.text()
    assert "unverified" not in root.text()
    assert "study not identified" not in root.text()


def test_her2_positive_lists_her2_targeted_therapy_and_triple_negative_immunotherapy(client):
    _, her2 = options(client, subtype="hr-/her2+", sites=["liver"], menopausal_status="unknown")
    assert any("trastuzumab" in name for name in option_names(her2))
    assert not any("denosumab" in name for name in option_names(her2))
    _, tnbc = options(client, subtype="triple-negative", sites=["lung"], menopausal_status="unknown")
    names = option_names(tnbc)
    assert "Chemotherapy" in names
    assert any("Immunotherapy" in name for name in names)
    assert not any("CDK4/6" in name for name in names)


def test_each_option_cites_sources_present_on_the_page(client):
    _, root = options(client, subtype="hr+/her2-", sites=["bone", "liver"], menopausal_status="unknown")
    result = root.by_id("result")
    listed = {li.attrs["id"] for li in root.by_id("page-sources").find_all("li")}
    for section in result.find_all("section", class_="option"):
        cited = {a.attrs["href"][1:] for a in section.find_all("a") if a.attrs["href"].startswith("#ref-")}
        assert cited
        assert cited <= listed


def test_no_site_ticked_is_a_422_next_to_the_sites_and_the_subtype_is_kept(client):
    status, root = options(client, subtype="triple-negative", menopausal_status="unknown")
    assert status == 422
    assert root.by_id("sites-error").text() == "Please choose an answer here."
    chosen = [o.attrs["value"] for o in root.by_id("subtype").find_all("option") if "selected" in o.attrs]
    assert chosen == ["triple-negative"]


def test_an_unknown_subtype_or_site_is_a_422_next_to_its_field(client):
    status, root = options(client, subtype="luminal-z", sites=["bone"], menopausal_status="unknown")
    assert status == 422
    assert "luminal-z" in root.by_id("subtype-error").text()
    status, root = options(client, subtype="hr+/her2-", sites=["moon"], menopausal_status="unknown")
    assert status == 422
    assert root.by_id("input-errors").text()


def test_the_treatments_form_offers_the_four_subtypes_and_the_organ_sites(client):
    root = parse(client.get("/patient/treatments").text)
    subtypes = [o.attrs["value"] for o in root.by_id("subtype").find_all("option")]
    assert subtypes == ["", "hr+/her2-", "hr+/her2+", "hr-/her2+", "triple-negative"]
    sites = {box.attrs["value"] for box in root.by_id("options-form").find_all("input", type="checkbox")}
    assert {"bone", "lung", "liver", "brain"} <= sites
    assert "spine_lumbar" not in sites


def quiz(client: TestClient, answers: dict[str, str]) -> tuple[int, Node]:
    response = client.post("/patient/quiz", data=answers)
    return response.status_code, parse(response.text)


def test_all_right_answers_score_full_marks(client):
    status, root = quiz(client, RIGHT)
    assert status == 200
    result = root.by_id("result")
    assert result.find_all("p", class_="stage-big")[0].text() == "10 of 10 right"
    items = [li for li in result.find_all("li") if li.classes & {"right", "wrong"}]
    assert len(items) == 10
    assert all("right" in li.classes for li in items)
    assert all(li.find_all("a") for li in items), "each answer cites its sources"


def test_answering_a_everywhere_scores_three(client):
    # Questions whose right answer is (a): where cancer spreads, new treatments, the bone lesion type.
    status, root = quiz(client, dict.fromkeys(RIGHT, "a"))
    assert status == 200
    result = root.by_id("result")
    assert result.find_all("p", class_="stage-big")[0].text() == "3 of 10 right"
    wrong = [li for li in result.find_all("li") if "wrong" in li.classes]
    assert len(wrong) == 7
    assert all("The answer is:" in li.text() for li in wrong)


def test_the_quiz_has_one_fieldset_with_a_legend_per_question(client):
    root = parse(client.get("/patient/quiz").text)
    form = root.by_id("quiz-form")
    questions = form.find_all("fieldset", class_="question")
    assert len(questions) == len(quiz_items()) == len(RIGHT)
    for fieldset, item in zip(questions, quiz_items(), strict=True):
        assert item.question in fieldset.find_all("legend")[0].text()
        radios = fieldset.find_all("input", type="radio")
        assert {r.attrs["name"] for r in radios} == {item.id}
        assert [r.attrs["value"] for r in radios] == list(item.choices)


def test_unanswered_questions_are_a_422_with_a_problem_on_each_and_answers_kept(client):
    status, root = quiz(client, {"any_cancer": "b", "symptoms": "a"})
    assert status == 422
    for question in RIGHT:
        problem = [n for n in root.walk() if n.attrs.get("id") == f"{question}-error"]
        assert bool(problem) == (question not in ("any_cancer", "symptoms"))
    checked = {r.attrs["id"] for r in root.find_all("input", type="radio") if "checked" in r.attrs}
    assert checked == {"any_cancer-b", "symptoms-a"}
    assert len(root.by_id("input-errors").find_all("li")) == 8


def test_an_unknown_answer_is_a_422_on_its_question(client):
    status, root = quiz(client, {**RIGHT, "how_spreads": "z"})
    assert status == 422
    assert "z" in root.by_id("how_spreads-error").text()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(sorted(RIGHT)), st.text(max_size=5)))
def test_no_posted_quiz_gives_a_server_error(client, answers):
    status, root = quiz(client, answers)
    assert status in (200, 422)
    assert len(root.find_all("h1")) == 1
