"""Accessibility and progressive enhancement of every clinician page, on first view, with a result and with input
problems: a label for every control, one h1 and headings in order, unique ids, ``aria-describedby`` targets that
exist, plain POST forms with the htmx attributes, and one live result region.

Also holds the small HTML reader the other clinician tests use (:func:`read`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.web.clinician_tools import calculators

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    """One element: its tag, attributes, text inside it and ancestors' tags."""

    tag: str
    attrs: dict[str, str]
    ancestors: list[Element] = field(default_factory=list)
    text: str = ""

    def inside(self, tag: str) -> Element | None:
        return next((a for a in reversed(self.ancestors) if a.tag == tag), None)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self.open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, list(self.open))
        self.elements.append(element)
        if tag not in _VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(Element(tag, {k: v or "" for k, v in attrs}, list(self.open)))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i].tag == tag:
                del self.open[i:]
                return

    def handle_data(self, data: str) -> None:
        for element in self.open:
            element.text += data


@dataclass
class Page:
    """A parsed page with the queries the tests need."""

    html: str
    elements: list[Element]

    def all(self, tag: str, **attrs: str) -> list[Element]:
        return [
            e
            for e in self.elements
            if e.tag == tag and all(e.attrs.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]

    def by_id(self, ident: str) -> Element | None:
        return next((e for e in self.elements if e.attrs.get("id") == ident), None)

    def text_of(self, ident: str) -> str:
        found = self.by_id(ident)
        assert found is not None, f"no element with id {ident!r}"
        return " ".join(found.text.split())


def read(html: str) -> Page:
    """Parse a page (matplotlib's SVG content is read but not checked)."""
    reader = _Reader()
    reader.feed(html)
    return Page(html, reader.elements)


def unlabelled_controls(page: Page) -> list[str]:
    """Names of inputs, selects and textareas with no label (hidden inputs and buttons need none)."""
    labelled_ids = {e.attrs.get("for") for e in page.all("label")}
    missing = []
    for e in page.elements:
        if e.tag not in ("input", "select", "textarea") or e.attrs.get("type") in ("hidden", "submit"):
            continue
        if e.attrs.get("id") in labelled_ids or e.inside("label") or e.attrs.get("aria-label"):
            continue
        missing.append(e.attrs.get("name", "?"))
    return missing


def heading_levels(page: Page) -> list[int]:
    """The heading levels in document order (outside inline SVG)."""
    return [
        int(e.tag[1]) for e in page.elements if e.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and not e.inside("svg")
    ]


def check_accessible(page: Page, *, with_form: bool = True) -> None:
    """The checks every clinician page must pass (a page with a form also has one live result region)."""
    assert unlabelled_controls(page) == []
    levels = heading_levels(page)
    assert levels.count(1) == 1 and levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), f"heading levels skip: {levels}"
    ids = [e.attrs["id"] for e in page.elements if "id" in e.attrs and not e.inside("svg") and e.tag != "svg"]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    for e in page.elements:
        for target in e.attrs.get("aria-describedby", "").split():
            assert page.by_id(target) is not None, f"aria-describedby={target!r} points nowhere"
    results = page.all("div", id="result")
    assert len(results) == (1 if with_form else 0)
    # a calculator's answer is announced politely; the case report is too long for a live region (focus moves to
    # its heading instead), so it may have none, but never an assertive one
    is_case = bool(page.all("form", id="case-form"))
    assert all(r.attrs.get("aria-live") == "polite" or (is_case and "aria-live" not in r.attrs) for r in results)
    assert "not medical advice" in " ".join(page.all("footer")[0].text.split()).lower()


def check_enhanced_form(page: Page, form_id: str) -> None:
    """A plain POST form that htmx turns into a swap of the result region only."""
    (form,) = page.all("form", id=form_id)
    assert form.attrs["method"] == "post" and form.attrs["action"]
    # without JavaScript the browser lands on the result; htmx posts to the same path
    assert form.attrs["action"] == form.attrs["hx-post"] + "#result"
    assert (form.attrs["hx-target"], form.attrs["hx-select"], form.attrs["hx-swap"]) == (
        "#result",
        "#result",
        "outerHTML",
    )
    assert page.by_id(form.attrs["hx-select-oob"].lstrip("#")) is not None  # the fields, refreshed with problems
    assert [b for b in page.elements if b.tag == "button" and b.attrs.get("type") == "submit" and b.inside("form")]


# --- the tests -----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


GET_PAGES = [
    "/clinician",
    "/clinician/case",
    *(f"/clinician/calc/{name}" for name in calculators()),
    *(f"/clinician/simulate/{kind}" for kind in ("spread", "cascade", "bone")),
]


@pytest.mark.parametrize("path", GET_PAGES)
def test_every_page_is_accessible_on_first_view(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    page = read(response.text)
    check_accessible(page, with_form=path != "/clinician")
    if "/calc/" in path:
        check_enhanced_form(page, "calc-form")
    elif "/simulate/" in path:
        check_enhanced_form(page, "sim-form")
    elif path.endswith("/case"):
        check_enhanced_form(page, "case-form")


POSTS = {
    "score result": (
        "/clinician/calc/scores_mirels",
        {"site": "lower_limb", "pain": "mild", "lesion": "mixed", "size": "lt_one_third"},
    ),
    "score problem": ("/clinician/calc/scores_mirels", {"site": "elbow"}),
    "staging result": ("/clinician/calc/staging_breast", {"t": "pT2", "n": "pN1a", "m": "cM0"}),
    "staging problem": ("/clinician/calc/staging_breast", {"t": "pT9", "n": "pN1a", "m": "cM0"}),
    "triage result": ("/clinician/calc/triage", {"symptoms": ["back_pain", "limb_weakness"]}),
    "triage problem": ("/clinician/calc/triage", {"symptoms": ["hiccups"]}),
    "options result": ("/clinician/calc/treatment_options", {"subtype": "triple-negative", "sites": ["liver", "bone"]}),
    "predict result": (
        "/clinician/calc/predict_breast",
        {"age": "50", "size_mm": "15", "nodes": "0", "grade": "1", "er": "positive"},
    ),
    "statistics result": ("/clinician/calc/statistics", {"topic": "stage"}),
    "cascade result": ("/clinician/simulate/cascade", {"cells": "1000", "replicates": "100", "seed": "1"}),
    "spread problem": ("/clinician/simulate/spread", {"steps": "0"}),
    "case problem": ("/clinician/case", {"case_text": '{"schema_version": "2.0"}'}),
}


@pytest.mark.parametrize("name", POSTS)
def test_results_and_problems_keep_the_page_accessible(client, name: str) -> None:
    path, data = POSTS[name]
    response = client.post(path, data=data)
    assert response.status_code == (422 if "problem" in name else 200)
    page = read(response.text)
    check_accessible(page)
    result = page.by_id("result")
    assert result is not None
    if "problem" in name:
        alerts = [e for e in page.elements if e.attrs.get("role") == "alert"]
        assert len(alerts) == 1 and any(a.attrs.get("id") == "result" for a in alerts[0].ancestors)
        invalid = [e for e in page.elements if e.attrs.get("aria-invalid") == "true"]
        assert invalid or page.by_id("symptoms-error"), "the problem is marked at its control"
    else:
        assert page.all("section", aria_label="Evidence"), "a result always shows its evidence"


def test_the_htmx_configuration_lets_a_422_replace_the_result(client) -> None:
    page = read(client.get("/clinician/calc/scores_sins").text)
    (meta,) = page.all("meta", name="htmx-config")
    assert '"code": "422", "swap": true' in meta.attrs["content"]
    assert page.all("link", rel="stylesheet", href="/static/css/clinician.css")
    assert client.get("/static/css/clinician.css").status_code == 200
