"""Signing in and out: the session cookie's flags, a new token at every sign-in (no fixation), log-out ending the
session in the store, one message for every refusal, the pause after repeated failures said the same way for
unknown emails, no open redirect, and the sign-in form's own CSRF token."""

from __future__ import annotations

import re

import pytest

from metastasis.store import AuthenticationError
from tests.web_store.conftest import EMAILS, PASSWORD, Browser, csrf_of


def _message(html: str) -> str:
    found = re.search(r'<div class="errors" role="alert" id="login-problem">(.*?)</div>', html, re.S)
    assert found, "no refusal shown"
    return " ".join(re.sub(r"<[^>]+>", " ", found.group(1)).split())


def test_a_page_needing_a_session_sends_to_sign_in_and_back(app):
    response = Browser(app).get("/records/3?x=1")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/records/3%3Fx%3D1"


def test_signing_in_sets_a_hardened_cookie_and_goes_to_next(app, people, record_id):
    b = Browser(app)
    response = b.login(EMAILS["doc"], next_path=f"/records/{record_id}")
    assert response.status_code == 303
    assert response.headers["location"] == f"/records/{record_id}"
    cookie = response.headers["set-cookie"].lower()
    assert "metastasis_session=" in cookie
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/" in cookie
    assert "secure" not in cookie  # plain HTTP: a Secure cookie would never come back
    assert b.get(f"/records/{record_id}").status_code == 200


def test_over_https_the_cookie_is_secure(app, people):
    b = Browser(app)
    b.client.base_url = b.client.base_url.copy_with(scheme="https")
    response = b.login(EMAILS["doc"])
    assert response.status_code == 303
    assert "; secure" in response.headers["set-cookie"].lower()


def test_each_sign_in_gets_a_new_token_and_the_old_one_dies(app, people, sqlite_store):
    b = Browser(app)
    b.client.cookies.set("metastasis_session", "planted-by-an-attacker-0123456789", domain="testserver.local")
    b.login(EMAILS["doc"])
    first = b.cookie
    assert first and first != "planted-by-an-attacker-0123456789"
    b.login(EMAILS["doc"])
    second = b.cookie
    assert second and second != first
    with pytest.raises(AuthenticationError):
        sqlite_store.tokens.session(first)  # the earlier session was revoked at the new sign-in
    assert sqlite_store.tokens.session(second).email == EMAILS["doc"]


def test_sign_out_needs_the_token_then_ends_the_session_everywhere(app, people, sqlite_store):
    b = Browser(app)
    b.login(EMAILS["doc"])
    old = b.cookie
    refused = b.post("/logout", csrf="")
    assert refused.status_code == 403
    assert sqlite_store.tokens.session(old).email == EMAILS["doc"]  # still signed in
    assert b.post("/logout", csrf="not-the-token").status_code == 403
    response = b.post("/logout")
    assert response.status_code == 303
    assert (
        'metastasis_session=""' in response.headers["set-cookie"]
        or "max-age=0" in response.headers["set-cookie"].lower()
    )
    with pytest.raises(AuthenticationError):
        sqlite_store.tokens.session(old)
    replay = Browser(app)
    replay.client.cookies.set("metastasis_session", old, domain="testserver.local")
    assert replay.get("/records").status_code == 303  # the old cookie opens nothing


def test_every_refusal_reads_the_same(app, people):
    wrong = Browser(app).login(EMAILS["doc"], "wrong password, long enough")
    unknown = Browser(app).login("nobody@example.org", "wrong password, long enough")
    assert wrong.status_code == unknown.status_code == 401
    assert _message(wrong.text) == _message(unknown.text) == "Not signed in The email or password was not accepted."
    assert 'value="doc@example.org"' in wrong.text  # the email is kept, the password is not
    assert "wrong password" not in wrong.text


def test_after_five_failures_the_pause_is_said_the_same_way_for_any_email(app, people):
    b = Browser(app)
    for _ in range(4):
        assert "try again" not in _message(b.login(EMAILS["doc"], "wrong password, long enough").text)
    known = _message(b.login(EMAILS["doc"], "wrong password, long enough").text)
    for _ in range(4):
        b.login("nobody@example.org", "wrong password, long enough")
    unknown = _message(b.login("nobody@example.org", "wrong password, long enough").text)
    # docs/store.md: 5 failures in a row lock an account for 1 minute
    assert "try again after" in known and "(in about 1 minute)" in known
    assert known.replace(EMAILS["doc"], "") == unknown
    locked = b.login(EMAILS["doc"], PASSWORD)  # the right password is refused while locked
    assert locked.status_code == 401 and "try again after" in _message(locked.text)


@pytest.mark.parametrize(
    "target", ["//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)"]
)
def test_no_open_redirect_after_sign_in(app, people, target):
    response = Browser(app).login(EMAILS["doc"], next_path=target)
    assert response.status_code == 303
    assert response.headers["location"] == "/records"


def test_the_sign_in_form_refuses_a_post_without_its_token(app, people):
    b = Browser(app)
    data = {"email": EMAILS["doc"], "password": PASSWORD}
    assert b.client.post("/login", data=data).status_code == 403
    b.client.get("/login")  # the cookie half is set; the form half is missing or wrong
    assert b.client.post("/login", data={**data, "csrf_token": "x" * 43}).status_code == 403
    assert b.cookie is None


def test_sign_ins_are_audited(app, people, sqlite_store):
    Browser(app).login(EMAILS["doc"])
    Browser(app).login(EMAILS["doc"], "wrong password, long enough")
    rows = sqlite_store.audit.query(people["admin"], user=EMAILS["doc"]).entries
    outcomes = [(r.action, r.outcome) for r in rows if r.action == "login"]
    assert ("login", "allowed") in outcomes and ("login", "denied") in outcomes


def test_the_sign_in_form_keeps_its_token_pair(app):
    page = Browser(app).get("/login")
    assert page.status_code == 200
    assert csrf_of(page.text) == page.cookies.get("metastasis_csrf")
    assert "samesite=strict" in page.headers["set-cookie"].lower()
