"""The case builder and the report on screen in a real browser, at a desktop (1366x900) and a phone (390x844) size,
with and without JavaScript: no horizontal scroll, the report's summary within the first screen on a desktop,
"add another" rows and the as-you-go check working both ways."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 900), "phone": (390, 844)}
BUILDER = "/clinician/case/new"


@pytest.fixture
def open_page(browser, server_url) -> Iterator:  # type: ignore[no-untyped-def]
    """Open a page at a size, with or without JavaScript; JavaScript errors fail the test."""
    contexts = []
    errors: list[str] = []

    def open_(size: str, javascript: bool = True):  # type: ignore[no-untyped-def]
        width, height = SIZES[size]
        context = browser.new_context(
            base_url=server_url, viewport={"width": width, "height": height}, java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_default_timeout(20_000)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


def expect(locator):  # type: ignore[no-untyped-def]
    """Playwright's retrying assertions (imported here: the browser fixture reports a missing Playwright)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def no_horizontal_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def open_report(page, audience: str = "clinician") -> None:  # type: ignore[no-untyped-def]
    page.goto("/clinician/case")
    page.select_option("#case-example", "spinal-cord-compression")
    page.select_option("#case-audience", audience)
    page.click("#case-form button[type=submit]")
    page.wait_for_selector("#summary")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_report_fits_and_its_summary_comes_first(open_page, size: str, javascript: bool) -> None:  # type: ignore[no-untyped-def]
    page = open_page(size, javascript)
    open_report(page, "clinician" if size == "desktop" else "patient")
    assert no_horizontal_scroll(page)
    summary_top = page.evaluate("document.querySelector('#summary').getBoundingClientRect().top")
    details_top = page.evaluate("document.querySelector('#result details.fold').getBoundingClientRect().top")
    assert summary_top < details_top  # the summary before the folded details
    if size == "desktop":
        assert 0 <= summary_top < SIZES["desktop"][1], summary_top  # within the first screen
    assert page.locator("#result details.fold[open]").count() < page.locator("#result details.fold").count()


@pytest.mark.parametrize("size", SIZES)
def test_the_builder_fits_the_screen(open_page, size: str) -> None:  # type: ignore[no-untyped-def]
    page = open_page(size)
    page.goto(f"{BUILDER}?example=spinal-cord-compression")
    assert no_horizontal_scroll(page)
    assert page.locator("#builder select, #builder input, #builder textarea").count() > 100


def test_add_another_row_without_javascript(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("phone", javascript=False)
    page.goto(BUILDER)
    page.select_option("#f-labs-0-analyte", "calcium")
    page.fill("#f-labs-0-value", "2.5")
    page.click("button[value='add:labs']")
    page.wait_for_selector("#row-labs-1")
    assert page.url.endswith("#row-labs-1")  # the page comes back at the new row
    assert page.input_value("#f-labs-0-value") == "2.5" and page.input_value("#f-labs-0-analyte") == "calcium"
    assert no_horizontal_scroll(page)


def test_add_another_row_with_javascript_swaps_in_place_and_focuses_the_new_row(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    page.goto(BUILDER)
    page.fill("#f-labs-0-value", "2.5")
    page.evaluate("window.stayedOnThePage = true")
    page.click("button[value='add:labs']")
    page.wait_for_selector("#row-labs-1")
    assert page.evaluate("window.stayedOnThePage === true")  # htmx swapped the form; no navigation
    assert page.input_value("#f-labs-0-value") == "2.5"
    expect(page.locator("#f-labs-1-analyte")).to_be_focused()


def test_problems_show_at_the_field_as_you_go(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    page.goto(BUILDER)
    page.select_option("#f-labs-0-analyte", "calcium")
    page.fill("#f-labs-0-value", "29")
    page.fill("#f-labs-0-unit", "mmol/L")
    page.locator("#f-labs-0-unit").blur()
    expect(page.locator("#e-f-labs-0-value")).to_contain_text("plausible")
    assert "problem" in page.inner_text("#builder-status")
    page.fill("#f-labs-0-value", "2.9")
    page.locator("#f-labs-0-value").blur()
    expect(page.locator("#e-f-labs-0-value")).to_have_text("")
    assert page.input_value("#f-labs-0-value") == "2.9"  # the check never replaces what is typed


def test_the_builder_opens_the_report(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    page.goto(f"{BUILDER}?example=hypercalcaemia")
    page.click("button[value='report']")
    page.wait_for_selector("#summary")
    assert "Rising calcium and confusion" in page.inner_text("#result")
    summary_top = page.evaluate("document.querySelector('#summary').getBoundingClientRect().top")
    assert 0 <= summary_top < SIZES["desktop"][1]


def test_a_key_finding_opens_its_folded_section(open_page) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    open_report(page)
    assert not page.locator("details#calcium").evaluate("d => d.open")
    page.click("#summary dl.key-facts a[href='#calcium']")
    expect(page.locator("details#calcium")).to_have_attribute("open", "")


HEADING_SKIPS = """
() => {
  const levels = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => Number(h.tagName[1]));
  return levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1);
}
"""
UNLABELLED = """
() => [...document.querySelectorAll('input, select, textarea')]
  .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label'))
  .map(el => el.name || el.id)
"""


@pytest.mark.parametrize("where", ["builder", "report"])
def test_the_pages_have_labels_landmarks_ordered_headings_and_no_outside_requests(
    open_page, server_url: str, where: str
) -> None:  # type: ignore[no-untyped-def]
    page = open_page("desktop")
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(server_url) else elsewhere.append(r.url))
    if where == "builder":
        page.goto(f"{BUILDER}?example=recurrent-liver-bone")
    else:
        open_report(page)
    assert page.locator("h1").count() == 1
    assert page.evaluate(HEADING_SKIPS) == []
    assert page.evaluate(UNLABELLED) == []
    for landmark in ("header", "main", "footer"):
        assert page.locator(landmark).count() >= 1
    assert "not medical advice" in page.inner_text("footer").lower()
    assert elsewhere == []
