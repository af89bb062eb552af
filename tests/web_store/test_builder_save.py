"""The case builder's "Save to records" hook (web/records_list.py ``save_to_records``), called as the builder's
``save:records`` action will call it: a signed-in clinician's built case becomes a new record; no session sends
to sign in; a wrong token is refused with nothing stored."""

from __future__ import annotations

import pytest
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request

from metastasis.examples.cases import load_example_case
from metastasis.web.records_list import save_to_records


def _request(app, cookie: str | None) -> Request:  # type: ignore[no-untyped-def]
    headers = [(b"cookie", f"metastasis_session={cookie}".encode())] if cookie else []
    scope = {"type": "http", "method": "POST", "path": "/clinician/case/new", "query_string": b"", "headers": headers,
             "app": app, "scheme": "http", "server": ("testserver", 80)}  # fmt: skip
    return Request(scope)


def test_a_clinician_saves_a_built_case_as_a_record(app, doc, sqlite_store, people):
    case = load_example_case("hypercalcaemia")
    response = save_to_records(_request(app, doc.cookie), FormData({"csrf_token": doc.token}), case)
    assert response.status_code == 303
    record_id = int(response.headers["location"].rsplit("/", 1)[1])
    saved = sqlite_store.records.get(people["doc"], record_id)
    assert saved.reason == "built in the case builder" and saved.owner_id == people["doc"].user_id


def test_without_a_session_or_token_nothing_is_stored(app, browser_for, sqlite_store, people):
    case = load_example_case("hypercalcaemia")
    with pytest.raises(HTTPException) as signed_out:
        save_to_records(_request(app, None), FormData({}), case)
    assert signed_out.value.status_code == 303
    registrar = browser_for("registrar")
    with pytest.raises(HTTPException) as not_a_clinician:
        save_to_records(_request(app, registrar.cookie), FormData({"csrf_token": registrar.token}), case)
    assert not_a_clinician.value.status_code == 303
    doc = browser_for("doc")
    with pytest.raises(HTTPException) as forged:
        save_to_records(_request(app, doc.cookie), FormData({"csrf_token": "forged"}), case)
    assert forged.value.status_code == 403
    assert sqlite_store.records.list(people["admin"]).total == 0


def test_the_builder_page_offers_save_to_records_only_when_signed_in(app, browser_for, sqlite_store, people):
    from fastapi.testclient import TestClient

    from tests.web.test_case_builder import form_values
    from tests.web.test_clinician_html import read

    anonymous = TestClient(app).get("/clinician/case/new", params={"example": "hypercalcaemia"})
    assert 'value="save:records"' not in anonymous.text and 'value="save:json"' in anonymous.text
    doc = browser_for("doc")
    page = doc.get("/clinician/case/new", params={"example": "hypercalcaemia"})
    assert 'value="save:records"' in page.text
    values = form_values(read(page.text))  # the hidden csrf_token comes with the form
    saved = doc.client.post("/clinician/case/new", data={**values, "action": "save:records"})
    assert saved.status_code == 303, saved.text
    record_id = int(saved.headers["location"].rsplit("/", 1)[1])
    assert sqlite_store.records.get(people["doc"], record_id).case.id == "hypercalcaemia"
    forged = doc.client.post("/clinician/case/new", data={**values, "csrf_token": "x", "action": "save:records"})
    assert forged.status_code == 403
    assert sqlite_store.records.list(people["admin"]).total == 1
