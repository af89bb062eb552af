"""Helpers of the browser-hardening tests: an HTML reader, every GET route of the application, the request log."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Any

from metastasis.api import create_app
from tests.api.conftest import LogLines, request_log  # noqa: F401 - shared with the security tests


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text inside each ``<script>``."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_texts: list[str] = []
        self._in_script = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        if tag == "script":
            self._in_script = True
            self.script_texts.append("")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_texts[-1] += data

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag]


#: A valid value for each path parameter of the GET routes (checked: every such path answers 200).
PATH_VALUES = {
    "/api/v1/case/examples/{name}": {"name": "hypercalcaemia"},
    "/api/v1/sites/{site_id}": {"site_id": "bone"},
    "/api/v1/learn/{topic}": {"topic": "what_is_metastasis"},
    "/api/v1/sources/{source_id}": {"source_id": "komarova-2003"},
    "/api/v1/trials/{nct_id}": {"nct_id": "NCT00034216"},
    "/patient/learn/{topic}": {"topic": "what-is-metastasis"},
    "/clinician/calc/{name}": {"name": "scores_mirels"},
    "/clinician/simulate/{kind}": {"kind": "spread"},
    # the case store: record 1 of the security tests' store (tests/security/conftest.py), read with the admin's token
    **{
        f"/api/v1/cases/{{case_id}}{rest}": {"case_id": 1, "number": 1}
        for rest in ("", "/versions", "/versions/{number}", "/timeline", "/alerts", "/report", "/export", "/watches")
    },
    # the case store's pages, for record 1 (without a session cookie they send the caller to sign in)
    **{f"/records/{{record}}{rest}": {"record": 1} for rest in ("", "/diff", "/export", "/erase")},
    "/invite/{token}": {"token": "an-invitation-token"},  # GET only shows the button; POST redeems
}


#: GET routes whose answer includes the audit trail, which every read (the HEAD too) adds to: same status and headers,
#: but not the same length twice.
CHANGES_WHEN_READ = frozenset({"/api/v1/cases/{case_id}/export", "/api/v1/audit"})


def get_routes() -> list[str]:
    """The path template of every route of the application that answers GET (included routers flattened)."""
    app = create_app()
    try:  # FastAPI 0.165+ keeps an included router as one entry of app.routes
        from fastapi.routing import iter_route_contexts

        routes: list[Any] = list(iter_route_contexts(app.routes))
    except ImportError:  # older FastAPI lists every route
        routes = list(app.routes)
    methods = [(getattr(r, "path", None), getattr(r, "methods", None) or set()) for r in routes]
    return [path for path, allowed in methods if path is not None and "GET" in allowed]


def concrete(template: str) -> str:
    """A path for a route template, with :data:`PATH_VALUES` filled in."""
    return template.format(**PATH_VALUES.get(template, {}))
