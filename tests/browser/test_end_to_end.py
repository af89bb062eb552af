"""Both entrances, end to end, in a real browser (headless Debian Chromium driven by Playwright).

Expected stages are AJCC 8th anatomic groups typed from the manual: T2 N1 M0 is IIB; any M1 is IV.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser

MAIN_PAGES = {
    "home": "/",
    "patient-home": "/patient",
    "patient-stage": "/patient/stage",
    "patient-symptoms": "/patient/symptoms",
    "patient-spread": "/patient/spread",
    "patient-statistics": "/patient/statistics",
    "patient-treatments": "/patient/treatments",
    "patient-quiz": "/patient/quiz",
    "clinician-home": "/clinician",
    "clinician-mirels": "/clinician/calc/scores_mirels",
    "clinician-predict": "/clinician/calc/predict_breast",
    "clinician-case": "/clinician/case",
    "clinician-spread": "/clinician/simulate/spread",
    "clinician-bone": "/clinician/simulate/bone",
}

UNLABELLED_CONTROLS = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 60))
"""


def choose(page, selector: str, category: str) -> None:  # type: ignore[no-untyped-def]
    """Select the option of a TNM select whose value is ``category`` with or without a c/p prefix."""
    values = page.eval_on_selector_all(f"{selector} option", "options => options.map(o => o.value)")
    pattern = re.compile(rf"(?:c|p)?{re.escape(category)}", re.IGNORECASE)
    matching = [value for value in values if pattern.fullmatch(value)]
    assert matching, f"no option {category!r} in {selector}: {values}"
    page.select_option(selector, matching[0])


def test_patient_stage_form_shows_the_stage(page, screenshot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/patient/stage")
    choose(page, "#stage-form [name=t]", "T2")
    choose(page, "#stage-form [name=n]", "N1")
    choose(page, "#stage-form [name=m]", "M0")
    page.click("#stage-form [type=submit]")
    page.wait_for_selector("#result:has-text('Stage IIB')")
    assert "Stage IIB" in page.inner_text("#result")
    screenshot(page, "patient-stage-result")


def test_patient_stage_form_works_without_javascript(browser, server_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/patient/stage")
        choose(page, "#stage-form [name=t]", "T1")
        choose(page, "#stage-form [name=n]", "N0")
        choose(page, "#stage-form [name=m]", "M1")
        page.click("#stage-form [type=submit]")
        page.wait_for_load_state()
        assert "Stage IV" in page.inner_text("#result")
    finally:
        context.close()


def test_clinician_staging_calculator(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/calc/staging_breast")
    for axis, prefix, category in (("t", "p", "T2"), ("n", "p", "N1a"), ("m", "c", "M0")):
        page.select_option(f"#calc-form [name={axis}_prefix]", prefix)
        page.select_option(f"#calc-form [name={axis}]", category)
    page.click("#calc-form [type=submit]")
    page.wait_for_selector("#result:has-text('Anatomic stage')")
    assert "IIB" in page.inner_text("#result")


def test_red_flag_symptoms_raise_the_emergency_banner(page, screenshot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/patient/symptoms")
    page.check("#triage-form input[name=symptoms][value=back_pain]")
    page.check("#triage-form input[name=symptoms][value=limb_weakness]")
    page.click("#triage-form [type=submit]")
    banner = page.wait_for_selector("#result .banner.emergency_now[role=alert]")
    assert banner.is_visible()
    assert banner.inner_text().strip()
    screenshot(page, "patient-symptoms-emergency")


def test_bad_input_is_shown_next_to_the_field(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/calc/calcium_corrected")
    page.fill("#calc-form [name=calcium]", "-2")
    page.fill("#calc-form [name=albumin]", "30")
    page.check("#calc-form input[name=units][value=si]")
    page.click("#calc-form [type=submit]")
    page.wait_for_selector("[aria-invalid=true]")
    assert page.input_value("#calc-form [name=calcium]") == "-2"
    assert page.get_attribute("#calc-form [name=calcium]", "aria-invalid") == "true"
    assert "calcium" in page.inner_text("#input-errors").lower()


def test_a_bundled_case_gives_the_full_report(page, screenshot) -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/case")
    page.select_option("#case-form [name=example]", "spinal-cord-compression")
    page.select_option("#case-form [name=audience]", "clinician")
    page.click("#case-form [type=submit]")
    page.wait_for_selector("#result :is(h1, h2):has-text('Report')")
    text = page.inner_text("#result")
    assert "Report" in text
    assert page.locator("#result svg, #result table").count() > 0
    screenshot(page, "clinician-case-report")


def test_a_pasted_case_with_problems_lists_them_with_paths(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/case")
    page.fill(
        "#case-form [name=case_text]",
        '{"schema_version": "1.0", "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}]}',
    )
    page.click("#case-form [type=submit]")
    page.wait_for_selector("text=$.labs[0].unit")
    assert "$.labs[0].unit" in page.inner_text("main")
    assert "calcium" in page.input_value("#case-form [name=case_text]")


def test_a_form_can_be_used_with_the_keyboard_alone(page) -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/calc/scores_mirels")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip')"), "the first stop is the skip link"
    page.keyboard.press("Enter")
    visited: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "[document.activeElement.tagName, document.activeElement.name || '', document.activeElement.type || '']"
        )
        if focused[0] == "INPUT" and focused[2] == "radio":
            visited.append(focused[1])
            page.keyboard.press("ArrowDown")  # from the first choice to the next, which it checks: no mouse
        if focused[0] == "BUTTON" and focused[2] == "submit":
            outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", "the focused button shows a focus ring"
            page.keyboard.press("Enter")
            break
    else:
        pytest.fail(f"never reached the submit button; visited {visited}")
    assert visited == ["site", "pain", "lesion", "size"]
    # One arrow press picks each item's second choice: Mirels 1989 gives 2 points to each, 8 in all.
    chosen = [page.eval_on_selector(f"#calc-form input[name={name}]:checked", "e => e.value") for name in visited]
    assert chosen == ["lower_limb", "moderate", "mixed", "one_third_to_two_thirds"]
    page.wait_for_selector("#result:has-text('Total')")
    assert re.search(r"\b8\b", page.inner_text("#result"))


@pytest.mark.parametrize(("name", "path"), MAIN_PAGES.items())
def test_main_pages_render_accessibly(page, screenshot, name: str, path: str) -> None:  # type: ignore[no-untyped-def]
    response = page.goto(path)
    assert response is not None and response.status == 200
    assert page.locator("h1").count() == 1
    assert page.get_attribute("html", "lang") == "en"
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    assert "not medical advice" in page.inner_text("footer").lower()
    screenshot(page, name)


@pytest.mark.parametrize("path", ["/", "/patient/stage", "/patient/symptoms", "/clinician/calc/scores_sins"])
def test_pages_fit_a_phone_screen(browser, server_url, path: str) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport={"width": 375, "height": 740})
    page = context.new_page()
    try:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a 375px screen"
    finally:
        context.close()


def test_the_api_documentation_works_offline(page, server_url: str) -> None:  # type: ignore[no-untyped-def]
    elsewhere: list[str] = []
    page.on("request", lambda request: None if request.url.startswith(server_url) else elsewhere.append(request.url))
    page.goto("/docs")
    page.wait_for_selector(".opblock")
    assert page.locator(".opblock").count() > 30
    assert elsewhere == [], "every file of the documentation page is served by the app itself"
