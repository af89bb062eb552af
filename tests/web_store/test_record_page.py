"""A record page and its forms: summary and alerts first, the timeline chart, adding an event (a new version, the
alerts recomputed), an event based on an old version (409: the newest version shown, the entry kept), an event the
case file refuses (422 at its control), acknowledging, the version diff, export, erasure and a new record."""

from __future__ import annotations

import html
import json
import re

import pytest

from metastasis.store import RecordNotFound

# CTCAE v5 hypercalcaemia: a calcium above 3.1 mmol/L is grade 3, a red flag in the triage rules (docs/scores.md).
HIGH_CALCIUM = {"kind": "lab", "analyte": "calcium", "value": "3.2", "unit": "mmol/L", "date": "2024-04-22"}


def _field(html: str, control_id: str) -> str:
    found = re.search(rf'<(?:input|select)[^>]*id="{control_id}"[^>]*>', html)
    assert found, control_id
    return found.group(0)


def test_the_page_shows_the_summary_alerts_chart_events_forms_and_report(doc, alert_record):
    page = doc.get(f"/records/{alert_record}").text
    landmarks = ("summary-heading", "alerts", "timeline", "events", "add")
    order = [page.index(f'id="record-{name}"') for name in landmarks] + [page.index('class="report"')]
    assert order == sorted(order)
    assert "Rising calcium and confusion" in page  # the case's title is the label
    assert page.count(">Acknowledge</button>") == 2  # the bundled case fires two alerts
    assert "<svg" in page and "<?xml" not in page and "Calcium in mmol/L" in page
    for kind in ("lab", "symptom", "treatment", "metastatic_site", "bone_lesion"):
        assert f'name="kind" value="{kind}"' in page
    assert 'name="base_version" value="1"' in page


def test_adding_a_calcium_result_makes_a_version_and_raises_the_alert(doc, sqlite_store, people, record_id):
    assert sqlite_store.alerts.list(people["doc"], record_id) == []
    response = doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "1"})
    assert response.status_code == 303 and response.headers["location"] == f"/records/{record_id}#record-events"
    assert sqlite_store.records.get(people["doc"], record_id).current_version == 2
    alerts = sqlite_store.alerts.list(people["doc"], record_id)
    assert [(a.alert_id, a.state) for a in alerts] == [("red_flag:hypercalcaemia", "new")]
    page = doc.get(f"/records/{record_id}").text
    assert "Hypercalcaemia" in page and "added lab" in page and "2 of 2" in page


def test_a_stale_entry_answers_409_with_the_newest_version_and_keeps_the_entry(browser_for, sqlite_store, people,
                                                                               record_id):  # fmt: skip
    first, second = browser_for("doc"), browser_for("admin")
    assert 'name="base_version" value="1"' in second.get(f"/records/{record_id}").text  # both opened version 1
    assert first.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "1"}).status_code == 303
    entry = {**HIGH_CALCIUM, "value": "2.71", "date": "2024-04-20", "base_version": "1"}
    response = second.post(f"/records/{record_id}/events", entry)
    assert response.status_code == 409
    assert "someone else changed this record" in response.text.lower()
    assert "your entry is kept below" in response.text
    assert "2 of 2" in response.text  # the newest version is shown
    assert 'value="2.71"' in _field(response.text, "lab-value")
    assert 'value="2024-04-20"' in _field(response.text, "lab-date")
    assert 'name="base_version" value="2"' in response.text  # saving again is based on the newest
    assert sqlite_store.records.get(people["doc"], record_id).current_version == 2  # nothing written


def test_an_entry_the_case_refuses_is_shown_at_its_control_and_kept(doc, sqlite_store, people, record_id):
    entry = {**HIGH_CALCIUM, "unit": "g/L", "base_version": "1"}  # g/L is an albumin unit, not a calcium one
    response = doc.post(f"/records/{record_id}/events", entry)
    assert response.status_code == 422
    unit = _field(response.text, "lab-unit")
    assert 'aria-invalid="true"' in unit
    assert re.search(r'<span class="problem" id="lab-unit-error">[^<]*mmol/L', response.text)
    assert re.search(r'<option value="g/L" selected>', response.text)
    assert sqlite_store.records.get(people["doc"], record_id).current_version == 1


def test_an_unknown_event_kind_or_base_version_is_bad_input(doc, record_id):
    assert (
        doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "kind": "x", "base_version": "1"}).status_code == 422
    )
    assert doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "one"}).status_code == 422


def test_acknowledging_an_alert(doc, sqlite_store, people, alert_record):
    response = doc.post(f"/records/{alert_record}/alerts/red_flag:hypercalcaemia/ack")
    assert response.status_code == 303
    states = {a.alert_id: a.state for a in sqlite_store.alerts.list(people["doc"], alert_record)}
    assert states == {"red_flag:hypercalcaemia": "acknowledged", "bta_not_started": "new"}
    page = doc.get(f"/records/{alert_record}").text
    assert page.count(">Acknowledge</button>") == 1 and "acknowledged by doc@example.org" in page
    assert doc.post(f"/records/{alert_record}/alerts/no-such-alert/ack").status_code == 404


def test_the_diff_shows_the_added_result(doc, record_id):
    doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "1"})
    page = doc.get(f"/records/{record_id}/diff?a=1&b=2").text
    added = [
        html.unescape(x) for x in re.findall(r'<tr class="diff-added"><td>[^<]*</td><td><code>([^<]*)</code>', page)
    ]
    assert [line.strip() for line in added if ":" in line] == [
        '"analyte": "calcium",', '"date": "2024-04-22",', '"unit": "mmol/L",', '"value": 3.2'
    ]  # fmt: skip
    assert doc.get(f"/records/{record_id}/diff?a=9").status_code == 404


@pytest.mark.parametrize("query", ["a=99999999999999999999999", "a=1&b=99999999999999999999", "a=-1"])
def test_a_version_out_of_range_is_not_found(doc, record_id, query):
    assert doc.get(f"/records/{record_id}/diff?{query}").status_code == 404  # was a 500 (integer overflow)


def test_export_is_a_json_download_of_every_version(doc, sqlite_store, people, record_id):
    doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "1"})
    response = doc.get(f"/records/{record_id}/export")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="record-{record_id}.json"'
    data = json.loads(response.text)
    assert [v["version"] for v in data["versions"]] == [1, 2]
    assert [e["kind"] for e in data["events"]] == ["lab"]
    rows = sqlite_store.audit.query(people["admin"], case=record_id).entries
    assert any(r.action == "export" and r.outcome == "allowed" for r in rows)


def test_erasure_asks_first_then_erases_for_good(doc, sqlite_store, people, record_id):
    confirm = doc.get(f"/records/{record_id}/erase")
    assert confirm.status_code == 200 and "cannot" in confirm.text and "be undone" in confirm.text
    response = doc.post(f"/records/{record_id}/erase")
    assert response.status_code == 303 and response.headers["location"] == "/records?erased=1"
    assert doc.get(f"/records/{record_id}").status_code == 404
    try:
        sqlite_store.records.get(people["admin"], record_id)
        raise AssertionError("the record is still there")
    except RecordNotFound:
        pass


def test_a_new_record_from_an_example_and_one_with_problems(doc, sqlite_store, people):
    response = doc.post("/records/new", {"example": "hypercalcaemia", "reason": "first visit"})
    assert response.status_code == 303
    record_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert sqlite_store.records.get(people["doc"], record_id).reason == "first visit"
    bad = doc.post("/records/new", {"case_text": "schema_version: '1.1'\nlabs:\n  - analyte: calcium\n"})
    assert bad.status_code == 422
    assert "nothing was saved" in bad.text and "$.labs[0]" in bad.text
    assert "analyte: calcium" in bad.text  # the text is kept
    assert sqlite_store.records.list(people["admin"]).total == 1


def test_the_list_has_alert_badges_and_the_new_alerts_filter(doc, alert_record, record_id):
    page = doc.get("/records").text
    assert '<span class="alert-badge emergency">2 new · emergency</span>' in page
    filtered = doc.get("/records?alerts=new").text
    assert f'href="/records/{alert_record}"' in filtered and f'href="/records/{record_id}"' not in filtered


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/records/²"),
        ("post", "/records/{r}/invitations/²/revoke"),
        ("post", "/records/{r}/invitations/" + "9" * 40 + "/revoke"),
        ("post", "/records/{r}/watches/²/remove"),
    ],
)
def test_a_digit_that_is_not_ascii_is_not_found(doc, record_id, method, path):
    # "²".isdigit() is true but int("²") fails: these were 500s
    assert getattr(doc, method)(path.format(r=record_id)).status_code == 404


def test_a_base_version_that_is_not_ascii_is_refused(doc, record_id):
    answer = doc.post(f"/records/{record_id}/events", {**HIGH_CALCIUM, "base_version": "²"})
    assert answer.status_code == 422


def test_the_record_page_helpers_examples():
    import doctest

    from metastasis.web import records_record

    result = doctest.testmod(records_record, optionflags=doctest.ELLIPSIS)
    assert result.attempted >= 1 and result.failed == 0
