"""Trial watches on the records pages: the record page's "Trial watch" panel (who may add and remove, CSRF, bad
filters at the form), the patient's "Tell me about new trials" page, and a "new trial match" alert shown on both
pages once a study is imported.

The study is NCT06974604 (TROPION-DM, tests/trials/data; see tests/store/test_trial_watches.py): its record is
NOT_YET_RECRUITING, PHASE2, and the bundled ``de-novo-bone-only`` case (the ``record_id`` fixture) is *possibly
eligible* for it (metastatic, ECOG 1; RECIST measurability not recorded).
"""

from __future__ import annotations

import html as html_lib
import re

import pytest
import textstat

from metastasis.trials import parse_study
from tests.store.conftest import patient_of
from tests.trials.conftest import raw_records
from tests.web.test_patient_html import parse
from tests.web.test_patient_readability import MAX_GRADE, ui_units
from tests.web_store.conftest import Browser, csrf_of

DATO = "NCT06974604"
DATO_URL = "https://clinicaltrials.gov/study/NCT06974604"
FILTERS = {"status": ["RECRUITING", "NOT_YET_RECRUITING"], "phase": ["PHASE2"]}


def _import_dato(store) -> None:  # type: ignore[no-untyped-def]
    record = next(r for r in raw_records() if r["protocolSection"]["identificationModule"]["nctId"] == DATO)
    store.trials.add([parse_study(record)])


def _watches(store, people, record_id):  # type: ignore[no-untyped-def]
    return [(w.statuses, w.phases, w.within_km) for w in store.watches.list(people["admin"], record_id)]


def _open_patient(app, doc, record_id: int) -> Browser:  # type: ignore[no-untyped-def]
    issued = doc.post(f"/records/{record_id}/invite").text
    path = re.search(r'value="http://testserver(/invite/[A-Za-z0-9_-]{40,})"', issued).group(1)  # type: ignore[union-attr]
    patient = Browser(app)
    button = patient.get(path)
    assert patient.client.post(path, data={"csrf_token": csrf_of(button.text)}).status_code == 303
    patient.token = csrf_of(patient.get("/my-record/trials").text)
    return patient


def test_the_clinician_adds_a_watch_sees_it_in_words_and_removes_it(doc, sqlite_store, people, record_id):
    page = doc.get(f"/records/{record_id}").text
    assert 'id="record-watches"' in page and "No trial watch on this record." in page
    assert 'name="status" value="RECRUITING"' in page and 'name="phase" value="EARLY_PHASE1"' in page

    response = doc.post(f"/records/{record_id}/watches", {**FILTERS, "near": "41.82, -71.41", "within_km": "50"})
    assert response.status_code == 303 and response.headers["location"] == f"/records/{record_id}#record-watches"
    assert _watches(sqlite_store, people, record_id) == [(["NOT_YET_RECRUITING", "RECRUITING"], ["PHASE2"], 50.0)]
    page = doc.get(f"/records/{record_id}").text
    assert "not yet recruiting or recruiting; phase 2; a site within 50 km of 41.82, -71.41" in page

    watch_id = sqlite_store.watches.list(people["doc"], record_id)[0].id
    assert doc.post(f"/records/{record_id}/watches/{watch_id}/remove").status_code == 303
    assert _watches(sqlite_store, people, record_id) == []
    assert doc.post(f"/records/{record_id}/watches/{watch_id}/remove").status_code == 404  # gone
    assert doc.post(f"/records/{record_id}/watches/abc/remove").status_code == 404


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"status": ["open"]}, "status"),
        ({"phase": ["PHASE9"]}, "phase"),
        ({"near": "91, 0", "within_km": "10"}, "near"),
        ({"near": "41.8 -71.4", "within_km": "10"}, "near"),
        ({"near": "41.8, -71.4"}, "within_km"),
        ({"near": "41.8, -71.4", "within_km": "far"}, "within_km"),
        ({"within_km": "10"}, "within_km"),
    ],
)
def test_a_bad_filter_is_422_at_the_form_and_nothing_is_saved(doc, sqlite_store, people, record_id, form, field):
    response = doc.post(f"/records/{record_id}/watches", form)
    assert response.status_code == 422
    problem = re.search(r'id="watch-problem">(.*?)</div>', response.text, re.S)
    assert problem and f"{field}:" in problem.group(1)
    assert '<details class="event-form" id="watch-add" open>' in response.text
    assert _watches(sqlite_store, people, record_id) == []


def test_who_may_watch_a_record_on_the_web(browser_for, sqlite_store, people, record_id):
    saved = sqlite_store.watches.add(people["doc"], record_id, phases=["3"])
    for who in ("other", "registrar"):  # another clinician's record; a registrar only reads
        b = browser_for(who)
        assert b.post(f"/records/{record_id}/watches", FILTERS).status_code == 404
        assert b.post(f"/records/{record_id}/watches/{saved.id}/remove").status_code == 404
    assert browser_for("other").get(f"/records/{record_id}").status_code == 404
    registrar_page = browser_for("registrar").get(f"/records/{record_id}").text
    assert "phase 3" in registrar_page  # the list, read-only
    assert 'id="watch-add"' not in registrar_page and ">Remove</button>" not in registrar_page
    admin = browser_for("admin")
    assert admin.post(f"/records/{record_id}/watches", {"status": ["RECRUITING"]}).status_code == 303
    assert _watches(sqlite_store, people, record_id) == [([], ["PHASE3"], None), (["RECRUITING"], [], None)]
    assert browser_for("doc").post(f"/records/{record_id}/watches", {}, csrf="").status_code == 403


@pytest.mark.parametrize("token", ["", "wrong-token-of-the-right-length-0123456789ab"], ids=["missing", "wrong"])
def test_every_watch_form_refuses_a_post_without_the_sessions_token(app, doc, sqlite_store, people, record_id, token):
    saved = sqlite_store.watches.add(people["doc"], record_id)
    patient = _open_patient(app, doc, record_id)
    mine = sqlite_store.watches.add(patient_of(sqlite_store, people["doc"], record_id), record_id)
    before = _watches(sqlite_store, people, record_id)
    posts = [
        (doc, f"/records/{record_id}/watches", FILTERS),
        (doc, f"/records/{record_id}/watches/{saved.id}/remove", {}),
        (patient, "/my-record/trials", {}),
        (patient, f"/my-record/trials/{mine.id}/stop", {}),
    ]
    for who, path, form in posts:
        response = who.post(path, form, csrf=token)
        assert response.status_code == 403, path
        assert "nothing was changed" in response.text
    assert _watches(sqlite_store, people, record_id) == before


def test_the_patient_asks_to_be_told_and_stops_on_their_own_record_only(app, doc, sqlite_store, people, record_id):
    patient = _open_patient(app, doc, record_id)
    assert patient.get(f"/records/{record_id}").status_code == 303  # not the staff page
    assert patient.post(f"/records/{record_id}/watches", FILTERS).status_code == 303  # sent to /my-record
    assert _watches(sqlite_store, people, record_id) == []
    page = patient.get("/my-record").text
    assert "Tell me about new trials" in page

    saved = patient.post("/my-record/trials")
    assert saved.status_code == 303 and saved.headers["location"] == "/my-record/trials?saved=1"
    assert patient.post("/my-record/trials").status_code == 303  # asking twice keeps one watch
    assert _watches(sqlite_store, people, record_id) == [(["NOT_YET_RECRUITING", "RECRUITING"], [], None)]
    assert "We are looking for new studies for you." in patient.get("/my-record/trials?saved=1").text

    theirs = sqlite_store.watches.add(people["doc"], record_id)  # the clinician's watch: not the patient's to stop
    assert patient.post(f"/my-record/trials/{theirs.id}/stop").status_code == 404
    mine = next(w for w in sqlite_store.watches.list(people["doc"], record_id) if w.created_role == "patient")
    assert patient.post(f"/my-record/trials/{mine.id}/stop").status_code == 303
    assert [w.id for w in sqlite_store.watches.list(people["doc"], record_id)] == [theirs.id]
    assert Browser(app).get("/my-record/trials").status_code == 303  # no session: sign in
    assert doc.get("/my-record/trials").headers["location"] == "/records"  # staff: their list


def test_an_imported_study_shows_a_trial_alert_on_both_pages(app, doc, sqlite_store, people, record_id):
    patient = _open_patient(app, doc, record_id)
    assert patient.post("/my-record/trials").status_code == 303
    assert "A new study may fit you" not in patient.get("/my-record").text
    _import_dato(sqlite_store)

    page = doc.get(f"/records/{record_id}").text
    alert = re.search(r'<li class="record-alert new info">(.*?)</li>', page, re.S)
    assert alert, "no new trial alert on the record page"
    assert "New trial match (possibly eligible)" in alert.group(1)
    assert f'href="{DATO_URL}"' in alert.group(1) and ">Acknowledge</button>" in alert.group(1)
    ack = doc.post(f"/records/{record_id}/alerts/trial_match:{DATO}/ack")
    assert ack.status_code == 303
    assert [a.state for a in sqlite_store.alerts.list(people["doc"], record_id) if a.kind == "trial"] == [
        "acknowledged"
    ]

    mine = patient.get("/my-record").text
    studies = mine[mine.index('id="new-studies"') :]
    assert "A new study may fit you. Ask your care team about it." in studies
    assert f'href="{DATO_URL}"' in studies
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", mine))  # the running text, without the markup
    assert "NCT" not in text and "trial_match" not in text


def test_the_patient_trial_pages_read_at_grade_8_or_below(app, doc, sqlite_store, record_id):
    patient = _open_patient(app, doc, record_id)
    pages = {"ask": patient.get("/my-record/trials").text}
    patient.post("/my-record/trials")
    pages["asked"] = patient.get("/my-record/trials?saved=1").text
    _import_dato(sqlite_store)
    mine = patient.get("/my-record").text
    start = mine.index('<section id="new-studies"')
    pages["new studies"] = "<main>" + mine[start : mine.index("</section>", start) + 10] + "</main>"
    for name, html in pages.items():
        text = " ".join(ui_units(parse(html)))
        assert len(text.split()) >= 15, text
        grade = textstat.flesch_kincaid_grade(text)
        assert grade <= MAX_GRADE, f"{name}: grade {grade:.1f}: {text}"


def test_the_docstring_examples_of_the_watch_pages_run():
    import doctest

    from metastasis.web import records_watches

    result = doctest.testmod(records_watches, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 5 and result.failed == 0
