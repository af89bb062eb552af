"""The clinical-trial pages in a real browser against the 69 real records: the clinician picks an example, sets a
filter and gets the ranked list through htmx (and, without JavaScript, by a plain post); the patient page on a
phone shows plain cards with no sideways scrolling. No JavaScript error and no Content-Security-Policy violation."""

from __future__ import annotations

import pytest

from metastasis.trials import TrialStore, read_studies
from tests.trials.conftest import RECORDS

pytestmark = pytest.mark.browser

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


@pytest.fixture
def stored(tmp_path, monkeypatch) -> None:
    """The records in a temporary trial store, read by the server (in this process) at each request."""
    path = tmp_path / "trials.jsonl"
    TrialStore(path).add(read_studies(RECORDS))
    monkeypatch.setenv("METASTASIS_TRIALS_FILE", str(path))


def expect(locator):  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_clinician_matches_an_example_with_a_filter(browser, server_url, stored, screenshot, javascript):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        base_url=server_url, viewport={"width": 1366, "height": 900}, java_script_enabled=javascript
    )
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.set_default_timeout(20_000)
    page.goto("/clinician/trials")
    page.select_option("#case-example", "recurrent-liver-bone")
    page.check("input[name=status][value=recruiting]")
    page.click("#trials-form button[type=submit]")
    expect(page.locator("#result-heading")).to_have_text("11 studies matched")
    first = page.locator("li.trial").first
    expect(first.locator(".ebadge")).to_be_visible()
    expect(first.locator("a.study-link")).to_have_attribute("href", "https://clinicaltrials.gov/study/NCT05573893")
    first.locator("details.criteria summary").click()
    expect(first.locator(".crit").first).to_be_visible()
    if javascript:
        # htmx swapped the result only: the status box stays ticked in the page that was not reloaded.
        expect(page.locator("input[name=status][value=recruiting]")).to_be_checked()
    screenshot(page, f"clinician-trials-{'js' if javascript else 'nojs'}")
    context.close()
    assert not problems, problems


def test_patient_cards_fit_a_phone(browser, server_url, stored, screenshot):  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.goto("/patient/trials?example=recurrent-liver-bone")
    expect(page.locator("#result-heading")).to_have_text("Trials that may fit you")
    assert page.locator("section.trial-card").count() >= 1
    expect(page.locator("a.call").first).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "patient-trials-phone")
    context.close()
    assert not problems, problems
