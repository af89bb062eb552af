"""``/clinician/trials``: a case (example, pasted, uploaded) matched against the 69 real records, with filters,
eligibility badges, criteria with their reasons and the text as written, links to ClinicalTrials.gov and what to
check next. Expected values come from the records themselves (tests/trials/data), read here as JSON."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from metastasis.examples.cases import example_case_text
from tests.web.test_patient_html import parse

URL = "/clinician/trials"
CASE = "recurrent-liver-bone"


def li_trials(html: str) -> dict[str, object]:
    root = parse(html)
    return {node.attrs["id"].removeprefix("trial-"): node for node in root.find_all("li", class_="trial")}


def test_the_empty_form_has_every_input_and_no_result(client):
    response = client.get(URL)
    assert response.status_code == 200
    root = parse(response.text)
    assert root.find_all("h1")[0].text() == "Clinical trials for a case"
    for control in ("case-text", "case-file", "case-example", "near", "within_km"):
        assert root.by_id(control)
    # The 14 recruitment statuses of the API v2 (overallStatus), typed from its documentation.
    assert len(root.find_all("input", type="checkbox", name="status")) == 14
    assert root.find_all("li", class_="trial") == []
    assert "matched" not in root.by_id("result").text()


def test_an_example_is_matched_against_every_stored_study(client, raw):
    response = client.get(f"{URL}?example={CASE}")
    assert response.status_code == 200
    root = parse(response.text)
    assert root.by_id("result-heading").text() == "69 studies matched"
    shown = li_trials(response.text)
    assert len(shown) == 30  # the first 30 in full; the others counted
    assert "39 more not shown" in response.text
    first = next(iter(shown.values()))
    assert "possibly_eligible" in first.classes  # no study is eligible outright on this case's data
    # Each study links to its page on ClinicalTrials.gov.
    for nct_id, node in shown.items():
        links = [a.attrs["href"] for a in node.find_all("a", class_="study-link")]
        assert links == [f"https://clinicaltrials.gov/study/{nct_id}"]
        assert nct_id in raw


def test_a_study_shows_its_badge_recruitment_check_next_and_criteria_as_written(client, raw):
    nct_id = "NCT05573893"  # PROVIDENCE: recruiting, trastuzumab deruxtecan, HER2-positive/low/ultralow
    response = client.get(f"{URL}?example={CASE}&status=recruiting")
    node = li_trials(response.text)[nct_id]
    assert raw[nct_id]["protocolSection"]["statusModule"]["overallStatus"] == "RECRUITING"
    text = node.text()
    assert "Possibly eligible" in text and "recruiting" in text
    assert node.find_all("div", class_="check-next"), "what to check next"
    criteria = node.find_all("details", class_="criteria")[0]
    written = raw[nct_id]["protocolSection"]["eligibilityModule"]["eligibilityCriteria"]
    # A bullet of the record, as written there, is on the page (folded).
    bullet = "Has documented radiologic progression (during or after most recent treatment)"
    assert bullet in written.replace("\\", "")
    assert bullet in criteria.text()
    badges = {b.text() for b in criteria.find_all("span", class_="cbadge")}
    assert badges <= {"met", "not met", "unknown", "applies", "does not apply"} and "unknown" in badges


def test_the_status_filter_keeps_only_recruiting_studies(client, raw):
    recruiting = {k for k, r in raw.items() if r["protocolSection"]["statusModule"]["overallStatus"] == "RECRUITING"}
    assert len(recruiting) == 11
    response = client.get(f"{URL}?example={CASE}&status=recruiting")
    assert parse(response.text).by_id("result-heading").text() == "11 studies matched"
    assert set(li_trials(response.text)) == recruiting


def test_a_point_and_a_radius_keep_nearby_studies_with_their_distance(client, raw):
    # NCT00034216 runs at the NIH Clinical Center, Bethesda (geoPoint 38.98067, -77.10026 in the record).
    site = raw["NCT00034216"]["protocolSection"]["contactsLocationsModule"]["locations"][0]["geoPoint"]
    query = urlencode({"example": CASE, "near": f"{site['lat']}, {site['lon']}", "within_km": "5"})
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    shown = li_trials(response.text)
    assert "NCT00034216" in shown
    assert "nearest site 0 km" in shown["NCT00034216"].text()


def test_a_not_eligible_study_says_why(client, raw):
    nct_id = "NCT00364754"  # not eligible for this case (tests/trials/test_api.py)
    status = raw[nct_id]["protocolSection"]["statusModule"]["overallStatus"].lower()
    response = client.get(f"{URL}?example={CASE}&status={status}")
    node = li_trials(response.text).get(nct_id)
    assert node is not None, "shown when the list is narrowed to its recruitment status"
    assert "not_eligible" in node.classes
    why = node.find_all("div", class_="check-next")[0]
    assert why.find_all("h4")[0].text() == "Why not eligible"
    assert why.find_all("li"), "the criterion that excludes is named"


def test_the_link_reproduces_the_result(client):
    response = client.get(f"{URL}?example={CASE}&status=recruiting&status=completed")
    link = parse(response.text).by_id("result-link").attrs["href"]
    assert link.startswith(URL + "?example=" + CASE)
    again = client.get(link)
    assert again.status_code == 200
    assert li_trials(again.text).keys() == li_trials(response.text).keys()


def test_a_pasted_or_uploaded_case_gives_the_same_result_as_the_example(client):
    text = example_case_text(CASE)
    pasted = client.post(URL, data={"case_text": text, "status": ["recruiting"]})
    uploaded = client.post(URL, data={"status": ["recruiting"]}, files={"case_file": ("case.yaml", text.encode())})
    example = client.get(f"{URL}?example={CASE}&status=recruiting")
    assert pasted.status_code == uploaded.status_code == 200
    assert li_trials(pasted.text).keys() == li_trials(uploaded.text).keys() == li_trials(example.text).keys()
    assert "result-link" not in pasted.text  # a pasted case is not put in a link


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"example": CASE, "near": "somewhere"}, "near"),
        ({"example": CASE, "near": "95, 10"}, "near"),
        ({"example": CASE, "within_km": "50"}, "within_km"),
        ({"example": CASE, "near": "1, 2", "within_km": "-3"}, "within_km"),
        ({"example": CASE, "status": "open"}, "status"),
        ({"example": "no-such-case"}, "example"),
    ],
)
def test_bad_filters_or_case_answer_422_naming_the_field(client, query, field):
    response = client.get(f"{URL}?{urlencode(query)}")
    assert response.status_code == 422
    errors = parse(response.text).by_id("input-errors")
    assert field in [c.text() for c in errors.find_all("code")]


def test_a_broken_pasted_case_lists_its_problems_and_keeps_the_text(client):
    text = "schema_version: '1.1'\ntumour: {er: maybe}\n"
    response = client.post(URL, data={"case_text": text})
    assert response.status_code == 422
    root = parse(response.text)
    assert "$.tumour.er" in root.by_id("input-errors").text()
    assert root.by_id("case-text").text() == " ".join(text.split())


def test_an_empty_store_says_how_to_fill_it(client, tmp_path, monkeypatch):
    monkeypatch.setenv("METASTASIS_TRIALS_FILE", str(tmp_path / "none.jsonl"))
    response = client.get(f"{URL}?example={CASE}")
    assert response.status_code == 200
    assert "No studies are stored" in response.text and "metastasis trials import" in response.text


def test_every_script_is_a_file(client):
    html = client.get(f"{URL}?example={CASE}").text
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
