"""The records pages in a real browser (headless Debian Chromium through Playwright): sign in, open a record, add a
calcium result, see the alert it raises, acknowledge it; no JavaScript error, no Content-Security-Policy violation.

The server is started here (not the shared one of conftest.py) because it needs a case store: a temporary SQLite
file with one clinician and one record. CTCAE v5: a calcium above 3.1 mmol/L is grade 3, a red flag.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from metastasis.examples.cases import load_example_case
from metastasis.store import Store
from tests.browser.conftest import serving
from tests.store.conftest import PASSWORD, cheap_hashing  # noqa: F401 - fixture

pytestmark = pytest.mark.browser


@pytest.fixture
def records_server(tmp_path, cheap_hashing) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]  # noqa: F811
    """The app with a store of its own, served on a free loopback port; yields (base URL, record id)."""
    from metastasis.api import create_app

    store = Store(f"sqlite:///{tmp_path}/records.db")
    store.upgrade()
    store.accounts.add_user("doc@example.org", "clinician", PASSWORD)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    record = store.records.create(doc, load_example_case("de-novo-bone-only")).record_id
    with serving(create_app(store=store)) as url:
        yield url, record
    store.dispose()


def test_sign_in_add_a_calcium_result_and_acknowledge_its_alert(browser, records_server, screenshot):  # type: ignore[no-untyped-def]
    base, record = records_server
    context = browser.new_context(base_url=base, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 409" not in m.text else None)
    page.set_default_timeout(15_000)

    page.goto(f"/records/{record}")  # not signed in: the sign-in page, coming back here after
    assert page.url.endswith(f"/login?next=/records/{record}")
    page.fill("#email", "doc@example.org")
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    page.wait_for_url(f"**/records/{record}")
    assert page.locator("h1").count() == 1
    assert "No alerts on this record" in page.locator("#record-alerts").inner_text()

    page.click("#add-lab summary")
    page.select_option("#lab-analyte", "calcium")
    page.fill("#lab-value", "3.2")
    page.select_option("#lab-unit", "mmol/L")
    page.fill("#lab-date", "2024-04-22")
    page.click("#add-lab button[type=submit]")
    page.wait_for_url(f"**/records/{record}#record-events")
    alerts = page.locator("#record-alerts")
    assert "Hypercalcaemia" in alerts.inner_text()
    assert "1 new" in alerts.locator("h2").inner_text()
    screenshot(page, "records-record")

    alerts.locator("button:has-text('Acknowledge')").click()
    page.wait_for_url(f"**/records/{record}#record-alerts")
    assert page.locator("#record-alerts button:has-text('Acknowledge')").count() == 0
    assert "acknowledged by doc@example.org" in page.locator("#record-alerts").inner_text()
    context.close()
    assert not errors, f"JavaScript errors or policy violations in the page: {errors}"
