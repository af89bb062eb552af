"""Who may open and do what on the records pages: role x page x own/foreign record, expected from the role table of
docs/store.md (admin: everything; clinician: their own records; registrar: read and report only; a patient: only
their own record, read-only, on /my-record). A record the caller may not see answers 404, never 403, and each
access, allowed or denied, leaves an audit row."""

from __future__ import annotations

import pytest

from metastasis.examples.cases import load_example_case

LAB = {"kind": "lab", "analyte": "calcium", "value": "2.5", "unit": "mmol/L", "date": "2024-04-22"}

#: page -> (method, path template, form); ``{r}`` is the record.
PAGES = {
    "view": ("GET", "/records/{r}", None),
    "diff": ("GET", "/records/{r}/diff?a=1", None),
    "export": ("GET", "/records/{r}/export", None),
    "erase-confirm": ("GET", "/records/{r}/erase", None),
    "add-event": ("POST", "/records/{r}/events", {**LAB, "base_version": "1"}),
    "ack": ("POST", "/records/{r}/alerts/bta_not_started/ack", {}),
    "invite": ("POST", "/records/{r}/invite", {}),
    "erase": ("POST", "/records/{r}/erase", {}),
}
OK = {"view": 200, "diff": 200, "export": 200, "erase-confirm": 200, "add-event": 303, "ack": 303, "invite": 200,
      "erase": 303}  # fmt: skip
READ_ONLY = {"view", "diff"}
#: role -> the pages it may use on a record it owns ("own") and on someone else's ("foreign"): docs/store.md.
MAY = {
    "admin": {"own": set(PAGES), "foreign": set(PAGES)},
    "doc": {"own": set(PAGES), "foreign": set()},
    "registrar": {"own": READ_ONLY, "foreign": READ_ONLY},
}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("whose", ["own", "foreign"])
@pytest.mark.parametrize("role", MAY)
def test_role_page_record_matrix(browser_for, sqlite_store, people, role, whose, page):
    # "own" for the admin and the registrar: a record they could own (the admin creates one; a registrar owns none,
    # so both of theirs are someone else's)
    owner = {"admin": "admin", "doc": "doc", "registrar": "doc"}[role] if whose == "own" else "other"
    record = sqlite_store.records.create(people[owner], load_example_case("hypercalcaemia")).record_id
    b = browser_for(role)
    method, template, form = PAGES[page]
    path = template.format(r=record)
    response = b.get(path) if method == "GET" else b.post(path, form)
    allowed = page in MAY[role][whose]
    assert response.status_code == (OK[page] if allowed else 404), response.text[:300]
    if not allowed:
        assert "There is no record at this address" in response.text
        rows = sqlite_store.audit.query(people["admin"], case=record).entries
        assert any(r.outcome == "denied" and r.email == people[role].email for r in rows)


def test_a_record_id_that_is_not_a_number_is_not_found(doc):
    for path in ("/records/abc", "/records/0", "/records/99999999999", "/records/-1/export"):
        assert doc.get(path).status_code == 404


def test_the_list_shows_a_clinician_their_own_and_a_registrar_all(browser_for, sqlite_store, people):
    mine = sqlite_store.records.create(people["doc"], load_example_case("hypercalcaemia")).record_id
    theirs = sqlite_store.records.create(people["other"], load_example_case("de-novo-bone-only")).record_id
    doc_list = browser_for("doc").get("/records").text
    reg_list = browser_for("registrar").get("/records").text
    assert f'href="/records/{mine}"' in doc_list and f'href="/records/{theirs}"' not in doc_list
    assert f'href="/records/{mine}"' in reg_list and f'href="/records/{theirs}"' in reg_list
    assert "New record" in doc_list and "New record" not in reg_list


def test_a_registrar_may_not_create_a_record(browser_for, sqlite_store, people):
    reg = browser_for("registrar")
    assert reg.get("/records/new").status_code == 403
    assert reg.post("/records/new", {"example": "hypercalcaemia"}).status_code == 403
    assert sqlite_store.records.list(people["admin"]).total == 0


def test_a_registrar_sees_no_forms_that_change_the_record(browser_for, alert_record):
    page = browser_for("registrar").get(f"/records/{alert_record}").text
    for action in ("/events", "/ack", "/invite", "/erase", "/export"):
        assert f"{alert_record}{action}" not in page and f'/{action.strip("/")}"' not in page


def test_opening_a_record_is_audited(doc, sqlite_store, people, record_id):
    doc.get(f"/records/{record_id}")
    rows = sqlite_store.audit.query(people["admin"], case=record_id).entries
    assert any(r.action == "read" and r.outcome == "allowed" and r.email == "doc@example.org" for r in rows)
