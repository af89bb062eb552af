"""Symptoms to watch: the triage form, its urgency banner, and the permanent red-flag list.

Red flags typed from the guidance the rules cite: spinal pain with limb weakness (NICE NG234 / CG75: suspected
metastatic spinal cord compression), radicular back pain, new limb weakness or trouble walking, saddle numbness,
loss of bladder or bowel control (Scottish MSCC referral guideline), a seizure (raised intracranial pressure),
and a bone that may have broken (pathological fracture) each call for emergency help on their own.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.api import create_app
from metastasis.assess.triage import symptom_vocabulary
from tests.web.test_patient_html import Node, parse

EMERGENCY_ALONE = {
    "back_pain_radiating",
    "limb_weakness",
    "difficulty_walking",
    "saddle_numbness",
    "bladder_control_loss",
    "bowel_control_loss",
    "seizure",
    "pathological_fracture",
}
EMERGENCY_ACTION = "Call emergency services now"


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def post(client: TestClient, symptoms: list[str]) -> tuple[int, Node]:
    response = client.post("/patient/symptoms", data={"symptoms": symptoms})
    return response.status_code, parse(response.text)


def banners(root: Node) -> list[Node]:
    return root.by_id("result").find_all("div", class_="banner")


def test_back_pain_with_leg_weakness_shows_the_emergency_banner_first(client):
    status, root = post(client, ["back_pain", "limb_weakness"])
    assert status == 200
    result = root.by_id("result")
    (banner,) = banners(root)
    assert {"banner", "emergency_now"} <= banner.classes
    assert banner.attrs["role"] == "alert"
    assert EMERGENCY_ACTION in banner.text()
    assert "Get help now" in banner.text()
    first = next(node for node in result.walk() if node.tag in ("div", "p", "h2") and node is not result)
    assert first is banner, "what to do now comes first"
    assert "not a diagnosis" in result.text()
    # The banner offers the emergency numbers to tap, and its heading takes the focus after an htmx swap.
    assert [a.attrs["href"] for a in banner.find_all("a")] == ["tel:999", "tel:911", "tel:112"]
    heading = root.by_id("result-heading")
    assert heading.attrs["tabindex"] == "-1"
    assert any(node is banner for node in heading.ancestors())
    # The reasons cite numbered sources listed at the end of the page.
    cited = {a.attrs["href"][1:] for a in result.find_all("a") if a.attrs["href"].startswith("#ref-")}
    assert cited and cited <= {li.attrs["id"] for li in root.by_id("page-sources").find_all("li")}


def test_cord_compression_tells_the_patient_to_lie_flat_and_says_it_once(client):
    # NICE NG234: suspected MSCC - keep the spine still until stability is assessed; one situation, one message
    _, root = post(client, ["back_pain", "limb_weakness", "difficulty_walking"])
    (banner,) = banners(root)
    assert "Lie flat and keep your back still" in banner.text()
    reasons = root.by_id("result").find_all("li", class_="lib")
    assert len(reasons) == 1 and "spinal cord" in reasons[0].text()
    assert "within a day" not in root.by_id("result").text()


def test_a_routine_symptom_gives_no_emergency_banner(client):
    status, root = post(client, ["fatigue"])
    assert status == 200
    (banner,) = banners(root)
    assert "emergency_now" not in banner.classes
    assert "routine" in banner.classes
    assert banner.attrs["role"] == "status"
    assert EMERGENCY_ACTION not in banner.text()


def test_back_pain_alone_is_same_day(client):
    # NICE CG75: spinal pain suggestive of metastases -> contact the MSCC coordinator within 24 hours.
    _, root = post(client, ["back_pain"])
    (banner,) = banners(root)
    assert "same_day" in banner.classes


@pytest.mark.parametrize("code", sorted(symptom_vocabulary()))
def test_each_symptom_alone_gives_the_emergency_banner_only_for_a_red_flag(client, code):
    status, root = post(client, [code])
    assert status == 200
    (banner,) = banners(root)
    assert ("emergency_now" in banner.classes) == (code in EMERGENCY_ALONE)


def test_every_symptom_of_the_vocabulary_has_a_labelled_checkbox_in_a_group(client):
    root = parse(client.get("/patient/symptoms").text)
    form = root.by_id("triage-form")
    boxes = form.find_all("input", type="checkbox")
    assert {box.attrs["value"] for box in boxes} == set(symptom_vocabulary())
    assert len(boxes) == len(symptom_vocabulary())
    assert all(box.attrs["name"] == "symptoms" for box in boxes)
    for box in boxes:
        label = root.find_all("label", for_=box.attrs["id"])
        assert len(label) == 1
        assert symptom_vocabulary()[box.attrs["value"]] in label[0].text()
    groups = [node for node in form.find_all("fieldset") if node.attrs.get("id") != "triage-fields"]
    assert len(groups) >= 5
    assert sum(len(g.find_all("input")) for g in groups) == len(boxes)


def test_the_red_flag_list_is_always_shown(client):
    for root in (parse(client.get("/patient/symptoms").text), post(client, ["fatigue"])[1]):
        box = root.find_all("section", class_="help-now")[0]
        assert box.text().startswith("Red flags: call for help now if")
        flags = box.find_all("ul", class_="red-flags")[0].find_all("li")
        assert len(flags) >= 8
        assert all(li.find_all("sup", class_="fn") for li in flags), "each red flag cites its sources"
        assert "not a diagnosis" in box.text()


def test_ticked_symptoms_are_kept(client):
    _, root = post(client, ["seizure", "fatigue"])
    checked = {box.attrs["value"] for box in root.find_all("input", type="checkbox") if "checked" in box.attrs}
    assert checked == {"seizure", "fatigue"}


def test_nothing_ticked_is_a_422_with_the_problem_next_to_the_symptoms(client):
    status, root = post(client, [])
    assert status == 422
    assert root.by_id("symptoms-error").text() == "Please tick at least one symptom."
    assert "symptoms-error" in root.by_id("triage-fields").attrs["aria-describedby"]
    assert root.by_id("input-errors").attrs["role"] == "alert"
    assert not banners(root)


def test_an_unknown_symptom_code_is_a_422_and_is_named(client):
    status, root = post(client, ["back_pain", "hiccups"])
    assert status == 422
    assert "hiccups" in root.by_id("symptoms-error").text()
    checked = {box.attrs["value"] for box in root.find_all("input", type="checkbox") if "checked" in box.attrs}
    assert checked == {"back_pain"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(sorted(symptom_vocabulary())), st.text(max_size=20)), max_size=6))
def test_no_posted_symptom_list_gives_a_server_error(client, symptoms):
    status, root = post(client, symptoms)
    assert status in (200, 422)
    assert len(root.find_all("h1")) == 1
