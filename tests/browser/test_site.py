"""The site-wide look in a real browser at 1366x900 and 390x844 (issue 16): the focus ring's contrast computed from
the styles in light and dark mode, focus on the result heading after an htmx swap, print buttons and print styles,
44 px touch targets, no sideways scroll, charts drawn for the screen (text >= 12 px on a phone, unique ids), the
404 page and the way back from /docs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SIZES = {"desktop": DESKTOP, "phone": PHONE}

CASCADE = {"cells": "2000", "replicates": "50", "seed": "3"}
SIMULATIONS = {
    "spread": {"subtype": "triple-negative", "steps": "3", "patients": "500", "seed": "7", "top": "3"},
    "cascade": CASCADE,
    "bone": {"lesion_name": "mixed", "treatment": "zoledronic-acid", "start_day": "90", "years": "1"},
}

# WCAG 2.x relative luminance and contrast ratio, computed in the page from CSS colour strings.
CONTRAST = """
window.__lum = (css) => {
  const probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = "#000"; probe.fillStyle = css; probe.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = probe.getImageData(0, 0, 1, 1).data;
  const lin = (c) => { c /= 255; return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
};
window.__contrast = (x, y) => {
  const [a, b] = [window.__lum(x), window.__lum(y)].sort((p, q) => q - p);
  return (a + 0.05) / (b + 0.05);
};
window.__background = (el) => {
  for (let e = el; e; e = e.parentElement) {
    const bg = getComputedStyle(e).backgroundColor;
    if (bg && bg !== "rgba(0, 0, 0, 0)" && bg !== "transparent") return bg;
  }
  return "rgb(255, 255, 255)";
};
"""
COUNT_PRINTS = "window.__printed = 0; window.print = () => { window.__printed += 1; };"

POST_FORM = """([action, fields]) => {
  const form = document.createElement("form");
  form.method = "post"; form.action = action;
  for (const [name, value] of fields) {
    const input = document.createElement("input");
    input.type = "hidden"; input.name = name; input.value = value; form.appendChild(input);
  }
  document.body.appendChild(form); form.submit();
}"""

# The smallest text of each displayed chart in CSS px: matplotlib draws each glyph group scaled by size / 100.
CHART_TEXT = """() => [...document.querySelectorAll("figure svg")]
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .map((svg) => {
    const sizes = [...svg.querySelectorAll('g[transform*="scale("]')]
      .map((g) => { const m = g.getScreenCTM(); return 100 * Math.hypot(m.a, m.b); });
    return [svg.closest("figure").id, svg.getAttribute("class"), Math.min(...sizes)];
  })"""

DUPLICATE_IDS = """() => {
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) || 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([id]) => id);
}"""

SIDEWAYS = "document.documentElement.scrollWidth - window.innerWidth"


@pytest.fixture
def open_page(browser, server_url) -> Iterator[Callable[..., Any]]:  # type: ignore[no-untyped-def]
    """Pages at a given size and colour scheme; any JavaScript error fails the test."""
    contexts: list[Any] = []
    errors: list[str] = []

    def make(size: dict[str, int] = DESKTOP, scheme: str = "light", script: str = "") -> Any:
        context = browser.new_context(base_url=server_url, viewport=size, color_scheme=scheme)
        context.add_init_script(CONTRAST + script)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "404" not in m.text else None)
        return page

    yield make
    for context in contexts:
        context.close()
    assert errors == []


def _post(page: Any, path: str, form: dict[str, str]) -> None:
    """Post a form to ``path`` as a browser without JavaScript would, and wait for the answer."""
    page.goto(path)
    with page.expect_navigation():
        page.evaluate(POST_FORM, [path + "#result", list(form.items())])


def _tab_to(page: Any, selector: str, presses: int = 60) -> None:
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    pytest.fail(f"Tab never reached {selector}")


FOCUS_RING = """() => {
  const el = document.activeElement, style = getComputedStyle(el);
  return {visible: el.matches(":focus-visible"), style: style.outlineStyle, width: parseFloat(style.outlineWidth),
          ratio: window.__contrast(style.outlineColor, window.__background(el.parentElement))};
}"""


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_has_3_to_1_contrast(open_page, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(DESKTOP, scheme)
    page.goto("/clinician/simulate/cascade")
    for selector in (".site-header a", "main input", "main button[type=submit]"):
        _tab_to(page, selector)
        ring = page.evaluate(FOCUS_RING)
        assert ring["visible"] and ring["style"] != "none" and ring["width"] >= 2, (selector, ring)
        assert ring["ratio"] >= 3, f"{scheme}: focus ring on {selector} is {ring['ratio']:.2f}:1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_and_background_follow_the_colour_scheme(open_page, scheme: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(DESKTOP, scheme)
    page.goto("/")
    colours = page.evaluate(
        """() => { const s = getComputedStyle(document.querySelector("main"));
                   return [s.color, window.__background(document.querySelector("main"))]; }"""
    )
    background = page.evaluate("(c) => window.__lum(c)", colours[1])
    assert (background < 0.05) if scheme == "dark" else (background > 0.8), colours
    assert page.evaluate("([a, b]) => window.__contrast(a, b)", colours) >= 7


def test_focus_moves_to_the_result_heading_after_a_swap(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(DESKTOP)
    page.goto("/clinician/simulate/cascade")
    page.evaluate("window.__same_page = true")
    page.click("#sim-form [type=submit]")
    page.wait_for_selector("#result #result-heading")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'result-heading'")
    assert page.evaluate("window.__same_page") is True, "htmx swapped the result in place"


def test_a_print_button_calls_print(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(DESKTOP, script=COUNT_PRINTS)
    page.goto("/")
    page.evaluate(
        """() => { const b = document.createElement("button");
                   b.type = "button"; b.className = "print-button"; b.dataset.print = ""; b.textContent = "Print";
                   document.querySelector("main").appendChild(b); }"""
    )
    page.click("main .print-button")
    assert page.evaluate("window.__printed") == 1
    # A calculator's result carries its own print button.
    mirels = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}
    _post(page, "/clinician/calc/scores_mirels", mirels)
    page.click("#result [data-print]")
    assert page.evaluate("window.__printed") == 1  # a new page: counted afresh


def test_print_styles_show_the_result_and_hide_the_rest(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(PHONE)
    _post(page, "/clinician/simulate/cascade", CASCADE)
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => Object.fromEntries(
             ["header", "#sim-form", "#result", "figure svg.chart-wide", "figure svg.chart-narrow"]
             .map((s) => [s, getComputedStyle(document.querySelector(s)).display !== "none"]))"""
    )
    assert shown == {
        "header": False,
        "#sim-form": False,
        "#result": True,
        "figure svg.chart-wide": True,
        "figure svg.chart-narrow": False,
    }


SMALL_TARGETS = """() => [...document.querySelectorAll(
    "main button, main select, main input:not([type=checkbox]):not([type=radio]):not([type=hidden]),"
    + "main label:has(input[type=checkbox])")]
  .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().height < 44)
  .map((el) => `${el.tagName} ${el.name || el.textContent.trim().slice(0, 30)}: ${el.getBoundingClientRect().height}`)
"""


@pytest.mark.parametrize("path", ["/clinician/simulate/bone", "/clinician/simulate/spread", "/no-such-page"])
def test_form_controls_are_44_px_touch_targets_on_a_phone(open_page, path: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(PHONE)
    page.goto(path)
    assert page.evaluate(SMALL_TARGETS) == []
    header_links = page.evaluate(
        "() => [...document.querySelectorAll('header a')].map((a) => a.getBoundingClientRect().height)"
    )
    assert header_links and min(header_links) >= 44


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("kind", SIMULATIONS)
def test_simulation_results_fit_the_screen_with_readable_charts(open_page, kind: str, size: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(SIZES[size])
    page.goto(f"/clinician/simulate/{kind}")
    assert page.evaluate(SIDEWAYS) <= 0
    _post(page, f"/clinician/simulate/{kind}", SIMULATIONS[kind])
    assert page.evaluate(SIDEWAYS) <= 0, f"{kind} scrolls sideways at {size} size"
    charts = page.evaluate(CHART_TEXT)
    assert charts, "the result has its charts"
    expected = "chart-narrow" if size == "phone" else "chart-wide"
    assert {drawing for _, drawing, _ in charts} == {expected}
    if size == "phone":
        assert all(smallest >= 12 for _, _, smallest in charts), charts
    assert page.evaluate(DUPLICATE_IDS) == []


@pytest.mark.parametrize("size", SIZES)
def test_the_predict_chart_is_readable_with_unique_ids(open_page, size: str) -> None:  # type: ignore[no-untyped-def]
    from metastasis.api.catalogue import operation

    example = operation("predict_breast").example
    form = {k: ("true" if v is True else str(v)) for k, v in example.items() if v not in (False, None)}
    page = open_page(SIZES[size])
    _post(page, "/clinician/calc/predict_breast", form)
    charts = page.evaluate(CHART_TEXT)
    assert [figure for figure, _, _ in charts] == ["fig-predict-outcomes"]
    if size == "phone":
        assert charts[0][2] >= 12, charts
    assert page.evaluate(SIDEWAYS) <= 0
    assert page.evaluate(DUPLICATE_IDS) == []


@pytest.mark.parametrize("size", SIZES)
def test_the_404_page_leads_on(open_page, size: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(SIZES[size])
    response = page.goto("/patient/no-such-thing")
    assert response.status == 404
    assert page.inner_text("h1") == "Page not found"
    assert page.evaluate(SIDEWAYS) <= 0
    page.click("main a[href='/patient'] >> nth=0")
    page.wait_for_url("**/patient")
    assert page.locator("h1").count() == 1


def test_the_api_documentation_links_back(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(DESKTOP)
    page.goto("/docs")
    page.wait_for_selector(".opblock")
    page.click("text=Back to the site")
    page.wait_for_url("**/")
    assert page.evaluate("location.pathname") == "/"


@pytest.mark.parametrize("path", ["/patient", "/patient/symptoms"])
def test_patient_pages_show_no_api_link(open_page, path: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(PHONE)
    page.goto(path)
    assert page.locator("header a[href='/docs']").count() == 0
    assert page.locator("header a[href='/clinician']").count() == 1


EVERY_PAGE = [
    "/",
    "/patient",
    "/patient/stage",
    "/patient/symptoms",
    "/patient/spread",
    "/patient/statistics",
    "/patient/treatments",
    "/patient/learn",
    "/patient/quiz",
    "/clinician",
    "/clinician/calc/scores_mirels",
    "/clinician/calc/staging_breast",
    "/clinician/calc/predict_breast",
    "/clinician/case",
    "/clinician/case/new",
    "/clinician/simulate/spread",
    "/clinician/simulate/cascade",
    "/clinician/simulate/bone",
    "/no-such-page",
]


@pytest.mark.parametrize("size", SIZES)
def test_every_page_fits_the_screen_with_one_h1_and_unique_ids(open_page, size: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(SIZES[size])
    problems = []
    for path in EVERY_PAGE:
        page.goto(path)
        sideways, h1s, duplicates = page.evaluate(SIDEWAYS), page.locator("h1").count(), page.evaluate(DUPLICATE_IDS)
        disclaimer = "not medical advice" in page.inner_text("footer").lower()
        if sideways > 0 or h1s != 1 or duplicates or not disclaimer:
            problems.append((path, sideways, h1s, duplicates, disclaimer))
    assert problems == []


def test_the_start_page_shows_both_entrances_on_a_phone_screen(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page(PHONE)
    page.goto("/")
    for href in ("/patient", "/clinician"):
        box = page.locator(f"main a.button[href='{href}']").bounding_box()
        assert box is not None and box["y"] + box["height"] <= PHONE["height"], (href, box)
