"""The core flows of the records pages on every store backend (SQLite always, PostgreSQL when reachable: see
tests/store/conftest.py): sign in, add an event, the stale 409, acknowledge, sign out."""

from __future__ import annotations

from metastasis.api import create_app
from metastasis.examples.cases import load_example_case
from tests.web_store.conftest import EMAILS, Browser, add_people

LAB = {"kind": "lab", "analyte": "calcium", "value": "3.2", "unit": "mmol/L", "date": "2024-04-22"}


def test_sign_in_add_an_event_stale_acknowledge_sign_out(store):  # type: ignore[no-untyped-def]
    people = add_people(store)
    record = store.records.create(people["doc"], load_example_case("de-novo-bone-only")).record_id
    app = create_app(store=store)
    doc, admin = Browser(app), Browser(app)
    assert doc.login(EMAILS["doc"]).status_code == 303 and admin.login(EMAILS["admin"]).status_code == 303
    assert doc.post(f"/records/{record}/events", {**LAB, "base_version": "1"}).status_code == 303
    stale = admin.post(f"/records/{record}/events", {**LAB, "value": "2.6", "base_version": "1"})
    assert stale.status_code == 409 and 'value="2.6"' in stale.text
    assert doc.post(f"/records/{record}/alerts/red_flag:hypercalcaemia/ack").status_code == 303
    assert [a.state for a in store.alerts.list(people["doc"], record)] == ["acknowledged"]
    old = doc.cookie
    assert doc.post("/logout").status_code == 303
    replay = Browser(app)
    replay.client.cookies.set("metastasis_session", old, domain="testserver.local")
    assert replay.get(f"/records/{record}").status_code == 303
