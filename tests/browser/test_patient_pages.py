"""The patient pages on a phone (390x844) and a desktop (1366x900) in a real browser: no sideways scrolling, the
first task within the first screen on the phone, numbers to tap on every page, touch targets of 44 px, the
symptom checker's button in view while the list scrolls, and the symptom flow to the emergency banner with and
without JavaScript."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.conftest import _is_error

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
SIZES = {"phone": PHONE, "desktop": DESKTOP}
# Each page and the first control of its task (what a visitor came to do).
FIRST_TASK = {
    "/patient": ".task-list a",
    "/patient/symptoms": "#triage-form input[type=checkbox]",
    "/patient/stage": "#stage-form select",
    "/patient/treatments": "#options-form select",
    "/patient/quiz": "#quiz-form input[type=radio]",
    "/patient/statistics": ".figure",
    "/patient/spread": ".explainer p",
    "/patient/learn": "main .card-list a",
    "/patient/learn/bone-lesions": "article.explainer p",
}
PHONES = ["tel:999", "tel:911", "tel:112"]  # UK, US and Canada, EU
CORD_SYMPTOMS = ("back_pain", "limb_weakness")  # NICE NG234: suspected spinal cord compression, an emergency

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
TARGETS = "main a.call, main .task-list a, main label.check, main button, main select, main .area-links a"
SMALL_TARGETS = f"""
() => [...document.querySelectorAll('{TARGETS}')]
  .filter(el => el.offsetParent !== null)
  .map(el => [el.getBoundingClientRect().height, (el.textContent || el.name || '').trim().slice(0, 40)])
  .filter(([height]) => height < 44)
"""


@pytest.fixture(params=list(SIZES))
def sized(request, browser, server_url) -> Iterator[object]:  # type: ignore[no-untyped-def]
    """A page at phone or desktop size; JavaScript errors fail the test."""
    context = browser.new_context(base_url=server_url, viewport=SIZES[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if _is_error(msg) else None)
    page.set_default_timeout(15_000)
    page.size_name = request.param  # type: ignore[attr-defined]
    yield page
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"


@pytest.mark.parametrize("path", FIRST_TASK)
def test_page_fits_the_screen_and_offers_numbers_to_tap(sized, path) -> None:  # type: ignore[no-untyped-def]
    sized.goto(path)
    assert sized.evaluate(NO_SIDEWAYS_SCROLL), f"{path} scrolls sideways at {sized.size_name}"
    card = sized.locator("main .help-card")
    assert card.is_visible()
    hrefs = card.locator("a[href^='tel:']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == PHONES
    box = card.bounding_box()
    assert box is not None and box["y"] < 200, "the get-help card is at the top"
    assert sized.evaluate(SMALL_TARGETS) == [], "touch targets of at least 44 px"


@pytest.mark.parametrize("path", FIRST_TASK)
def test_the_first_task_is_on_the_first_phone_screen(browser, server_url, path) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport=PHONE)
    page = context.new_page()
    page.goto(path)
    box = page.locator(FIRST_TASK[path]).first.bounding_box()
    context.close()
    assert box is not None
    assert box["y"] + min(box["height"], 44) <= PHONE["height"], f"{path}: first task at {box['y']:.0f} px"


def test_the_symptom_button_stays_in_view_on_a_phone(browser, server_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport=PHONE)
    page = context.new_page()
    page.goto("/patient/symptoms")
    last = page.locator("#triage-form input[type=checkbox]").last
    last.scroll_into_view_if_needed()
    last.check()
    button = page.locator("#triage-form button[type=submit]").bounding_box()
    context.close()
    assert button is not None
    assert button["y"] >= 0
    assert button["y"] + button["height"] <= PHONE["height"]


def test_a_body_area_link_jumps_to_its_symptoms(sized) -> None:  # type: ignore[no-untyped-def]
    sized.goto("/patient/symptoms")
    link = sized.locator(".area-links a").nth(2)
    target = link.get_attribute("href")
    link.click()
    sized.wait_for_function(f"() => location.hash === '{target}'")
    box = sized.locator(f"{target} input[type=checkbox]").first.bounding_box()
    assert box is not None and 0 <= box["y"] <= SIZES[sized.size_name]["height"]


def test_back_pain_with_weak_legs_raises_the_emergency_banner_with_numbers(sized) -> None:  # type: ignore[no-untyped-def]
    sized.goto("/patient/symptoms")
    for code in CORD_SYMPTOMS:
        sized.check(f"#triage-form input[value={code}]")
    assert sized.inner_text("#ticked-count") == "2 symptoms ticked"
    sized.click("#triage-form button[type=submit]")
    banner = sized.locator("#result .banner.emergency_now[role=alert]")
    banner.wait_for()
    assert "Get help now" in banner.inner_text()
    assert "Call emergency services now" in banner.inner_text()
    hrefs = banner.locator("a[href^='tel:']").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs == PHONES
    # After the swap, focus is on the answer's heading, and the footnotes point at the swapped sources list.
    sized.wait_for_function("() => document.activeElement && document.activeElement.id === 'result-heading'")
    cited = sized.locator("#result a[href^='#ref-']").evaluate_all("links => links.map(a => a.hash)")
    assert cited
    for hash_ in cited:
        assert sized.locator(f"#page-sources {hash_}").count() == 1
    assert sized.evaluate(NO_SIDEWAYS_SCROLL)


def test_the_symptom_flow_works_without_javascript(browser, server_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto("/patient/symptoms")
    for code in CORD_SYMPTOMS:
        page.check(f"#triage-form input[value={code}]")
    page.click("#triage-form button[type=submit]")
    page.wait_for_load_state()
    assert page.url.endswith("/patient/symptoms#result")
    banner = page.locator("#result .banner.emergency_now")
    assert "Get help now" in banner.inner_text()
    box = banner.bounding_box()
    assert box is not None and 0 <= box["y"] < PHONE["height"], "the answer is in view after the post"
    assert banner.locator("a[href='tel:999']").count() == 1
    context.close()
