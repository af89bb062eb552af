"""The page wording of every patient page reads at Flesch-Kincaid grade 8 or below (textstat), the project's
limit for patient text.

Scored: the text inside ``<main>`` that the pages themselves write (headings, instructions, labels, hints,
banners, problems). Left out: text from the library (class ``lib``; it has its own readability tests), the
evidence and reference lists, citations and the options of selects. Each heading, label or list item counts as
one sentence, as a reader meets it; the grade formula is meaningless on single short labels, so the page's
wording is scored as a whole.
"""

from __future__ import annotations

import pytest
import textstat
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.knowledge.quiz import quiz_items
from tests.web.test_patient_html import Node, parse

MAX_GRADE = 8.0
INLINE = {"a", "span", "strong", "em", "b", "i", "code", "small", "abbr", "br", "input"}
BLOCK_SPANS = {"hint", "problem", "title", "caption-note"}
SKIP_CLASSES = {"lib", "evidence", "refs", "cite", "badge", "breadcrumbs"}
QUIZ = [item.id for item in quiz_items()]
PAGES = {
    "entrance": ("GET", "/patient", None),
    "stage": ("GET", "/patient/stage", None),
    "stage result": ("POST", "/patient/stage", {"t": "T2", "n": "N1", "m": "M0"}),
    "stage problem": ("POST", "/patient/stage", {"t": "T9", "n": "N1", "m": "M0"}),
    "spread": ("GET", "/patient/spread", None),
    "symptoms": ("GET", "/patient/symptoms", None),
    "symptoms result": ("POST", "/patient/symptoms", {"symptoms": ["back_pain", "limb_weakness"]}),
    "symptoms problem": ("POST", "/patient/symptoms", {}),
    "statistics": ("GET", "/patient/statistics", None),
    "treatments": ("GET", "/patient/treatments", None),
    "treatments result": ("POST", "/patient/treatments", {"subtype": "hr+/her2-", "sites": ["bone"]}),
    "treatments problem": ("POST", "/patient/treatments", {"subtype": "hr+/her2-"}),
    "topic": ("GET", "/patient/learn/bone-lesions", None),
    "learn": ("GET", "/patient/learn", None),
    "quiz": ("GET", "/patient/quiz", None),
    "quiz result": ("POST", "/patient/quiz", dict.fromkeys(QUIZ, "a")),
    "quiz problem": ("POST", "/patient/quiz", dict.fromkeys(QUIZ[:2], "a")),
}


def _skip(node: Node) -> bool:
    if node.classes & SKIP_CLASSES or node.tag in ("select", "script", "style"):
        return True
    return node.tag == "a" and node.attrs.get("href", "").startswith(("#src-", "#ref-"))


def ui_units(root: Node) -> list[str]:
    """The page's own wording inside <main>, one unit per block, each ending as a sentence."""
    units: list[str] = []

    def visit(node: Node) -> None:
        if _skip(node):
            return
        own: list[str] = []
        for child in node.children:
            if isinstance(child, str):
                own.append(child)
            elif child.tag not in INLINE or child.classes & BLOCK_SPANS:
                visit(child)
            elif not _skip(child):
                own.append(child.text(skip=_skip))
        text = " ".join(" ".join(own).split()).strip(" :—·")
        if any(ch.isalpha() for ch in text):
            units.append(text if text[-1] in ".?!…" else text + ".")

    for child in root.find_all("main")[0].children:
        if isinstance(child, Node):
            visit(child)
    return units


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.mark.parametrize("name", PAGES)
def test_page_wording_reads_at_grade_8_or_below(client, name):
    method, path, data = PAGES[name]
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    units = ui_units(parse(response.text))
    text = " ".join(units)
    assert len(text.split()) >= 3, units
    grade = textstat.flesch_kincaid_grade(text)
    assert grade <= MAX_GRADE, f"{name}: grade {grade:.1f}: {text}"


def test_the_extractor_leaves_out_library_text_and_citations():
    root = parse(
        '<main><h1>Title here</h1><p class="lib">Library words.</p><p>Own words <a href="#ref-x">x</a></p>'
        '<section class="evidence"><p>Why</p></section><label>Pick one <select><option>Long option</option>'
        "</select></label></main>"
    )
    assert ui_units(root) == ["Title here.", "Own words.", "Pick one."]
