"""The whole-case report page: a bundled example, pasted JSON or YAML, or an uploaded file gives the full report
inside the site layout; a case with problems answers 422 listing every problem with its JSON path, the text kept;
downloads give the same report as HTML, Markdown or JSON attachments. Also the report body the page shares with
the standalone HTML report."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from metastasis import DISCLAIMER, assess_case
from metastasis.api import create_app
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, example_case_text, load_example_case
from metastasis.report.render import render_html, render_html_body, report_css
from tests.web.test_clinician_html import heading_levels, read

NAMES = example_case_names()
CASE = "/clinician/case"
# A case with two problems: a lab value without its unit, and a T category that does not exist.
BROKEN = (
    '{"schema_version": "1.0", "tumour": {"t": "T9"}, '
    '"labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}]}'
)


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def report_of(response) -> str:
    assert response.status_code == 200, read(response.text).text_of("result")[:500]
    return read(response.text).text_of("result")


def test_the_form_offers_paste_upload_examples_and_audience(client) -> None:
    html = client.get(CASE).text
    assert report_css().strip() in html  # the report's stylesheet inlined as it is (not HTML-escaped)
    page = read(html)
    (form,) = page.all("form", id="case-form")
    assert form.attrs["enctype"] == "multipart/form-data" and form.attrs["hx-encoding"] == "multipart/form-data"
    assert page.all("textarea", name="case_text") and page.all("input", name="case_file", type="file")
    options = [o.attrs["value"] for o in page.all("option") if o.ancestors[-1].attrs.get("name") == "example"]
    assert options == ["", *NAMES]
    audiences = [o.attrs["value"] for o in page.all("option") if o.ancestors[-1].attrs.get("name") == "audience"]
    assert audiences == ["clinician", "patient"]


@pytest.mark.parametrize("name", NAMES)
def test_each_bundled_example_gives_its_report(client, name: str) -> None:
    response = client.post(CASE, data={"example": name, "audience": "clinician"})
    text = report_of(response)
    page = read(response.text)
    heading = page.by_id("result-heading")
    assert heading.tag == "h2" and "Report" in heading.text
    levels = heading_levels(page)
    assert levels.count(1) == 1 and 3 in levels and 4 in levels  # report title h3, its sections h4
    assert load_example_case(name).title in text
    assert "What to do now" in text and "References" in text
    assert page.by_id("case-text").text.strip().startswith("# Bundled example case")  # the case, ready to edit
    selected = [
        o for o in page.all("option") if "selected" in o.attrs and o.ancestors[-1].attrs.get("name") == "example"
    ]
    assert selected == []  # the example choice is cleared, so that edits to the text are used next time


def test_the_patient_view_uses_the_patient_wording(client) -> None:
    text = report_of(client.post(CASE, data={"example": "hypercalcaemia", "audience": "patient"}))
    assert "Your breast cancer report" in text and "Questions to ask your care team" in text
    assert "Warning signs" in text


def test_the_page_and_the_standalone_file_show_the_same_report() -> None:
    report = assess_case(load_example_case("spinal-cord-compression"))
    body = render_html_body(report, audience="clinician", heading_level=3)
    standalone = render_html(report, audience="clinician")
    outside_figures = re.sub(r"<svg.*?</svg>", "", body, flags=re.DOTALL)
    for tag in ("<html", "<head>", "<style", "<main", "<h1", "<!DOCTYPE"):
        assert tag not in outside_figures
    assert body.lstrip().startswith('<header class="report-header">') and '<h3 class="report-title">' in body
    assert 'id="alerts"' in body and 'id="references"' in body
    assert standalone.count("<h1") == 1 and '<main id="main"' in standalone
    assert '<div class="page report">' in standalone and report_css().strip() in standalone
    selectors = [line for line in report_css().splitlines() if "{" in line and not line.startswith(("@", " "))]
    assert selectors and all(line.startswith(".report") for line in selectors)  # scoped: safe inside any page


def test_the_report_body_refuses_a_bad_heading_level() -> None:
    report = assess_case(load_example_case("early-hr-positive"))
    for level in (0, 5, True, "2"):
        with pytest.raises(InvalidInputError, match="heading_level"):
            render_html_body(report, heading_level=level)  # type: ignore[arg-type]


def test_pasted_yaml_and_json_both_work(client) -> None:
    title = load_example_case("early-hr-positive").title
    assert title in report_of(client.post(CASE, data={"case_text": example_case_text("early-hr-positive")}))
    as_json = load_example_case("early-hr-positive").to_json()
    assert title in report_of(client.post(CASE, data={"case_text": as_json}))


def test_an_uploaded_file_works_and_wins_over_the_other_inputs(client) -> None:
    text = example_case_text("early-hr-positive")
    files = {"case_file": ("case.yaml", text.encode(), "application/yaml")}
    response = client.post(CASE, data={"case_text": BROKEN, "example": "hypercalcaemia"}, files=files)
    assert load_example_case("early-hr-positive").title in report_of(response)
    assert read(response.text).by_id("case-text").text.strip() == text.strip()
    as_json = load_example_case("early-hr-positive").to_json().encode()
    unnamed_suffix = {"case_file": ("case.txt", as_json, "text/plain")}  # read as JSON by its first character
    assert "Early HR-positive" in report_of(client.post(CASE, files=unnamed_suffix))


def test_a_case_with_problems_lists_each_with_its_json_path_and_keeps_the_text(client) -> None:
    response = client.post(CASE, data={"case_text": BROKEN})
    assert response.status_code == 422
    page = read(response.text)
    problems = page.text_of("case-problems")
    assert "$.labs[0].unit" in problems and "$.tumour.t" in problems
    assert "mmol/L" in problems  # what is allowed for the unit of calcium
    assert page.by_id("case-text").text == BROKEN
    textarea = page.by_id("case-text")
    assert textarea.attrs["aria-invalid"] == "true" and "case-problems" in textarea.attrs["aria-describedby"]
    alert = [e for e in page.elements if e.attrs.get("role") == "alert"]
    assert len(alert) == 1 and "2 problems" in " ".join(alert[0].text.split())
    assert page.by_id("result-heading").text == "Please check the case" and not page.all("article")


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('{"schema_version": "1.0", "labs": [}', "line 1"),  # JSON syntax
        ("schema_version: '1.0'\ntumour: {t: T2\n", "line"),  # YAML syntax
        ("- just\n- a list\n", "$"),  # not a mapping
        ('{"schema_version": "9.9"}', "$.schema_version"),
        ('{"schema_version": "1.0", "colour": "blue"}', "$.colour"),
    ],
)
def test_syntax_and_schema_errors_are_422(client, text: str, where: str) -> None:
    response = client.post(CASE, data={"case_text": text})
    assert response.status_code == 422
    page = read(response.text)
    assert where in page.text_of("case-problems")
    assert page.by_id("case-text").text == text


@pytest.mark.parametrize(
    ("data", "files", "field"),
    [
        ({}, None, "case_text"),  # nothing given
        ({"case_text": "   \n"}, None, "case_text"),
        ({"example": "no-such-case"}, None, "example"),
        ({"example": "hypercalcaemia", "audience": "nurse"}, None, "audience"),
        ({}, {"case_file": ("case.yaml", b"\xff\xfe\x00bad", "application/yaml")}, "case_file"),
        ({}, {"case_file": ("case.yaml", b"#" * 1_000_001, "application/yaml")}, "case_file"),
    ],
)
def test_missing_or_unreadable_input_is_422(client, data, files, field: str) -> None:
    response = client.post(CASE, data=data, files=files) if files else client.post(CASE, data=data)
    assert response.status_code == 422
    assert field in read(response.text).text_of("case-problems")


DOWNLOADS = {"html": "text/html", "markdown": "text/markdown", "json": "application/json"}


@pytest.fixture(scope="module")
def download_form(client) -> dict[str, str]:
    """The hidden fields of the download form under a patient report of a bundled case."""
    page = read(client.post(CASE, data={"example": "hypercalcaemia", "audience": "patient"}).text)
    assert [b.attrs["value"] for b in page.all("button", name="format")] == list(DOWNLOADS)
    return {e.attrs["name"]: e.attrs["value"] for e in page.all("input", type="hidden")}


@pytest.mark.parametrize("fmt", DOWNLOADS)
def test_downloads_are_attachments_of_the_same_report(client, download_form, fmt: str) -> None:
    assert download_form["audience"] == "patient"
    assert download_form["case_text"] == example_case_text("hypercalcaemia")
    response = client.post("/clinician/case/download", data={**download_form, "format": fmt})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(DOWNLOADS[fmt])
    extension = {"html": "html", "markdown": "md", "json": "json"}[fmt]
    assert response.headers["content-disposition"] == f'attachment; filename="hypercalcaemia-patient.{extension}"'
    if fmt == "json":
        assert json.loads(response.text)["audience"] == "patient"
    elif fmt == "html":
        assert response.text.startswith("<!DOCTYPE html>") and "Your breast cancer report" in response.text
    else:
        assert response.text.startswith("# Your breast cancer report") and DISCLAIMER in response.text


def test_a_bad_download_request_is_422(client) -> None:
    text = example_case_text("early-hr-positive")
    assert client.post("/clinician/case/download", data={"case_text": text, "format": "pdf"}).status_code == 422
    response = client.post("/clinician/case/download", data={"case_text": BROKEN, "format": "json"})
    assert response.status_code == 422 and "$.labs[0].unit" in response.text


def test_an_over_large_form_is_refused_before_it_is_read(client) -> None:
    files = {"case_file": ("case.yaml", b"#" * 2_200_000, "application/yaml")}
    response = client.post(CASE, files=files)
    assert response.status_code == 413 and "text/html" in response.headers["content-type"]
    assert "larger than" in read(response.text).text_of("content")


# --- The report on screen: summary first, details folded, codes only in the technical details ---------------------

SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
RULE_ID = re.compile(r"\b[a-z]+\.[a-z_]+\b")


@pytest.fixture(scope="module")
def report_pages(client) -> dict[tuple[str, str], str]:
    pages = {}
    for name in NAMES:
        for audience in ("clinician", "patient"):
            response = client.post(CASE, data={"example": name, "audience": audience})
            assert response.status_code == 200
            pages[(name, audience)] = response.text
    return pages


def _visible(html: str) -> str:
    from html import unescape

    html = re.sub(r"<svg.*?</svg>|<style.*?</style>|<script.*?</script>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", html))


def _running_text(html: str) -> str:
    """The report's text without its technical details and its reference list (citations quote table names)."""
    report = html[html.index('<article class="report"') : html.index("</article>")]
    for fold in ("technical", "references"):
        report = re.sub(rf'<details class="fold" id="{fold}".*?</details>', "", report, flags=re.S)
    return _visible(report)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_no_paths_codes_or_rule_ids_outside_the_technical_details(report_pages, name: str, audience: str) -> None:
    text = _running_text(report_pages[(name, audience)])
    assert "$." not in text
    assert SNAKE.findall(text) == []
    assert [r for r in RULE_ID.findall(text) if r != "e.g"] == []
    assert "urgency emergency" not in text


def _summary(html: str) -> str:
    start = html.index('id="summary"')
    return " ".join(_visible(html[start : html.index("</section>", start)]).split())


def test_the_summary_comes_first_with_alerts_what_to_do_and_key_findings(report_pages) -> None:
    html = report_pages[("spinal-cord-compression", "clinician")]
    assert html.index('id="summary"') < html.index('<details class="fold"')
    summary = " ".join(
        _visible(html[html.index('id="summary"') : html.index("</section>", html.index('id="summary"'))]).split()
    )
    assert "Suspected metastatic spinal cord compression (MSCC)" in summary
    assert "Do now: Treat as suspected MSCC" in summary and "dexamethasone 16 mg" in summary
    assert "Spinal instability without a surgical review" in summary
    assert "(SINS) 14" in summary and "ECOG 3" in summary and "pT1c pN1a cM0" in summary
    assert "Thoracic spine" in summary and "spine_thoracic" not in summary


def test_the_technical_details_keep_the_codes_for_clinicians(report_pages) -> None:
    html = report_pages[("spinal-cord-compression", "clinician")]
    start = html.index('<details class="fold" id="technical"')
    technical = _visible(html[start : html.index("</details>", start)])
    assert "$.symptoms[0]" in technical and "$.bone_lesions[0].spine.escc_grade" in technical
    assert "urgency emergency_now" in technical and "mscc.spinal_pain_with_neuro" in technical
    assert "red_flag:spinal_cord_compression" in technical
    assert "$.metastatic_sites[].lesion_count" in technical  # where to record the missing data


def test_the_patient_report_starts_with_what_to_do_and_has_no_technical_details(report_pages) -> None:
    html = report_pages[("hypercalcaemia", "patient")]
    assert 'id="technical"' not in html
    summary = _summary(html)
    assert summary.index("What to do now") < summary.index("Warning signs found")
    assert "Call emergency services now" in summary


def test_the_report_page_has_a_print_button_and_a_way_back_to_the_builder(report_pages) -> None:
    page = read(report_pages[("early-hr-positive", "clinician")])
    (button,) = [b for b in page.all("button") if "data-print" in b.attrs]
    assert button.attrs["type"] == "button" and "print-button" in button.attrs["class"]
    assert len(page.all("form", action="/clinician/case/edit")) == 1
    hidden = [
        e
        for e in page.all("input", name="case_text", type="hidden")
        if e.inside("form").attrs["action"].endswith("/edit")
    ]
    assert hidden and hidden[0].attrs["value"].startswith("# Bundled example case")
    assert page.all("a", href="/clinician/case/new")  # "Build a case step by step"
    assert page.by_id("result-heading").attrs["tabindex"] == "-1"
    assert page.all("form", id="case-form")[0].attrs["action"].endswith("#result")
    hint = page.text_of("case-text-hint")
    assert "metastasis schema" not in hint and "case builder" in hint
