"""No code in the words a patient reads, and a way to call for help on every patient page.

Every patient page (each first view, each explainer, and results for every symptom, every subtype, stages and the
quiz) is scanned in its running text: everything inside ``<main>`` except the "Sources for your care team" list
at the end. It must hold no source ids of the registry, no rule ids, no snake_case identifiers, no Python literals
or quoted enum values, no verification badges, commit hashes or table names, and none of the clinician wording
the issue found on these pages. Every page starts with the get-help card and its three numbers to tap.
"""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.assess.triage import symptom_vocabulary
from metastasis.assess.triage_models import actions, rules
from metastasis.evidence import all_sources
from metastasis.knowledge.education import topics
from metastasis.knowledge.options import SUBTYPES, option_catalogue
from metastasis.knowledge.quiz import quiz_items
from tests.web.test_patient_html import Node, parse

# Typed from the issue: UK 999, US and Canada 911, EU 112, in this order.
PHONES = ["tel:999", "tel:911", "tel:112"]
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
DOTTED = re.compile(r"\b[a-z]+\.[a-z][a-z_]+\b")
# A literal inside a sentence ("None of them." starting a sentence is English), "None to decide", a quoted list
# or a keyword argument.
LITERALS = re.compile(r"(?<![.?!:]\s)(?<!^)\b(?:None|True|False)\b|\bNone to\b|\[['\"]|['\"]\]|\w+=\w")
HEX = re.compile(r"\b[0-9a-f]{12,40}\b")
# What the issue saw on these pages: clinician, developer and verification text.
FORBIDDEN = (
    "MSCC coordinator",
    "whole-spine MRI",
    "summed symptom weights",
    "rests in part on",
    "unverified",
    "not checked against",
    "study not identified",
    "commit",
    "SEER 22",
    "legacy table",
    "Sources:",
)
SITES = ["bone", "liver", "lung", "brain"]

GETS = [
    "/patient",
    "/patient/stage",
    "/patient/spread",
    "/patient/symptoms",
    "/patient/statistics",
    "/patient/treatments",
    "/patient/learn",
    "/patient/quiz",
    *(f"/patient/learn/{topic.replace('_', '-')}" for topic in topics()),
]
POSTS: list[tuple[str, dict[str, object]]] = [
    *(("/patient/symptoms", {"symptoms": [code]}) for code in sorted(symptom_vocabulary())),
    ("/patient/symptoms", {"symptoms": sorted(symptom_vocabulary())}),
    ("/patient/symptoms", {"symptoms": ["back_pain", "limb_weakness", "headache_persistent", "fatigue"]}),
    ("/patient/symptoms", {}),
    ("/patient/symptoms", {"symptoms": ["hiccups"]}),
    *(("/patient/treatments", {"subtype": subtype, "sites": SITES}) for subtype in SUBTYPES),
    ("/patient/treatments", {"subtype": "nope"}),
    ("/patient/stage", {"t": "T2", "n": "N1", "m": "M0"}),
    ("/patient/stage", {"t": "T1", "n": "N0", "m": "M0", "er": "positive", "pr": "positive", "her2": "negative"}),
    ("/patient/stage", {"t": "T4d", "n": "N3", "m": "M1", "grade": "3"}),
    ("/patient/stage", {"t": "T9"}),
    ("/patient/quiz", {item.id: "a" for item in quiz_items()}),
    ("/patient/quiz", {}),
]
PAGES = [("GET", path, None) for path in GETS] + [("POST", path, data) for path, data in POSTS]
IDS = [f"{method} {path} {sorted(data) if data else ''}".strip() for method, path, data in PAGES]


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def fetch(client: TestClient, method: str, path: str, data: dict[str, object] | None) -> Node:
    response = client.get(path) if method == "GET" else client.post(path, data=data)
    assert response.status_code in (200, 422), path
    return parse(response.text)


def running_text(root: Node) -> str:
    """The words of <main>, without the page's list of sources."""
    main = root.find_all("main")[0]
    return main.text(skip=lambda node: node.attrs.get("id") == "page-sources")


def code_in(text: str) -> list[str]:
    """Everything in ``text`` that looks like code or an internal id (empty when the text is clean)."""
    found = [source for source in all_sources() if re.search(rf"(?<![\w-]){re.escape(source)}(?![\w-])", text)]
    found += [rule.id for rule in rules() if rule.id in text]
    found += [f"options.{option.id}" for option in option_catalogue() if f"options.{option.id}" in text]
    for pattern in (SNAKE, DOTTED, LITERALS, HEX):
        found += pattern.findall(text)
    found += [phrase for phrase in FORBIDDEN if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE)]
    return found


@pytest.mark.parametrize(("method", "path", "data"), PAGES, ids=IDS)
def test_running_text_has_no_ids_literals_or_clinician_notes(client, method, path, data):
    text = running_text(fetch(client, method, path, data))
    assert len(text.split()) > 20
    assert code_in(text) == [], text


@pytest.mark.parametrize(("method", "path", "data"), PAGES, ids=IDS)
def test_every_page_starts_with_the_get_help_card_and_its_numbers(client, method, path, data):
    root = fetch(client, method, path, data)
    main = root.find_all("main")[0]
    card = next(node for node in main.children if isinstance(node, Node))
    assert "help-card" in card.classes, "the card comes first in the main content"
    assert [a.attrs["href"] for a in card.find_all("a") if a.attrs["href"].startswith("tel:")] == PHONES
    text = card.text()
    assert "Get help now" in text
    for place in ("UK", "US and Canada", "EU"):
        assert place in text


def test_the_card_numbers_are_the_ones_the_library_advice_names():
    advice = actions().urgency
    emergency = next(text for level, text in advice.items() if level.value == "emergency_now")
    for phone in PHONES:
        assert phone.removeprefix("tel:") in emergency


@pytest.mark.parametrize(("method", "path", "data"), PAGES, ids=IDS)
def test_footnotes_point_at_the_readable_sources_list(client, method, path, data):
    root = fetch(client, method, path, data)
    listed = root.by_id("page-sources")
    items = listed.find_all("li")
    numbers = [int(li.attrs["id"].removeprefix("ref-")) for li in items]
    assert numbers == list(range(1, len(items) + 1)), "numbered in order, each once"
    cited = {a.attrs["href"][1:] for a in root.find_all("a") if a.attrs.get("href", "").startswith("#ref-")}
    assert cited == {li.attrs["id"] for li in items}, "every listed source is cited and every citation listed"
    for li in items:
        text = li.text(skip=lambda node: node.tag == "a")  # the link's text is its address
        assert not SNAKE.search(text), text
        assert not HEX.search(text), text
        assert not re.search(r"\bcommit\b", text), text
        assert not re.search(r"\b(?:verified|corroborated|unverified)\b", text), text


def test_the_scanner_finds_what_the_issue_saw():
    seen = (
        "Sites ranked by summed symptom weights: spine 4 (back_pain, limb_weakness). Rule triage.workup.brain rests "
        'in part on an unverified source (esmo-mbc-2021). Sources: nice-ng234-mscc. \'"positive"/"+"/True\' '
        "None to decide; commit d1b69055f279d9c82f2c423d7e17c73c86035e0a"
    )
    found = code_in(seen)
    for expected in ("esmo-mbc-2021", "nice-ng234-mscc", "back_pain", "triage.workup", "True", "None", "Sources:"):
        assert any(expected in item for item in found), expected
    assert code_in("Call 999 in the UK. Half of the people lived longer than 14.8 months.") == []
