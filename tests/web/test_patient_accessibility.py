"""Accessibility and progressive enhancement of every patient page, on first view, with a result and with input
problems: labels for every control, one h1 and headings in order, unique ids, described-by targets that exist,
plain post forms with the htmx attributes, a live result region, and the page's own stylesheet."""

from __future__ import annotations

import itertools
import json

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.knowledge.quiz import quiz_items
from tests.web.test_patient_html import Node, parse

GET_PAGES = [
    "/patient",
    "/patient/stage",
    "/patient/spread",
    "/patient/symptoms",
    "/patient/statistics",
    "/patient/treatments",
    "/patient/learn",
    "/patient/learn/bone-lesions",
    "/patient/quiz",
]
POSTS = {
    "stage result": ("/patient/stage", {"t": "T2", "n": "N1", "m": "M0"}),
    "stage problem": ("/patient/stage", {"t": "T9", "n": "N1"}),
    "triage result": ("/patient/symptoms", {"symptoms": ["back_pain", "limb_weakness"]}),
    "triage problem": ("/patient/symptoms", {}),
    "options result": (
        "/patient/treatments",
        {"subtype": "hr+/her2-", "sites": ["bone"], "menopausal_status": "unknown"},
    ),
    "options problem": ("/patient/treatments", {"subtype": "x"}),
    "quiz result": ("/patient/quiz", {item.id: "b" for item in quiz_items()}),
    "quiz problem": ("/patient/quiz", {"any_cancer": "b"}),
}
FORMS = {
    "/patient/stage": "stage-form",
    "/patient/symptoms": "triage-form",
    "/patient/treatments": "options-form",
    "/patient/quiz": "quiz-form",
}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def pages(client) -> dict[str, Node]:
    found = {path: parse(client.get(path).text) for path in GET_PAGES}
    for name, (path, data) in POSTS.items():
        response = client.post(path, data=data)
        assert response.status_code == (422 if "problem" in name else 200), name
        found[name] = parse(response.text)
    return found


ALL = [*GET_PAGES, *POSTS]


@pytest.mark.parametrize("name", ALL)
def test_every_control_has_a_label(pages, name):
    root = pages[name]
    controls = [
        node
        for node in root.walk()
        if node.tag in ("select", "textarea")
        or (node.tag == "input" and node.attrs.get("type") not in ("hidden", "submit"))
    ]
    for control in controls:
        wrapped = any(a.tag == "label" for a in control.ancestors())
        control_id = control.attrs.get("id")
        labelled = bool(control_id) and bool(root.find_all("label", for_=control_id))
        assert wrapped or labelled, f"{name}: {control.tag} {control.attrs} has no label"
        if control_id:
            assert all(label.text() for label in root.find_all("label", for_=control_id))


@pytest.mark.parametrize("name", ALL)
def test_one_h1_and_headings_never_skip_a_level(pages, name):
    levels = [int(node.tag[1]) for node in pages[name].walk() if node.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels.count(1) == 1
    assert levels[0] == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{name}: h{before} followed by h{after}"


@pytest.mark.parametrize("name", ALL)
def test_ids_are_unique_and_described_by_targets_exist(pages, name):
    root = pages[name]
    ids = [node.attrs["id"] for node in root.walk() if "id" in node.attrs]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for node in root.walk():
        for target in node.attrs.get("aria-describedby", "").split():
            assert target in ids, f"{name}: aria-describedby={target} missing"
        for target in node.attrs.get("aria-labelledby", "").split():
            assert target in ids, f"{name}: aria-labelledby={target} missing"


@pytest.mark.parametrize("name", ALL)
def test_page_is_in_english_links_the_patient_stylesheet_and_has_the_skip_link(pages, name):
    root = pages[name]
    assert root.find_all("html")[0].attrs["lang"] == "en"
    sheets = [link.attrs["href"] for link in root.find_all("link", rel="stylesheet")]
    assert any(href.endswith("/static/css/patient.css") for href in sheets)
    assert root.find_all("a", class_="skip")[0].attrs["href"] == "#content"


@pytest.mark.parametrize(("path", "form_id"), FORMS.items())
def test_forms_post_without_javascript_and_htmx_swaps_only_the_result(pages, path, form_id):
    root = pages[path]
    form = root.by_id(form_id)
    assert form.attrs["method"] == "post"
    assert form.attrs["action"].split("#")[0] == path
    assert form.attrs["hx-post"] == path
    assert form.attrs["hx-target"] == "#result"
    assert form.attrs["hx-select"] == "#result"
    assert form.attrs["hx-swap"] == "outerHTML"
    # The controls' own problems are swapped too, out of band, so they show next to each control with htmx; and
    # the page's numbered sources, so that a new result's footnotes point at the right references.
    fields, sources = (target.lstrip("#") for target in form.attrs["hx-select-oob"].split(","))
    assert form.by_id(fields)
    assert root.by_id(sources).attrs["class"] == "refs"
    assert not any(node is form for node in root.by_id(sources).ancestors())
    assert form.find_all("button", type="submit")
    result = root.by_id("result")
    assert result.attrs["aria-live"] == "polite"
    assert not any(node.tag == "form" for node in result.walk())


@pytest.mark.parametrize("name", [name for name in POSTS if "problem" in name])
def test_problems_are_announced_and_linked_to_their_control(pages, name):
    root = pages[name]
    summary = root.by_id("input-errors")
    assert summary.attrs["role"] == "alert"
    assert any(node is root.by_id("result") for node in summary.ancestors())
    for link in summary.find_all("a"):
        assert root.by_id(link.attrs["href"][1:])
    invalid = [node for node in root.walk() if node.attrs.get("aria-invalid") == "true"]
    assert invalid


def test_htmx_is_told_to_swap_422_answers(pages):
    meta = pages["/patient/stage"].find_all("meta", name="htmx-config")[0]
    handling = json.loads(meta.attrs["content"])["responseHandling"]
    assert {"code": "422", "swap": True} in handling


def test_the_patient_stylesheet_is_served_and_has_print_rules(client):
    response = client.get("/static/css/patient.css")
    assert response.status_code == 200
    assert "@media print" in response.text
