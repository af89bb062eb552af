"""Issue 21 through the CLI (`metastasis learn`) and the API (`/api/v1/learn`, glossary, questions, organisations)."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from metastasis.api import create_app
from metastasis.cli import app

runner = CliRunner()


def test_learn_list_is_grouped():
    out = runner.invoke(app, ["learn", "--list"]).output
    assert out.index("How breast cancer spreads") < out.index("seed_and_soil") < out.index("Tests")
    assert out.index("Tests") < out.index("bone_scan") < out.index("Treatment and side effects")


def test_learn_topic_answer_first_then_what_to_do_help_and_links():
    result = runner.invoke(app, ["learn", "jaw-care"])
    assert result.exit_code == 0
    out = " ".join(result.output.split())
    assert out.index("Bone drugs can rarely harm the jaw bone") < out.index("Before you start")
    assert "What you can do or ask" in out and "Get help now" in out and "metastasis learn red-flags" in out
    assert "Next: metastasis learn low-calcium-denosumab" in out
    assert "bcna-bone-strengthening-side-effects" in out  # sources for the care team, after the text


def test_learn_json_has_the_new_fields():
    data = json.loads(runner.invoke(app, ["learn", "biopsy", "--json"]).output)
    assert data["summary"] and data["group"] == "tests" and data["review"]["status"] == "checked_against_sources"
    assert "targeted_therapy" in data["related"]


@pytest.mark.parametrize(("flag", "expected"), [("--glossary", "osteolytic"), ("--questions", "dentist"),
                                                ("--find-help", "0808 808 00 00")])  # fmt: skip
def test_learn_glossary_questions_and_help(flag, expected):
    result = runner.invoke(app, ["learn", flag])
    assert result.exit_code == 0 and expected in result.output


def test_learn_unknown_topic_exits_2_on_one_line():
    result = runner.invoke(app, ["learn", "astrology"])
    assert result.exit_code == 2 and "topic" in result.output


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def test_api_learn_topic_has_the_new_fields(client):
    body = client.get("/api/v1/learn/low-calcium-denosumab").json()
    assert body["summary"].startswith("Some bone drugs") and body["next_step"] == "kidney_checks_zoledronic_acid"
    assert body["you_can"] and body["help_now"] and body["review"]["date"] == "2026-12-04"
    assert client.get("/api/v1/learn").json()["jaw_care"] == "Looking after your jaw on bone drugs"


def test_api_glossary_questions_and_organisations(client):
    terms = {e["term"]: e for e in client.get("/api/v1/glossary").json()}
    assert "HER2" in terms and terms["HER2"]["sources"]
    lists = [q["id"] for q in client.get("/api/v1/questions-to-ask").json()]
    assert lists[0] == "at_diagnosis" and "about_a_trial" in lists
    orgs = {o["id"]: o for o in client.get("/api/v1/support-organisations").json()}
    assert orgs["macmillan"]["phone_copy_date"].startswith("2024") and orgs["cruk"]["phone"] is None


def test_api_quiz_does_not_give_the_topic_link_away_before_scoring(client):
    assert all("topic" not in q for q in client.get("/api/v1/quiz").json())
