"""Browser hardening: every response (pages, error pages, the API, /docs, static files) carries a
Content-Security-Policy that allows no inline script and no framing, ``nosniff`` and a referrer policy; no page
has inline script for that policy to break; the standalone HTML report carries its own policy."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from metastasis import assess_case
from metastasis.api import create_app
from metastasis.examples.cases import example_case_names, example_case_text, load_example_case
from metastasis.report.render import render_html
from tests.security.support import Elements, concrete, get_routes

PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
DOCS_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
PAGES = [concrete(t) for t in get_routes() if not t.startswith("/api/") and t != "/openapi.json"]


def policy(header: str) -> dict[str, list[str]]:
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def assert_hardened(response, csp: str = PAGE_CSP) -> None:  # type: ignore[no-untyped-def]
    headers = response.headers
    assert headers["content-security-policy"] == csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-frame-options"] == "DENY"


def test_the_policies_allow_no_inline_script_and_no_framing():
    for csp in (PAGE_CSP, DOCS_CSP):
        rules = policy(csp)
        assert rules["default-src"] == ["'self'"] and rules["script-src"] == ["'self'"]
        assert rules["frame-ancestors"] == ["'none'"] and rules["object-src"] == ["'none'"]
        assert rules["base-uri"] == ["'none'"] and rules["form-action"] == ["'self'"]


@pytest.mark.parametrize("path", [p for p in PAGES if p != "/docs"])
def test_every_page_is_hardened(client, path):
    assert_hardened(client.get(path))


def test_the_api_documentation_has_its_own_policy(client):
    assert_hardened(client.get("/docs"), DOCS_CSP)
    assert_hardened(client.get("/openapi.json"))


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/api/v1/health", 200),
    ("GET", "/static/css/site.css", 200),
    ("GET", "/static/vendor/htmx-2.0.11.min.js", 200),
    ("GET", "/no-such-page", 404),
    ("GET", "/api/v1/no-such-endpoint", 404),
    ("POST", "/api/v1/scores/mirels", 422),
    ("POST", "/patient/stage", 422),
    ("DELETE", "/patient/stage", 405),
])  # fmt: skip
def test_api_answers_files_and_errors_are_hardened(client, method, path, status):
    response = client.request(method, path, data={"t": "T9"} if path == "/patient/stage" else None)
    assert response.status_code == status
    assert_hardened(response)


def test_an_unexpected_error_page_is_hardened():
    app = create_app()

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    assert_hardened(response)


def inline_code(html: str) -> list[str]:
    """Inline script, event-handler attributes and ``javascript:`` URLs of a page."""
    page = Elements(html)
    found = [f"<script> {text[:40]!r}" for text in page.script_texts if text.strip()]
    found += ["<script> without src" for attrs in page.all("script") if not attrs.get("src")]
    for tag, attrs in page.tags:
        found += [f"<{tag} {name}=...>" for name in attrs if name.startswith("on")]
        found += [f"<{tag} {name}={value}>" for name, value in attrs.items() if "javascript:" in value.lower()]
    return found


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_inline_script(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert inline_code(response.text) == []
    assert Elements(response.text).all("script"), "every page loads its scripts from files"


@pytest.mark.parametrize(("path", "form"), [
    ("/clinician/case", {"example": "spinal-cord-compression", "audience": "clinician"}),
    ("/clinician/simulate/spread", {}),
    ("/clinician/calc/predict_breast", {}),
    ("/patient/stage", {"t": "T2", "n": "N1", "m": "M0"}),
])  # fmt: skip
def test_no_result_page_has_inline_script(client, path, form):
    response = client.post(path, data=form)
    assert response.status_code in (200, 422)
    assert inline_code(response.text) == []


def test_htmx_runs_without_eval_or_injected_styles(client):
    config = next(m for m in Elements(client.get("/").text).all("meta") if m.get("name") == "htmx-config")
    assert '"allowEval": false' in config["content"] and '"includeIndicatorStyles": false' in config["content"]


def test_the_docs_page_starts_swagger_from_a_file(client):
    page = Elements(client.get("/docs").text)
    sources = [attrs["src"] for attrs in page.all("script")]
    assert sources == ["/static/vendor/swagger-ui/swagger-ui-bundle.js", "/static/js/docs.js"]
    for src in sources:
        assert client.get(src).status_code == 200
    assert "SwaggerUIBundle" in client.get("/static/js/docs.js").text


def meta_policy(html: str) -> str:
    page = Elements(html)
    (meta,) = [m for m in page.all("meta") if m.get("http-equiv", "").lower() == "content-security-policy"]
    first = [name for name, _ in page.tags[:4]]
    assert first[:3] == ["html", "head", "meta"] and page.tags[3][1] == meta, "the policy comes before any content"
    return meta["content"]


@pytest.mark.parametrize("name", example_case_names())
@pytest.mark.parametrize("audience", ["clinician", "patient"])
def test_the_standalone_html_report_carries_its_own_policy(name, audience):
    html = render_html(assess_case(load_example_case(name)), audience=audience)
    assert meta_policy(html) == REPORT_CSP
    assert not Elements(html).all("script") and inline_code(html) == []
    assert not re.search(r"<(iframe|object|embed|form|img|link)\b", html)


def test_the_report_answered_by_the_api_is_hardened_twice(client):
    response = client.post(
        "/api/v1/report?audience=patient&format=html",
        content=example_case_text("hypercalcaemia"),
        headers={"Content-Type": "application/yaml"},
    )
    assert response.status_code == 200
    assert_hardened(response)
    assert meta_policy(response.text) == REPORT_CSP
