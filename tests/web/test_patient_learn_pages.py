"""Issue 21 on the patient web pages: the topic index with search, each explainer as a leaflet (answer first,
glossary words linked, what to do, get help now, related and next-step links, self-check, date and sources for
print), the glossary and the finding-help page."""

from __future__ import annotations

import re

import pytest
import textstat
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.knowledge.education import topics
from tests.web.test_patient_html import Node, parse
from tests.web.test_patient_readability import ui_units
from tests.web.test_patient_running_text import PHONES, code_in

TOPIC_PATHS = [f"/patient/learn/{topic.replace('_', '-')}" for topic in topics()]
NEW_PAGES = ["/patient/learn", "/patient/learn?q=bone", "/patient/glossary", "/patient/help", *TOPIC_PATHS]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def get(client: TestClient, path: str) -> Node:
    response = client.get(path)
    assert response.status_code == 200, path
    return parse(response.text)


def running(root: Node) -> str:
    main = root.find_all("main")[0]
    return main.text(skip=lambda n: n.attrs.get("id") == "page-sources" or "care-team" in n.classes)


@pytest.mark.parametrize("path", NEW_PAGES)
def test_new_pages_have_no_code_in_the_running_text_and_start_with_help(client, path):
    root = get(client, path)
    assert code_in(running(root)) == []
    main = root.find_all("main")[0]
    card = next(node for node in main.children if isinstance(node, Node))
    assert [a.attrs["href"] for a in card.find_all("a") if a.attrs["href"].startswith("tel:")] == PHONES


@pytest.mark.parametrize("path", ["/patient/learn", "/patient/learn?q=jaw", "/patient/glossary", "/patient/help",
                                  "/patient/learn/jaw-care", "/patient/learn/second-opinion"])  # fmt: skip
def test_page_wording_reads_at_grade_8_or_below(client, path):
    text = " ".join(ui_units(get(client, path)))
    assert textstat.flesch_kincaid_grade(text) <= 8.0, text


def test_the_index_groups_every_topic(client):
    root = get(client, "/patient/learn")
    hrefs = {a.attrs["href"] for a in root.find_all("main")[0].find_all("a")}
    assert all(path in hrefs for path in TOPIC_PATHS)
    headings = [h.text() for h in root.find_all("h2")]
    assert "Tests" in headings and "Treatment and side effects" in headings


def test_search_keeps_only_matching_topics(client):
    results = get(client, "/patient/learn?q=dentist").by_id("search-results")
    assert "/patient/learn/jaw-care" in [a.attrs["href"] for a in results.find_all("a")]
    assert "/patient/learn/pet-scan" not in [a.attrs["href"] for a in results.find_all("a")]
    none = get(client, "/patient/learn?q=" + "x" * 500).by_id("search-results")
    assert "No topic matches" in none.text()
    assert client.get("/patient/learn?q=%00%ff").status_code == 200


@pytest.mark.parametrize("path", TOPIC_PATHS)
def test_every_link_on_a_topic_page_resolves(client, path):
    root = get(client, path)
    main = root.find_all("main")[0]
    glossary = get(client, "/patient/glossary")
    anchors = {n.attrs["id"] for n in glossary.walk() if "id" in n.attrs}
    for a in main.find_all("a"):
        href = a.attrs["href"]
        if href.startswith("/patient/glossary#"):
            assert href.split("#", 1)[1] in anchors, href
        elif href.startswith("/patient/") and "#" not in href:
            assert client.get(href).status_code == 200, href


def test_a_topic_page_is_a_leaflet(client):
    root = get(client, "/patient/learn/jaw-care")
    article = root.find_all("article")[0]
    first = next(node for node in article.children if isinstance(node, Node))
    assert "answer" in first.classes and "dentist" in first.text()
    assert root.by_id("you-can") and root.by_id("help-now")
    help_links = [a.attrs["href"] for a in root.by_id("help-now").parent.find_all("a")]
    assert "/patient/symptoms#red-flags" in help_links
    assert "Next:" in root.find_all("nav", class_="more")[0].text()
    foot = root.find_all("p", class_="print-only")[0].text()
    assert re.search(r"Written \d{2} \w+ 20\d\d", foot)
    assert root.by_id("page-sources").find_all("li")
    terms = article.find_all("a", class_="term")
    assert "osteonecrosis of the jaw" in [a.text() for a in terms]
    assert len({a.text().lower() for a in terms}) == len(terms)  # each word linked once
    assert "Show the answer" in root.by_id("check-title").parent.text()


def test_the_care_team_sees_the_review_status_apart_from_the_text(client):
    root = get(client, "/patient/learn/jaw-care")
    aside = root.find_all("aside", class_="care-team")[0]
    assert "checked against sources" in aside.text()
    assert "checked against" not in root.find_all("article")[0].text()


def test_print_stylesheet_shows_the_date_and_hides_the_extras(client):
    css = client.get("/static/css/patient.css").text
    block = css[css.rindex("@media print") :]
    assert ".print-only { display: block; }" in block and ".self-check" in block


def test_glossary_and_help_pages(client):
    glossary = get(client, "/patient/glossary")
    assert glossary.by_id("term-her2").text() == "HER2"
    help_page = get(client, "/patient/help")
    calls = [a.attrs["href"] for a in help_page.find_all("a", class_="call")]
    assert "tel:08088080000" in calls and "tel:1-800-227-2345" in calls
    for list_id in ("q-at_diagnosis", "q-before_bone_drugs", "q-about_a_trial", "q-second_opinion"):
        assert help_page.by_id(list_id)


def test_unknown_topic_is_404(client):
    assert client.get("/patient/learn/astrology").status_code == 404
