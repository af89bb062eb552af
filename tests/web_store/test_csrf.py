"""Every state-changing form of the records pages refuses a post without the session's CSRF token, or with a wrong
one, with 403 and nothing changed; a route inventory keeps a new form from slipping past the list."""

from __future__ import annotations

import pytest

from metastasis.api import create_app
from metastasis.store import RecordNotFound
from tests.web_store.conftest import csrf_of

LAB = {"kind": "lab", "analyte": "calcium", "value": "3.2", "unit": "mmol/L", "date": "2024-04-22"}

#: Every POST route of the records pages (checked against the application below) and what to post there.
FORMS = {
    "/logout": {},
    "/records/new": {"example": "hypercalcaemia"},
    "/records/{record}/events": {**LAB, "base_version": "1"},
    "/records/{record}/alerts/{alert_id}/ack": {},
    "/records/{record}/invite": {},
    "/records/{record}/invitations/{credential}/revoke": {},
    "/records/{record}/erase": {},
    "/records/{record}/watches": {"status": "RECRUITING"},
    "/records/{record}/watches/{watch_id}/remove": {},
}
#: Posts made before a session exists: double-submit token (tests/web_store/test_sessions.py, test_invitations.py).
PRE_SESSION = {"/login", "/invite/{token}"}


def test_every_post_route_of_the_records_pages_is_covered():
    try:  # FastAPI 0.165+ keeps an included router as one entry of app.routes
        from fastapi.routing import iter_route_contexts

        routes = list(iter_route_contexts(create_app().routes))
    except ImportError:
        routes = list(create_app().routes)
    posts = {r.path for r in routes if "POST" in (getattr(r, "methods", None) or set())}
    assert {p for p in posts if p.startswith(("/records", "/logout", "/login", "/invite"))} == set(FORMS) | PRE_SESSION


def _state(store, people, record_id):  # type: ignore[no-untyped-def]
    try:
        current = store.records.get(people["doc"], record_id).current_version
    except RecordNotFound:
        current = None
    alerts = [(a.alert_id, a.state) for a in store.alerts.list(people["doc"], record_id)] if current else []
    tokens = [(t.id, t.revoked_at) for t in store.tokens.list_tokens(people["doc"])]
    listed = store.records.list(people["admin"]).total
    return current, alerts, tokens, listed


@pytest.mark.parametrize("token", ["", "wrong-token-of-the-right-length-0123456789ab"], ids=["missing", "wrong"])
@pytest.mark.parametrize("template", FORMS)
def test_a_post_without_the_right_token_is_refused_and_changes_nothing(
    doc, sqlite_store, people, alert_record, template, token
):
    invitation = sqlite_store.tokens.invite(people["doc"], alert_record)
    watch = sqlite_store.watches.add(people["doc"], alert_record)
    path = template.format(record=alert_record, alert_id="bta_not_started", credential=invitation.id, watch_id=watch.id)
    before = _state(sqlite_store, people, alert_record)
    response = doc.post(path, FORMS[template], csrf=token)
    assert response.status_code == 403
    assert "nothing was changed" in response.text
    assert _state(sqlite_store, people, alert_record) == before
    assert doc.get("/records").status_code == 200  # still signed in


def test_the_token_is_the_sessions_own(browser_for, sqlite_store, people, alert_record):
    doc, admin = browser_for("doc"), browser_for("admin")
    assert doc.token != admin.token
    response = admin.post(f"/records/{alert_record}/invite", csrf=doc.token)  # another session's token
    assert response.status_code == 403
    assert csrf_of(doc.get(f"/records/{alert_record}").text) == doc.token
