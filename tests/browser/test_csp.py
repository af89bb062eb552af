"""The Content-Security-Policy in a real browser: our pages, htmx, the figures, Swagger UI and the standalone
report raise no violation, and the policy does block inline script. (The headers themselves: tests/security.)"""

from __future__ import annotations

from pathlib import Path

import pytest

from metastasis import assess_case
from metastasis.examples.cases import load_example_case
from metastasis.report.render import render_html

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""
INJECT_INLINE_SCRIPT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.__ran = true";
  document.body.appendChild(script);
}"""


@pytest.fixture
def watched(browser, server_url):  # type: ignore[no-untyped-def]
    """A page recording policy violations and console errors (a 422 answered as designed is not one)."""
    context = browser.new_context(base_url=server_url)
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []  # type: ignore[attr-defined]
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" and "422" not in m.text else None)
    yield page
    context.close()


def test_pages_and_htmx_raise_no_violation(watched) -> None:  # type: ignore[no-untyped-def]
    page = watched
    for path in ("/", "/patient", "/patient/spread", "/patient/symptoms", "/clinician", "/clinician/simulate/bone"):
        page.goto(path)
        assert page.evaluate("window.__violations") == [], path
    page.goto("/clinician/calc/scores_mirels")
    page.evaluate("window.__same_page = true")
    for name, value in (("site", "lower_limb"), ("pain", "functional"), ("lesion", "lytic"), ("size", "gt_two_thirds")):
        page.check(f"#calc-form input[name={name}][value={value}]")
    page.click("#calc-form [type=submit]")
    page.wait_for_selector("#result:has-text('11')")
    assert page.evaluate("window.__same_page") is True, "htmx swapped the result (no full page load)"
    assert page.evaluate("window.__violations") == [] and page.errors == []


def test_the_case_report_with_its_figures_raises_no_violation(watched) -> None:  # type: ignore[no-untyped-def]
    page = watched
    page.goto("/clinician/case")
    page.select_option("#case-example", "hypercalcaemia")
    page.click("#case-form [type=submit]")
    page.wait_for_selector("#result article.report svg", state="attached")  # some sit in folded sections
    assert page.evaluate("window.__violations") == [] and page.errors == []


def test_swagger_ui_raises_no_violation(watched) -> None:  # type: ignore[no-untyped-def]
    page = watched
    page.goto("/docs")
    page.wait_for_selector(".opblock")
    page.click(".opblock-summary >> nth=0")  # open one operation: more of Swagger UI runs
    page.wait_for_timeout(300)
    assert page.evaluate("window.__violations") == [] and page.errors == []


def test_the_policy_blocks_inline_script(watched) -> None:  # type: ignore[no-untyped-def]
    page = watched
    for path in ("/", "/docs"):
        page.goto(path)
        page.evaluate(INJECT_INLINE_SCRIPT)
        assert page.evaluate("window.__ran") is None, path
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations")), path


def test_the_standalone_report_enforces_its_own_policy(browser, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.html"
    report.write_text(render_html(assess_case(load_example_case("hypercalcaemia"))), encoding="utf-8")
    context = browser.new_context()
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    try:
        page.goto(report.as_uri())
        assert page.locator("figure svg").count() >= 1
        assert page.evaluate("window.__violations") == []  # its inline styles and SVG figures are allowed
        page.evaluate(INJECT_INLINE_SCRIPT)
        assert page.evaluate("window.__ran") is None
    finally:
        context.close()
