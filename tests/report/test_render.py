"""Renderings of the whole-case report: every format for both audiences carries the same facts, cited.

Checks the key content, not only that a file appears: alerts and actions, numbered references that resolve,
unverified marks, numbers with provenance, figures inline in HTML, escaping, and the audience's wording.
"""

from __future__ import annotations

import json
import re

import pytest

from metastasis import DISCLAIMER, assess_case
from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, load_example_case
from metastasis.report.render import FORMATS, markdown_text, render, render_html, render_markdown
from metastasis.report.view import build_view

NAMES = example_case_names()


@pytest.fixture(scope="module")
def reports():
    return {name: assess_case(load_example_case(name)) for name in NAMES}


@pytest.fixture(scope="module")
def html(reports):
    return {(name, a): render_html(reports[name], audience=a) for name in NAMES for a in ("clinician", "patient")}


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_markdown_references_resolve_and_alerts_appear(reports, name, audience):
    report = reports[name]
    text = render_markdown(report, audience=audience)
    cited = {int(n) for n in re.findall(r"\]\(#ref-(\d+)\)", text)}
    anchors = {int(n) for n in re.findall(r'<a id="ref-(\d+)"></a>', text)}
    assert cited <= anchors
    assert anchors == set(range(1, len(report.references) + 1))
    view = build_view(report, audience)
    for alert in view.alerts:
        assert markdown_text(alert.title) in text and markdown_text(alert.text) in text  # escaped for Markdown
    assert "## What to do now" in text
    assert text.strip().endswith(DISCLAIMER)


@pytest.mark.parametrize("name", NAMES)
def test_clinician_markdown_shows_provenance_of_every_number(reports, name):
    report = reports[name]
    text = render_markdown(report, audience="clinician")
    for statement in report.statements():
        for value in statement.values:
            assert f"{value.label} = {value.display}" in text
            for path in value.provenance.paths:
                assert f"`{path}`" in text


def test_unverified_items_are_marked(reports):
    report = reports["hypercalcaemia"]
    text = render_markdown(report, audience="clinician")
    bta = next(line for line in text.splitlines() if "Bone metastasis without a bone-targeted agent" in line)
    assert "*(unverified)*" in bta
    assert "`bta-early-start-6-months`; **unverified**" in text


def test_patient_view_uses_plain_words_and_hides_the_machinery(reports):
    text = render_markdown(reports["hypercalcaemia"], audience="patient")
    assert text.index("## What to do now") < text.index("## Warning signs")
    assert "Call emergency services now" in text
    assert "$.labs" not in text and "CTCAE v5 grade 3 (ULN" not in text
    assert "## Questions to ask your care team" in text
    assert "Why is my calcium going up" in text


def test_clinician_view_puts_alerts_first_with_rules_dates_and_records(reports):
    text = render_markdown(reports["spinal-cord-compression"], audience="clinician")
    assert text.index("## Alerts") < text.index("## What to do now")
    assert "Rule: A spinal lesion is unstable (SINS 13-18; high)" in text
    assert "`$.bone_lesions[0]`" in text
    assert "| lesion | score | total | band | record |" in text


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_html_is_one_accessible_file(html, name, audience):
    page = html[(name, audience)]
    assert page.startswith("<!DOCTYPE html>") and '<html lang="en">' in page
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "@media print" in page
    assert page.count("<h1") == 1 and "<h2" in page
    cited = set(re.findall(r'href="#ref-(\d+)"', page))
    assert cited <= set(re.findall(r'id="ref-(\d+)"', page))


def test_html_embeds_the_figures_that_apply(html):
    assert html[("hypercalcaemia", "clinician")].count('id="fig-calcium-trend"') == 1
    assert 'id="fig-spread-sites"' in html[("hypercalcaemia", "clinician")]
    assert 'id="fig-spread-sites"' not in html[("hypercalcaemia", "patient")]  # clinician only
    early = html[("early-hr-positive", "patient")]
    assert 'id="fig-predict-outcomes"' in early and "<svg" in early
    assert 'id="fig-calcium-trend"' not in early  # no calcium recorded


def test_html_escapes_case_text():
    data = json.loads(load_example_case("early-hr-positive").to_json())
    data["description"] = "A <script>alert(1)</script> & friends"
    page = render_html(assess_case(Case.from_data(data)), audience="clinician")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in page


def test_terminal_text_has_the_alerts(reports):
    text = render(reports["recurrent-liver-bone"], audience="clinician", fmt="terminal")
    assert "HIGH" in text and "Mirels 11" in text
    assert "What to do now" in text and "References" in text


def test_json_has_facts_and_view(reports):
    data = json.loads(render(reports["de-novo-bone-only"], audience="patient", fmt="json"))
    assert data["audience"] == "patient"
    assert data["report"]["staging"]["stage"]["anatomic_stage"] == "IV"
    assert data["view"]["sections"][0]["title"] == "The stage of the cancer"


def test_bad_audience_and_format_are_refused(reports):
    report = reports["early-hr-positive"]
    with pytest.raises(InvalidInputError, match="audience"):
        render(report, audience="nurse", fmt="markdown")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="format"):
        render(report, audience="clinician", fmt="pdf")
    assert set(FORMATS) == {"terminal", "markdown", "html", "json"}
