"""The site-wide look and pieces (issue 16): design tokens and dark mode in the stylesheet, the header links, the
/docs way back, the helpful 404 page, and the charts (unique SVG ids, survival axes from 0, a narrow drawing whose
text shows at 12 px or more on a phone). Browser checks of the same points: tests/browser/test_site.py."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.predict import predict_breast
from metastasis.web.clinician_figures import predict_figures
from tests.web.test_clinician_html import Page, read


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


@pytest.fixture(scope="module")
def css(client) -> str:
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    return response.text


TOKENS = ("--fg", "--bg", "--muted", "--accent", "--danger", "--warn", "--ok", "--border", "--surface", "--focus")


def _block(css: str, opening: str) -> str:
    """The text of the rule block that starts with ``opening`` (braces balanced)."""
    start = css.index(opening)
    depth, i = 0, css.index("{", start)
    for j in range(i, len(css)):
        depth += {"{": 1, "}": -1}.get(css[j], 0)
        if depth == 0:
            return css[i : j + 1]
    raise AssertionError(f"unbalanced block after {opening!r}")


def _declared(block: str) -> set[str]:
    return set(re.findall(r"(--[a-z-]+)\s*:", block))


def test_the_design_tokens_are_declared_for_light_and_dark(css: str) -> None:
    light = _declared(_block(css, ":root"))
    dark = _declared(_block(css, "@media (prefers-color-scheme: dark)"))
    for token in TOKENS:
        assert token in light, f"{token} missing from :root"
        assert token in dark, f"{token} not redefined for dark mode"


def test_colours_come_from_the_tokens(css: str) -> None:
    body = _block(css, "body {")
    assert "var(--bg)" in body and "var(--fg)" in body
    assert "var(--focus)" in _block(css, ":focus-visible")


def test_touch_targets_and_print_rules(css: str) -> None:
    assert re.search(r"--touch:\s*44px", css)
    for selector in ("button, .button", "select, textarea"):
        assert "min-height: var(--touch)" in _block(css, selector), selector
    printed = _block(css, "@media print")
    assert ".site-header" in printed and "form" in printed and "display: none" in printed


def test_the_site_script_wires_print_buttons_and_focus(client) -> None:
    script = client.get("/static/js/site.js").text
    assert "[data-print]" in script and "window.print()" in script
    assert "htmx:afterSettle" in script and "result-heading" in script


def _text(page: Page, tag: str) -> str:
    """The text of the page's first ``tag`` element, whitespace collapsed."""
    return " ".join(page.all(tag)[0].text.split())


def _header_links(html: str) -> list[str]:
    page = read(html)
    header = page.all("header")[0]
    return [e.attrs.get("href", "") for e in page.elements if e.tag == "a" and header in e.ancestors]


PATIENT_PAGES = ["/patient", "/patient/stage", "/patient/symptoms", "/patient/spread", "/patient/statistics"]


@pytest.mark.parametrize("path", PATIENT_PAGES)
def test_patient_pages_have_no_api_link(client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    links = _header_links(response.text)
    assert "/patient" in links and "/clinician" in links
    assert "/docs" not in links


@pytest.mark.parametrize("path", ["/", "/clinician"])
def test_home_and_clinician_pages_keep_the_api_link(client, path: str) -> None:
    assert "/docs" in _header_links(client.get(path).text)


def test_the_api_documentation_links_back_to_the_site(client) -> None:
    page = read(client.get("/docs").text)
    links = {" ".join(e.text.split()): e.attrs.get("href") for e in page.all("a")}
    assert links.get("Back to the site") == "/"
    assert links.get("For clinicians") == "/clinician"
    assert len(page.all("main")) == 1 and page.by_id("swagger-ui") is not None
    assert "not medical advice" in _text(page, "footer").lower()


@pytest.mark.parametrize("path", ["/no-such-page", "/patient/nowhere", "/clinician/calc/nothing-here"])
def test_an_unknown_page_is_a_helpful_404(client, path: str) -> None:
    response = client.get(path, headers={"accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    page = read(response.text)
    assert [" ".join(h.text.split()) for h in page.all("h1")] == ["Page not found"]
    hrefs = {e.attrs.get("href") for e in page.elements if e.tag == "a" and e.inside("main")}
    assert {"/patient", "/clinician", "/", "/docs"} <= hrefs
    assert "Check the address" in _text(page, "main")  # a search hint
    assert "Traceback" not in response.text


def test_a_missing_simulation_names_itself_on_the_404_page(client) -> None:
    page = read(client.get("/clinician/simulate/tumour").text)
    assert "There is no simulation named 'tumour'" in _text(page, "main")


def test_the_api_keeps_its_json_404(client) -> None:
    response = client.get("/api/v1/no-such-endpoint")
    assert response.status_code == 404
    body = response.json()
    assert body["detail"][0]["field"] == "path" and body["detail"][0]["value"] == "/api/v1/no-such-endpoint"
    assert body["request_id"]


# Charts -------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def predict_result():  # type: ignore[no-untyped-def]
    return predict_breast(
        age=55, size_mm=22, nodes=1, grade=2, er="positive", her2="negative", chemo="third_generation", hormone_years=5
    )


def _drawing(svg_markup: str, drawing: str) -> str:
    (found,) = re.findall(rf'<svg class="chart-{drawing}".*?</svg>', svg_markup, flags=re.DOTALL)
    return found


def _first_y_axis(svg: str) -> tuple[float, list[tuple[str, float]]]:
    """The bottom edge of the first axes and its y tick labels with their heights (SVG user units)."""
    axes = svg[svg.index("-axes_1") : svg.index("-axes_2")]
    bottom = float(re.search(r'<path d="M [\d.]+ ([\d.]+)', axes).group(1))  # type: ignore[union-attr]
    y_axis = axes[axes.index("matplotlib.axis_2") :]
    ticks = re.findall(r'ytick_\d+">.*?<use [^>]*? y="([\d.]+)".*?<!-- (.*?) -->', y_axis, flags=re.DOTALL)
    return bottom, [(label, float(y)) for y, label in ticks]


@pytest.mark.parametrize("drawing", ["wide", "narrow"])
def test_the_predict_survival_axis_starts_at_0(predict_result, drawing: str) -> None:
    (figure,) = predict_figures(predict_result)
    bottom, ticks = _first_y_axis(_drawing(figure.svg, drawing))
    assert [label for label, _ in ticks] == ["0", "20", "40", "60", "80", "100"]
    assert ticks[0][1] == pytest.approx(bottom, abs=0.01), "the 0 % tick is the bottom of the axes"


def _smallest_text_px(svg: str, shown_px: float) -> float:
    """The smallest text of a drawing (matplotlib writes glyphs scaled by size / 100) when shown ``shown_px`` wide."""
    width_pt = float(re.search(r'width="([\d.]+)pt"', svg).group(1))  # type: ignore[union-attr]
    smallest = min(float(s) for s in re.findall(r"scale\(([\d.]+) -[\d.]+\)", svg))
    return 100 * smallest * shown_px / width_pt


PHONE_FIGURE_PX = 330  # a 390 px screen less the page and result padding


def test_the_narrow_predict_drawing_keeps_text_at_12_px_on_a_phone(predict_result) -> None:
    (figure,) = predict_figures(predict_result)
    assert _smallest_text_px(_drawing(figure.svg, "narrow"), PHONE_FIGURE_PX) >= 12


SMALL = {
    "spread": {"subtype": "triple-negative", "steps": "3", "patients": "500", "seed": "7", "top": "3"},
    "cascade": {"cells": "2000", "replicates": "50", "seed": "3"},
    "bone": {"lesion_name": "mixed", "treatment": "zoledronic-acid", "start_day": "90", "years": "1"},
}


@pytest.mark.parametrize("kind", SMALL)
def test_simulation_charts_have_a_phone_drawing_with_12_px_text(client, kind: str) -> None:
    html = client.post(f"/clinician/simulate/{kind}", data=SMALL[kind]).text
    narrow = re.findall(r'<svg class="chart-narrow".*?</svg>', html, flags=re.DOTALL)
    assert narrow, "each chart has a narrow drawing"
    for svg in narrow:
        assert _smallest_text_px(svg, PHONE_FIGURE_PX) >= 12


def _duplicate_ids(html: str) -> list[str]:
    counts = Counter(re.findall(r'\sid="([^"]+)"', html))
    return sorted(name for name, n in counts.items() if n > 1)


def test_the_spread_result_has_unique_ids_prefixed_per_figure(client) -> None:
    html = client.post("/clinician/simulate/spread", data=SMALL["spread"]).text
    assert _duplicate_ids(html) == []
    for svg in re.findall(r'<svg class="chart-(?:wide|narrow)".*?</svg>', html, flags=re.DOTALL):
        inner = re.findall(r'\sid="([^"]+)"', svg)
        assert inner
        assert all(i.startswith("svg-spread-") for i in inner), "every id inside a figure carries its prefix"
    # References inside the SVG point at ids of the same figure.
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', html):
        if ref.startswith("svg-"):
            assert f'id="{ref}"' in html, ref


def test_the_predict_page_has_unique_ids(client) -> None:
    from metastasis.api.catalogue import operation

    example = operation("predict_breast").example
    form = {k: ("true" if v is True else str(v)) for k, v in example.items() if v is not False and v is not None}
    response = client.post("/clinician/calc/predict_breast", data=form)
    assert response.status_code == 200
    assert "chart-narrow" in response.text and "chart-wide" in response.text
    assert _duplicate_ids(response.text) == []


REPORT_FIGURES = [
    ("hypercalcaemia", "calcium"),
    ("hypercalcaemia", "spread"),
    ("hypercalcaemia", "bone_simulation"),
    ("early-hr-positive", "prognosis"),
]


@pytest.mark.parametrize(("case", "section"), REPORT_FIGURES)
def test_report_figures_have_a_phone_drawing_for_web_pages(case: str, section: str) -> None:
    from metastasis import assess_case
    from metastasis.examples.cases import load_example_case
    from metastasis.report import plot

    report = assess_case(load_example_case(case))
    standalone = plot.section_svg(report, section, "f1")
    assert standalone is not None and "chart-narrow" not in standalone  # the HTML report file is unchanged
    both = plot.section_svg(report, section, "f1", narrow=True)
    assert both is not None and "<?xml" not in both
    assert re.findall(r'<svg class="(chart-\w+)"', both) == ["chart-wide", "chart-narrow"]
    assert _duplicate_ids(both) == []
    assert _smallest_text_px(_drawing(both, "narrow"), PHONE_FIGURE_PX) >= 12
    if section == "prognosis":
        for drawing in ("wide", "narrow"):
            bottom, ticks = _first_y_axis(_drawing(both, drawing))
            assert ticks[0] == ("0", pytest.approx(bottom, abs=0.01))
