"""``HEAD`` is answered wherever ``GET`` is (FastAPI routes do not add it themselves): the same status and
headers, and no body."""

from __future__ import annotations

import pytest

from tests.security.support import CHANGES_WHEN_READ, concrete, get_routes, request_log

GET_ROUTES = get_routes()


def test_the_route_list_covers_the_api_the_pages_and_the_docs():
    assert {"/api/v1/health", "/", "/patient/stage", "/clinician/case", "/docs", "/openapi.json"} <= set(GET_ROUTES)
    assert len(GET_ROUTES) >= 25


@pytest.mark.parametrize("template", GET_ROUTES)
def test_head_answers_like_get_without_a_body(client, template):
    path = concrete(template)
    got = client.get(path)
    head = client.head(path)
    assert got.status_code == 200, f"GET {path}: pick a valid value for its parameters"
    assert head.status_code == got.status_code
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    if "content-length" in head.headers and template not in CHANGES_WHEN_READ:
        assert int(head.headers["content-length"]) == len(got.content)


@pytest.mark.parametrize("path", ["/static/css/site.css", "/static/js/site.js", "/static/favicon.svg"])
def test_head_on_static_files(client, path):
    head = client.head(path)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(client.get(path).content)


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/no-such-endpoint", 404),
    ("/no-such-page", 404),
    ("/api/v1/sources/no-such-source", 404),
    ("/patient/learn/no-such-topic", 404),
    ("/api/v1/scores/mirels", 405),  # POST only: the same answer as GET, with Allow
])  # fmt: skip
def test_head_errors_match_get_errors(client, path, status):
    got, head = client.get(path), client.head(path)
    assert got.status_code == head.status_code == status
    assert head.content == b""
    assert head.headers.get("allow") == got.headers.get("allow")


def test_head_is_logged_as_head(client):
    with request_log() as log:
        client.head("/api/v1/sources/komarova-2003")
    (entry,) = log.entries()
    assert (entry["method"], entry["route"], entry["status"]) == ("HEAD", "/api/v1/sources/{source_id}", 200)
