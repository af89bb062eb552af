"""The clinician calculators in Chromium at a desktop (1366x900) and a phone (390x844) size: no sideways scroll,
the result in view after a submit (the side panel on a desktop, the bottom sheet on a phone), the index search
filtering as you type, a GET link reproducing a result, and a calculator used with the keyboard alone."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

SIZES = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}

MIRELS = "/clinician/calc/scores_mirels"
MIRELS_11 = f"{MIRELS}?site=lower_limb&pain=functional&lesion=lytic&size=gt_two_thirds"


@pytest.fixture(params=sorted(SIZES))
def sized(request, browser, server_url) -> Iterator[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """A page at one of the two sizes; JavaScript errors fail the test."""
    context = browser.new_context(base_url=server_url, viewport=SIZES[request.param])
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" and "422" not in msg.text else None)
    page.set_default_timeout(15_000)
    yield request.param, page
    context.close()
    assert not errors, errors


def wait_for_the_answer(page) -> None:  # type: ignore[no-untyped-def]
    """Wait until site.js has moved focus to the answer's heading, which it does once htmx has swapped a submitted
    result in (polled from here: the page's policy forbids the evaluated predicates of wait_for_function)."""
    for _ in range(100):
        if page.evaluate("() => document.activeElement ? document.activeElement.id : ''") == "result-heading":
            return
        page.wait_for_timeout(50)
    raise AssertionError("focus never reached the result heading")


def no_sideways_scroll(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def in_viewport(page, selector: str) -> bool:  # type: ignore[no-untyped-def]
    box = page.locator(selector).bounding_box()
    height = page.evaluate("window.innerHeight")
    return box is not None and box["y"] < height and box["y"] + min(box["height"], 40) > 0


@pytest.mark.parametrize(
    "path",
    [
        "/clinician",
        MIRELS,
        "/clinician/calc/scores_sins",
        "/clinician/calc/staging_breast",
        "/clinician/calc/predict_breast",
        "/clinician/calc/triage",
        "/clinician/calc/treatment_options",
        MIRELS_11,
    ],
)
def test_pages_fit_the_screen(sized, path: str) -> None:  # type: ignore[no-untyped-def]
    _, page = sized
    page.goto(path)
    assert no_sideways_scroll(page), path


def test_a_submitted_result_is_in_view(sized) -> None:  # type: ignore[no-untyped-def]
    size, page = sized
    page.goto(MIRELS)
    for name, value in (("site", "lower_limb"), ("pain", "functional"), ("lesion", "lytic"), ("size", "gt_two_thirds")):
        page.check(f"#calc-form input[name={name}][value={value}]")
    page.click("#calc-form [type=submit]")
    page.wait_for_selector("#result .headline:has-text('Total 11')")
    wait_for_the_answer(page)
    assert in_viewport(page, "#result .headline")
    assert no_sideways_scroll(page)
    if size == "desktop":  # the inputs and the answer on one screen
        assert in_viewport(page, "#calc-form [type=submit]")


def test_the_live_result_follows_the_inputs(sized) -> None:  # type: ignore[no-untyped-def]
    _, page = sized
    page.goto(MIRELS_11)
    page.wait_for_selector("#result .headline:has-text('Total 11')")
    page.check("#calc-form input[name=site][value=upper_limb]")  # 1 instead of 2
    page.wait_for_selector("#result .headline:has-text('Total 10')")
    assert "site=upper_limb" in page.url


def test_a_get_link_reproduces_the_result(sized) -> None:  # type: ignore[no-untyped-def]
    _, page = sized
    page.goto(MIRELS_11)
    text = page.inner_text("#result .headline")
    assert "Total 11" in text
    page.goto(page.get_attribute("#result-link", "href"))
    assert page.inner_text("#result .headline") == text


def test_the_index_filters_as_you_type(sized) -> None:  # type: ignore[no-untyped-def]
    _, page = sized
    page.goto("/clinician")
    page.fill("#tool-q", "mir")
    visible = page.locator(".tile:visible a").all_inner_texts()
    assert visible == ["Mirels' score"]
    page.fill("#tool-q", "")
    assert page.locator(".tile:visible").count() > 20


def test_a_calculator_with_the_keyboard_alone(browser, server_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport=SIZES["desktop"])
    page = context.new_page()
    try:
        page.goto("/clinician/calc/scores_bilsky")
        page.focus("#calc-form input[name=grade]")
        page.keyboard.press("ArrowDown")  # radio groups move with the arrow keys
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_selector("#result .headline:has-text('Grade 1b')")
        # site.js moves focus to the result's heading once htmx has settled the swap, a moment after it shows
        page.wait_for_function(
            "document.activeElement && ['result-heading', 'grade-3'].includes(document.activeElement.id)",
            timeout=5_000,
        )
        assert page.inner_text("#result .headline").startswith("Grade 1b")
        assert page.evaluate("document.activeElement.id") in ("result-heading", "grade-3")
    finally:
        context.close()


def test_predict_answers_beside_its_nineteen_inputs_on_a_desktop(browser, server_url) -> None:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=server_url, viewport=SIZES["desktop"])
    page = context.new_page()
    try:
        page.goto("/clinician/calc/predict_breast")
        page.fill("#calc-form [name=age]", "55")
        page.fill("#calc-form [name=size_mm]", "22")
        page.fill("#calc-form [name=nodes]", "1")
        page.check("#calc-form input[name=grade][value='2']")
        page.check("#calc-form input[name=er][value=positive]")
        page.click("#calc-form [type=submit]")
        page.wait_for_selector("#result .headline:has-text('alive at 10 years')")
        wait_for_the_answer(page)  # the submitted answer swapped in (a live one may come first)
        assert in_viewport(page, "#result .headline")
        assert in_viewport(page, "#predict-bar-10")
        assert no_sideways_scroll(page)
    finally:
        context.close()
