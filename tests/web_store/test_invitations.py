"""Inviting the patient: a link shown once, opened by a button (a double-submit token, as no session exists yet),
used once, bound to one record, revocable; the patient's page is read-only and plain."""

from __future__ import annotations

import re

from metastasis.examples.cases import load_example_case
from tests.web_store.conftest import Browser, csrf_of


def _invite(doc, record_id: int) -> str:  # type: ignore[no-untyped-def]
    response = doc.post(f"/records/{record_id}/invite")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    found = re.search(r'value="http://testserver(/invite/[A-Za-z0-9_-]{40,})"', response.text)
    assert found, "the link is shown"
    return found.group(1)


def _open(app, path: str):  # type: ignore[no-untyped-def]
    patient = Browser(app)
    button = patient.get(path)
    assert button.status_code == 200 and "Open my record" in button.text
    return patient, patient.client.post(path, data={"csrf_token": csrf_of(button.text)})


def test_the_link_is_shown_once_and_opens_the_record_once(app, doc, record_id):
    path = _invite(doc, record_id)
    assert path not in doc.get(f"/records/{record_id}").text  # not shown again
    patient, opened = _open(app, path)
    assert opened.status_code == 303 and opened.headers["location"] == "/my-record"
    page = patient.get("/my-record")
    assert page.status_code == 200
    assert "Your record" in page.text and 'class="report lib"' in page.text and "Get help now" in page.text
    _, again = _open(app, path)
    assert again.status_code == 410 and "does not open a record any more" in again.text


def test_the_patient_session_is_bound_to_one_record_and_reads_only(app, doc, sqlite_store, people, record_id):
    other = sqlite_store.records.create(people["doc"], load_example_case("hypercalcaemia")).record_id
    patient, _ = _open(app, _invite(doc, record_id))
    page = patient.get("/my-record").text
    assert "Rising calcium" not in page  # the other record's title
    for path in (f"/records/{other}", f"/records/{record_id}", "/records", f"/records/{record_id}/export"):
        response = patient.get(path)
        assert response.status_code == 303 and response.headers["location"] == "/my-record"
    token = csrf_of(page)  # the "close my record" form: the only form on the page
    assert page.count("<form") == 1
    refused = patient.client.post(f"/records/{record_id}/events", data={"csrf_token": token, "kind": "lab"})
    assert refused.status_code == 303 and refused.headers["location"] == "/my-record"
    assert sqlite_store.records.get(people["doc"], record_id).current_version == 1


def test_a_revoked_link_does_not_open(app, doc, sqlite_store, people, record_id):
    path = _invite(doc, record_id)
    (listed,) = [t for t in sqlite_store.tokens.list_tokens(people["doc"]) if t.kind == "invitation"]
    assert doc.post(f"/records/{record_id}/invitations/{listed.id}/revoke").status_code == 303
    _, opened = _open(app, path)
    assert opened.status_code == 410


def test_opening_needs_the_button_token(app, doc, record_id):
    path = _invite(doc, record_id)
    stranger = Browser(app)
    assert stranger.client.post(path, data={}).status_code == 403  # a cross-site post carries no token
    _, opened = _open(app, path)
    assert opened.status_code == 303  # and the link was not used up by the refused post


def test_closing_the_record_ends_the_patient_session(app, doc, sqlite_store, record_id):
    patient, _ = _open(app, _invite(doc, record_id))
    token = csrf_of(patient.get("/my-record").text)
    assert patient.client.post("/logout", data={"csrf_token": token}).status_code == 303
    page = patient.get("/my-record")
    assert page.status_code == 200 and "open the link your care team sent you" in page.text


def test_redeeming_is_audited(app, doc, sqlite_store, people, record_id):
    _open(app, _invite(doc, record_id))
    rows = sqlite_store.audit.query(people["admin"], case=record_id).entries
    assert any(r.action == "redeem" and r.outcome == "allowed" for r in rows)


def test_revoking_a_link_is_audited(app, doc, sqlite_store, people, record_id):
    from sqlalchemy import select

    from metastasis.store.models import AuditEntry

    _invite(doc, record_id)
    (listed,) = [t for t in sqlite_store.tokens.list_tokens(people["doc"]) if t.kind == "invitation"]
    assert doc.post(f"/records/{record_id}/invitations/{listed.id + 1}/revoke").status_code == 404
    assert doc.post(f"/records/{record_id}/invitations/{listed.id}/revoke").status_code == 303
    with sqlite_store.read() as db:
        rows = db.execute(
            select(AuditEntry.outcome, AuditEntry.record_id, AuditEntry.detail, AuditEntry.email)
            .where(AuditEntry.action == "invitation_revoke")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(r) for r in rows] == [
        ("denied", record_id, f"invitation {listed.id + 1}", "doc@example.org"),
        ("allowed", record_id, f"invitation {listed.id}", "doc@example.org"),
    ]
