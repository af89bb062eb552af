"""Every patient page: 200 with one h1, the disclaimer, sources, links between pages; unknown topics 404."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.knowledge.education import topics
from tests.web.test_patient_html import parse

PAGES = {
    "/patient": "For patients and families",
    "/patient/stage": "Understand a stage",
    "/patient/spread": "What metastasis is and where breast cancer spreads",
    "/patient/symptoms": "Symptoms to watch and when to get help",
    "/patient/statistics": "What the statistics mean",
    "/patient/treatments": "Treatments to ask about",
    "/patient/learn": "Learn more",
    "/patient/learn/what-is-metastasis": "What is metastasis?",
    "/patient/quiz": "Quiz: what do you know about metastasis?",
}
DISCLAIMER = "Information, not medical advice."


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize(("path", "h1"), PAGES.items())
def test_page_answers_200_with_one_h1_and_the_disclaimer(client, path, h1):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    root = parse(response.text)
    assert [node.text() for node in root.find_all("h1")] == [h1]
    footer = root.find_all("footer")[0]
    assert DISCLAIMER in footer.text()
    assert "not medical advice" in footer.text()


@pytest.mark.parametrize("path", PAGES)
def test_page_marks_the_patient_entrance_in_the_navigation(client, path):
    root = parse(client.get(path).text)
    current = root.find_all("a", aria_current="page")
    assert [a.attrs["href"].removeprefix("http://testserver") for a in current] == ["/patient"]


def test_the_entrance_links_to_every_patient_page(client):
    root = parse(client.get("/patient").text)
    links = {a.attrs["href"] for a in root.find_all("a")}
    for path in PAGES:
        if path not in ("/patient", "/patient/learn/what-is-metastasis"):
            assert path in links, path


def test_the_entrance_lists_the_red_flags_below_the_tasks(client):
    root = parse(client.get("/patient").text)
    main = root.find_all("main")[0]
    order = [node for node in main.walk() if node.tag in ("ul", "section")]
    tasks = root.find_all("ul", class_="task-list")[0]
    box = root.find_all("section", class_="help-now")[0]
    assert order.index(tasks) < order.index(box), "the tasks come before the long red-flag list"
    assert box.find_all("details"), "the red-flag list is folded on the start page"
    # Spinal cord compression, seizure and a possible fracture are emergencies (NICE NG234, NCI fact sheet).
    text = box.text()
    assert "spinal cord" in text
    assert "seizure" in text
    assert "Call emergency services now" in text


@pytest.mark.parametrize("path", ["/patient", "/patient/spread", "/patient/symptoms", "/patient/learn/bone-lesions"])
def test_pages_with_library_facts_list_their_sources_with_links(client, path):
    root = parse(client.get(path).text)
    refs = root.find_all("section", class_="refs")
    assert refs, "no reference list"
    items = refs[0].find_all("li")
    assert items
    assert all(item.attrs["id"].startswith("ref-") for item in items)
    cited = {a.attrs["href"][1:] for a in root.find_all("a") if a.attrs.get("href", "").startswith("#ref-")}
    assert cited <= {item.attrs["id"] for item in items}


def test_every_explainer_is_listed_and_has_its_own_page(client):
    root = parse(client.get("/patient/learn").text)
    hrefs = [a.attrs["href"] for a in root.find_all("main")[0].find_all("a") if "/patient/learn/" in a.attrs["href"]]
    assert len(hrefs) == len(topics()) >= 5
    for href in hrefs:
        page = parse(client.get(href).text)
        assert len(page.find_all("h1")) == 1
        assert page.find_all("section", class_="refs")


def test_explainer_ids_work_with_underscores_too(client):
    assert client.get("/patient/learn/what_is_metastasis").status_code == 200


@pytest.mark.parametrize("topic", ["nope", "what-is", "%00", "x" * 300])
def test_unknown_topic_is_a_404_page_in_the_site_layout(client, topic):
    response = client.get(f"/patient/learn/{topic}")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    root = parse(response.text)
    assert len(root.find_all("h1")) == 1
    assert "There is no page on this topic" in root.text()
    assert DISCLAIMER in root.text()


def test_spread_page_shows_explainers_frequencies_with_their_kind_and_sources(client):
    root = parse(client.get("/patient/spread").text)
    text = root.text()
    assert "What is metastasis?" in text
    assert "Where breast cancer spreads" in text
    tables = root.find_all("table")
    # Autopsy involvement and presentation at diagnosis are different kinds of number (kept in separate tables).
    assert len(tables) == 2
    captions = [table.find_all("caption")[0].text() for table in tables]
    assert any("died of breast cancer" in caption for caption in captions)
    assert any("first found" in caption for caption in captions)
    # Cummings 2014 (197 autopsies): bone 74%, lung/pleura 80%, liver 71%.
    autopsy = next(t for t in tables if "died" in t.find_all("caption")[0].text())
    rows = {
        row.find_all("th")[0].text(): row.find_all("td")[0].text()
        for row in autopsy.find_all("tbody")[0].find_all("tr")
    }
    assert rows["Bones"] == "74"
    assert rows["The lungs"] == "80"
    assert rows["The liver"] == "71"


def test_statistics_page_shows_breast_cancer_figures_once_each_with_dot_arrays(client):
    root = parse(client.get("/patient/statistics").text)
    result = root.by_id("result")
    text = result.text()
    # ESME cohort 2008-2016 (Deluche et al. 2020): median overall survival 14.8 months when triple-negative.
    assert "14.8 months" in text
    # ACS (SEER summary stage): 5-year relative survival about 32% when the cancer has spread far.
    assert "about 32%" in text
    # Svensson 2017 (Denmark): 13% alive 5 years after breast cancer spread to bone.
    assert "13%" in text
    # The ESME 2018 figures repeat the 2020 facts; other cancers are not on a breast-cancer page.
    for left_out in ("14.52", "42.12", "44.91", "Lung cancer", "Prostate cancer", "Thyroid cancer", "Pancreatic"):
        assert left_out not in root.text(), left_out
    # Every share of people is drawn as 100 dots with the library's plain sentence as its text equivalent.
    arrays = result.find_all("svg", class_="dots")
    assert len(arrays) == 8
    for svg in arrays:
        assert len(svg.find_all("circle")) == 100
        assert svg.attrs["role"] == "img"
        assert "alive" in root.by_id(svg.attrs["aria-labelledby"]).text()
    shown = [len(svg.find_all("circle", class_="on")) for svg in arrays]
    assert shown == [99, 87, 32, 91, 34, 51, 13, 32]
    # What the numbers cannot say is said once, before them.
    assert root.text().count("They cannot tell what will happen to you") == 1
    assert "not checked" not in root.text()
    assert not result.find_all("span", class_="badge")
    assert "What to do now" in text
