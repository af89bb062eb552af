"""Read-only vocabularies: symptom codes, sites, explainers, quiz questions without answers, sources."""

from __future__ import annotations

import pytest


def test_symptom_codes_are_what_triage_accepts(client):
    symptoms = client.get("/api/v1/triage/symptoms").json()
    assert symptoms["seizure"] == "A fit or seizure"
    assert {"back_pain", "limb_weakness", "confusion"} <= set(symptoms)
    every = client.post("/api/v1/triage", json={"symptoms": sorted(symptoms)})
    assert every.status_code == 200 and every.json()["urgency"] == "emergency_now"


def test_sites(client):
    sites = client.get("/api/v1/sites").json()
    ids = [site["id"] for site in sites]
    assert {"bone", "liver", "lung", "brain", "spine"} <= set(ids)
    bone = client.get("/api/v1/sites/bone").json()
    assert bone["group"] == "bone" and bone["sources"]
    # ICD-10-CM C79.51: secondary malignant neoplasm of bone
    assert "C79.51" in {code["code"] for code in bone["codes"]}
    assert client.get("/api/v1/sites/spine").json()["parent"] == "bone"


def test_site_facts(client):
    facts = client.get("/api/v1/sites/facts").json()
    assert facts["bone_rank"]["rank"] == 3 and facts["bone_rank"]["after"] == ["lung", "liver"]
    assert all(f["sources"] for f in facts["frequencies"])


def test_explainers(client):
    topics = client.get("/api/v1/learn").json()
    assert topics["what_is_metastasis"] == "What is metastasis?"
    explainer = client.get("/api/v1/learn/bone-lesions").json()  # '-' and '_' are interchangeable
    assert explainer["id"] == "bone_lesions" and explainer["paragraphs"] and explainer["sources"]


def test_quiz_questions_do_not_give_the_answers_away(client):
    questions = client.get("/api/v1/quiz").json()
    assert len(questions) >= 5
    for question in questions:
        assert set(question) == {"id", "question", "choices", "sources"}
    assert "answer" not in client.get("/api/v1/quiz").text.lower().replace("answers", "")


def test_sources(client):
    every = client.get("/api/v1/sources").json()
    assert len(every) > 50
    ajcc = client.get("/api/v1/sources/ajcc8-breast").json()
    assert ajcc["id"] == "ajcc8-breast" and "AJCC" in ajcc["citation"] and ajcc["verification"] == "corroborated"
    assert every["ajcc8-breast"] == ajcc


def test_every_cited_source_resolves(client):
    cited = client.post("/api/v1/staging/breast", json={"t": "pT2", "n": "pN1a", "m": "cM0"}).json()["sources"]
    for source_id in cited:
        assert client.get(f"/api/v1/sources/{source_id}").status_code == 200


@pytest.mark.parametrize(("path", "field", "listed_at"), [
    ("/api/v1/sites/atlantis", "site_id", "/api/v1/sites"),
    ("/api/v1/learn/astrology", "topic", "/api/v1/learn"),
    ("/api/v1/sources/no-such-source", "source_id", "/api/v1/sources"),
])  # fmt: skip
def test_unknown_ids_are_404_naming_where_the_ids_are(client, path, field, listed_at):
    response = client.get(path)
    assert response.status_code == 404
    (item,) = response.json()["detail"]
    assert (item["field"], item["value"]) == (field, path.rsplit("/", 1)[1])
    assert item["allowed"] == f"an id listed by GET {listed_at}"


def test_read_only_routes_refuse_posts(client):
    assert client.post("/api/v1/sites", json={}).status_code == 405
