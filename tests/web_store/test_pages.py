"""Every records page: hardened (a Content-Security-Policy allowing script from files only, no inline script or
handlers), in the site layout with the navigation; the patient's pages read at grade 8 or below."""

from __future__ import annotations

import pytest
import textstat

from tests.security.support import Elements
from tests.web.test_patient_html import parse
from tests.web.test_patient_readability import MAX_GRADE, ui_units
from tests.web_store.conftest import Browser, csrf_of

STAFF_PAGES = ["/records", "/records/new", "/records/{r}", "/records/{r}/diff?a=1", "/records/{r}/erase"]


def _inline_code(html: str) -> list[str]:
    page = Elements(html)
    found = [f"<script> {text[:40]!r}" for text in page.script_texts if text.strip()]
    found += ["<script> without src" for attrs in page.all("script") if not attrs.get("src")]
    for tag, attrs in page.tags:
        found += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}=...>" for name, value in attrs.items() if "javascript:" in value.lower()]
    return found


def _patient(app, doc, record_id: int) -> Browser:  # type: ignore[no-untyped-def]
    import re

    path = re.search(r'value="http://testserver(/invite/[^"]+)"', doc.post(f"/records/{record_id}/invite").text)[1]
    patient = Browser(app)
    patient.client.post(path, data={"csrf_token": csrf_of(patient.get(path).text)})
    return patient


@pytest.mark.parametrize("template", STAFF_PAGES)
def test_staff_pages_have_no_inline_script_and_carry_the_policy(doc, alert_record, template):
    response = doc.get(template.format(r=alert_record))
    assert response.status_code == 200
    assert _inline_code(response.text) == []
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert 'action="/logout"' in response.text and ">Sign out</button>" in response.text
    assert 'href="/records" aria-current="page"' in response.text


def test_public_pages_have_no_inline_script(app, doc, record_id):
    anonymous = Browser(app)
    for path in ("/login", "/invite/some-token", "/my-record"):
        response = anonymous.get(path)
        assert response.status_code == 200 and _inline_code(response.text) == []
    assert ">Sign in</a>" in anonymous.get("/clinician").text and ">Sign in</a>" not in anonymous.get("/").text
    patient = _patient(app, doc, record_id)
    assert _inline_code(patient.get("/my-record").text) == []


def _grade(html: str) -> tuple[float, str]:
    text = " ".join(ui_units(parse(html)))
    assert len(text.split()) >= 20, text
    return textstat.flesch_kincaid_grade(text), text


def test_the_patient_pages_read_at_grade_8_or_below(app, doc, record_id):
    patient = _patient(app, doc, record_id)
    used = Browser(app)
    used.client.cookies.set("metastasis_csrf", "y" * 43, domain="testserver.local")
    pages = {
        "my record": patient.get("/my-record").text,
        "invitation": Browser(app).get("/invite/some-token").text,
        "no record open": Browser(app).get("/my-record").text,
        "link used": used.client.post("/invite/x", data={"csrf_token": "y" * 43}).text,
    }
    for name, html in pages.items():
        grade, text = _grade(html)
        assert grade <= MAX_GRADE, f"{name}: grade {grade:.1f}: {text}"


def test_the_patient_page_puts_help_first_and_has_nothing_to_edit(app, doc, record_id):
    html = _patient(app, doc, record_id).get("/my-record").text
    main = html[html.index("<main") :]
    assert main.index("Get help now") < main.index("<h1")
    assert 'href="tel:' in main
    assert "<textarea" not in main and "<input" not in main and "<form" not in main
    assert "/docs" not in html  # no API link for patients


def test_the_record_page_has_unique_ids_beside_the_report(doc, alert_record):
    import collections
    import re

    html = doc.get(f"/records/{alert_record}").text
    counts = collections.Counter(re.findall(r'\sid="([^"]+)"', html))
    assert [name for name, n in counts.items() if n > 1] == []
