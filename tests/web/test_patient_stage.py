"""Understand a stage: the form round trips through stage_breast; bad values come back next to their field.

Expected stages are the AJCC 8th edition anatomic stage groups (Hortobagyi et al., AJCC Cancer Staging Manual,
8th ed., breast chapter, 2018 update), typed here from the manual's table:

* Tis N0 M0 = 0; T1 N0 = IA; T0-1 N1mi = IB; T0-1 N1 and T2 N0 = IIA; T2 N1 (and N1mi) and T3 N0 = IIB;
  T0-3 N2 and T3 N1 (and N1mi) = IIIA; T4 N0-2 = IIIB; any T N3 = IIIC; any T any N M1 = IV.
* No group: T0 N0, TX or NX with M0 (not assessed), Tis with any nodal disease (not a valid combination).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.api import create_app
from tests.web.test_patient_html import Node, parse

T = ("TX", "T0", "Tis", "T1", "T2", "T3", "T4")
N = ("NX", "N0", "N1mi", "N1", "N2", "N3")
M0_GRID = {
    "TX": (None, None, None, None, None, "IIIC"),
    "T0": (None, None, "IB", "IIA", "IIIA", "IIIC"),
    "Tis": (None, "0", None, None, None, None),
    "T1": (None, "IA", "IB", "IIA", "IIIA", "IIIC"),
    "T2": (None, "IIA", "IIB", "IIB", "IIIA", "IIIC"),
    "T3": (None, "IIB", "IIIA", "IIIA", "IIIA", "IIIC"),
    "T4": (None, "IIIB", "IIIB", "IIIB", "IIIB", "IIIC"),
}
NOT_SURE = {"er": "unknown", "pr": "unknown", "her2": "unknown", "grade": "unknown"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def post(client: TestClient, **fields: str) -> tuple[int, Node]:
    response = client.post("/patient/stage", data=fields)
    assert response.headers["content-type"].startswith("text/html")
    return response.status_code, parse(response.text)


def headline(root: Node) -> str:
    return root.by_id("result").find_all("p", class_="stage-big")[0].text()


def selected(root: Node, name: str) -> list[str]:
    select = root.by_id(name)
    return [option.attrs["value"] for option in select.find_all("option") if "selected" in option.attrs]


@pytest.mark.parametrize(("t", "n"), [(t, n) for t in T for n in N])
def test_every_t_and_n_with_m0_gives_the_ajcc8_anatomic_stage(client, t, n):
    expected = M0_GRID[t][N.index(n)]
    status, root = post(client, t=t, n=n, m="M0", **NOT_SURE)
    assert status == 200
    assert headline(root) == (f"Stage {expected}" if expected else "No stage from these details")


@pytest.mark.parametrize(("t", "n"), [(t, n) for t in T for n in N])
def test_every_t_and_n_with_m1_is_stage_iv(client, t, n):
    status, root = post(client, t=t, n=n, m="M1", **NOT_SURE)
    assert status == 200
    assert headline(root) == "Stage IV"


def test_t2_n1_m0_without_receptor_results_is_stage_iib_with_the_explanation_and_sources(client):
    status, root = post(client, t="T2", n="N1", m="M0")
    assert status == 200
    result = root.by_id("result")
    assert result.attrs["aria-live"] == "polite"
    assert "Stage IIB" in result.text()
    text = result.text()
    assert "stage 2B" in text  # the plain explanation uses Arabic numerals
    assert "What to do now" in text
    assert result.find_all("div", class_="now")
    # The sources are numbered footnotes to one readable list at the end of the page (never the library's ids).
    cited = {a.attrs["href"] for a in result.find_all("a") if a.attrs.get("href", "").startswith("#ref-")}
    assert cited
    references = {li.attrs["id"]: li.text() for li in root.by_id("page-sources").find_all("li")}
    assert {href[1:] for href in cited} <= set(references)
    assert any("AJCC Cancer Staging Manual" in text and "2017" in text for text in references.values())
    assert not any("commit" in text or "tnm_8_" in text for text in references.values())


@pytest.mark.parametrize(
    ("fields", "stage"),
    [
        # AJCC 8th clinical prognostic stage: T1 N0 M0, G1, HER2-, ER+, PR+ -> IA.
        ({"t": "T1", "n": "N0", "m": "M0", "grade": "1", "er": "positive", "pr": "positive", "her2": "negative"}, "IA"),
        # T2 N0 M0 (anatomic IIA), G3, triple-negative -> clinical prognostic IIB.
        (
            {"t": "T2", "n": "N0", "m": "M0", "grade": "3", "er": "negative", "pr": "negative", "her2": "negative"},
            "IIB",
        ),
        ({"t": "T1", "n": "N0", "m": "M1", "grade": "1", "er": "positive", "pr": "positive", "her2": "negative"}, "IV"),
    ],
)
def test_receptor_results_and_grade_give_the_prognostic_stage(client, fields, stage):
    status, root = post(client, **fields)
    assert status == 200
    assert headline(root) == f"Stage {stage}"


def test_the_form_keeps_the_posted_values(client):
    _, root = post(client, t="T3", n="N2", m="M0", er="positive", pr="negative", her2="unknown", grade="2")
    assert selected(root, "t") == ["T3"]
    assert selected(root, "n") == ["N2"]
    assert selected(root, "er") == ["positive"]
    assert selected(root, "pr") == ["negative"]
    assert selected(root, "grade") == ["2"]


@pytest.mark.parametrize(
    ("field", "bad"),
    [("t", "T5"), ("n", "N4"), ("m", "MX"), ("er", "maybe"), ("her2", "3+"), ("grade", "7")],
)
def test_a_bad_value_is_a_422_with_the_problem_next_to_its_field_and_the_values_kept(client, field, bad):
    fields = {"t": "T2", "n": "N1", "m": "M0", **NOT_SURE, field: bad}
    status, root = post(client, **fields)
    assert status == 422
    box = root.by_id(f"field-{field}")
    problem = box.find_all("span", class_="problem")[0]
    assert bad in problem.text()
    control = root.by_id(field)
    assert control.attrs["aria-invalid"] == "true"
    assert f"{field}-error" in control.attrs["aria-describedby"].split()
    assert selected(root, field) == [bad]
    kept = {name: value for name, value in fields.items() if name != field}
    for name, value in kept.items():
        assert selected(root, name) == [value]
    summary = root.by_id("input-errors")
    assert summary.attrs["role"] == "alert"
    assert f"#field-{field}" in {a.attrs["href"] for a in summary.find_all("a")}
    assert not root.by_id("result").find_all("p", class_="stage-big")


def test_a_missing_answer_is_a_422_asking_for_an_answer(client):
    status, root = post(client, t="T2", n="N1", **NOT_SURE)
    assert status == 422
    assert root.by_id("m-error").text() == "Please choose an answer here."
    assert selected(root, "m") == [""]


def test_the_get_form_starts_with_choose_one_and_not_sure(client):
    root = parse(client.get("/patient/stage").text)
    form = root.by_id("stage-form")
    assert form.attrs["method"] == "post"
    names = [node.attrs["name"] for node in form.find_all("select")]
    assert names == ["t", "n", "m", "er", "pr", "her2", "grade"]
    for name in ("t", "n", "m"):
        assert selected(root, name) == [""]
        assert "required" in root.by_id(name).attrs
    for name in ("er", "pr", "her2", "grade"):
        assert selected(root, name) == ["unknown"]
    assert form.find_all("button", type="submit")


def test_category_options_carry_the_plain_meaning(client):
    root = parse(client.get("/patient/stage").text)
    options = {o.attrs["value"]: o.text() for o in root.by_id("t").find_all("option")}
    # AJCC 8th: T2 is a tumour more than 20 mm but not more than 50 mm.
    assert options["T2"].startswith("T2 — ")
    assert "2 cm" in options["T2"]
    assert "5 cm" in options["T2"]
    assert options["TX"] == "Not sure (TX)"
    assert [o.attrs["value"] for o in root.by_id("m").find_all("option")] == ["", "M0", "M1"]
    n_values = [o.attrs["value"] for o in root.by_id("n").find_all("option")]
    assert n_values == ["", "N0", "N1mi", "N1", "N2", "N3", "NX"]


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(t=TEXT, n=TEXT, m=TEXT, er=TEXT, grade=TEXT)
def test_no_posted_text_gives_a_server_error(client, t, n, m, er, grade):
    status, root = post(client, t=t, n=n, m=m, er=er, grade=grade)
    assert status in (200, 422)
    assert len(root.find_all("h1")) == 1
