"""Clinician calculators: the index lists every one, each page renders, each catalogued example gives its result
with sources, results match values typed from the published tables, and bad input comes back next to the field.

Expected values are typed from the sources, not read from the package's data:
Mirels 1989 (site: upper limb 1, lower limb 2, peritrochanteric 3; pain: mild 1, moderate 2, functional 3;
lesion: blastic 1, mixed 2, lytic 3; size: < 1/3 1, 1/3-2/3 2, > 2/3 3), Fisher 2010 SINS, AJCC 8th anatomic
stage groups, the common albumin correction (Ca + 0.02 x (40 - albumin g/L)), Galea 1992 NPI, Bauer 1995.
"""

from __future__ import annotations

import itertools
import re

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api.catalogue import OPERATIONS
from metastasis.web.clinician_forms import fields_for
from metastasis.web.clinician_specs import spec_of
from metastasis.web.clinician_tools import CALCULATOR_GROUPS, calculators
from tests.web.test_clinician_html import read

CALCULATORS = sorted(calculators())


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


def as_form(example: dict) -> dict:
    """A catalogue example as a browser would post it (ticked boxes as "true", unticked ones left out)."""
    form: dict = {}
    for name, value in example.items():
        if isinstance(value, bool):
            if value:
                form[name] = "true"
        elif isinstance(value, list):
            form[name] = [str(v) for v in value]
        elif value is not None:
            form[name] = str(value)
    return form


def result_text(html: str) -> str:
    return read(html).text_of("result")


def test_the_index_links_every_calculator_simulation_and_the_case_page(client) -> None:
    page = read(client.get("/clinician").text)
    links = {a.attrs["href"].removeprefix("http://testserver") for a in page.all("a") if "href" in a.attrs}
    expected = {f"/clinician/calc/{op.name}" for op in OPERATIONS if op.group in CALCULATOR_GROUPS}
    assert expected and expected <= links
    assert {"/clinician/simulate/spread", "/clinician/simulate/cascade", "/clinician/simulate/bone"} <= links
    assert "/clinician/case" in links
    headings = [" ".join(h.text.split()) for h in page.all("h2")]
    for heading in ("Staging", "Bone scores", "Spine", "Calcium and performance status", "Triage", "Prediction"):
        assert heading in headings
    assert headings[-2:] == ["Case report", "Simulations"]


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_calculator_page_renders_its_form(client, name: str) -> None:
    response = client.get(f"/clinician/calc/{name}")
    assert response.status_code == 200
    page = read(response.text)
    controls = {e.attrs.get("name") for e in page.elements if e.tag in ("input", "select", "textarea")}
    assert set(calculators()[name].request_model.model_fields) - {"fractions"} <= controls
    assert page.text_of("result") == ""


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_catalogued_example_gives_a_result_with_sources(client, name: str) -> None:
    op = calculators()[name]
    response = client.post(f"/clinician/calc/{name}", data=as_form(dict(op.example)))
    assert response.status_code == 200, result_text(response.text)
    page = read(response.text)
    assert "Result" in page.text_of("result-title")
    sources = [e for e in page.elements if e.attrs.get("id", "").startswith("src-")]
    assert sources, "every result lists its sources"
    assert not [e for e in page.elements if e.attrs.get("aria-invalid") == "true"]


def test_unknown_calculator_is_a_404_page(client) -> None:
    for path in ("/clinician/calc/no_such_score", "/clinician/calc/simulate_spread"):
        response = client.get(path)
        assert response.status_code == 404
        assert "text/html" in response.headers["content-type"] and "<h1" in response.text
    assert client.post("/clinician/calc/no_such_score", data={}).status_code == 404


MIRELS = {
    "site": {"upper_limb": 1, "lower_limb": 2, "peritrochanteric": 3},
    "pain": {"mild": 1, "moderate": 2, "functional": 3},
    "lesion": {"blastic": 1, "mixed": 2, "lytic": 3},
    "size": {"lt_one_third": 1, "one_third_to_two_thirds": 2, "gt_two_thirds": 3},
}


def test_mirels_totals_for_every_combination(client) -> None:
    """All 81 answers: the total is the sum of Mirels' points, shown in the headline and the breakdown."""
    for choice in itertools.product(*(items.items() for items in MIRELS.values())):
        data = {item: value for item, (value, _) in zip(MIRELS, choice, strict=True)}
        total = sum(points for _, points in choice)
        text = result_text(client.post("/clinician/calc/scores_mirels", data=data).text)
        assert f"Total {total} " in text, (data, text[:200])
        assert re.search(rf"Total {total}\b.*Total {total}\b", text), "the breakdown's total row"


def test_mirels_lower_limb_functional_lytic_over_two_thirds(client) -> None:
    # 2 (lower limb) + 3 (functional) + 3 (lytic) + 3 (> 2/3) = 11: high risk (9 or more).
    data = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}
    text = result_text(client.post("/clinician/calc/scores_mirels", data=data).text)
    assert "Total 11" in text and "High risk" in text


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # junctional 3, mechanical pain 3, lytic 2, normal alignment 0, < 50% collapse 2, unilateral 1
        (("junctional", "mechanical", "lytic", "normal", "lt_50", "unilateral"), 11, "Potentially unstable"),
        # rigid (S2-S5) 0, no pain 0, blastic 0, normal 0, no collapse 0, none 0
        (("rigid", "none", "blastic", "normal", "none", "none"), 0, "Stable"),
        # junctional 3, mechanical 3, lytic 2, subluxation 4, > 50% collapse 3, bilateral 3
        (("junctional", "mechanical", "lytic", "subluxation", "gt_50", "bilateral"), 18, "Unstable"),
    ],
)
def test_sins_totals_follow_fisher_2010(client, answers, total: int, band: str) -> None:
    items = ("location", "pain", "lesion", "alignment", "collapse", "posterolateral")
    text = result_text(client.post("/clinician/calc/scores_sins", data=dict(zip(items, answers, strict=True))).text)
    assert f"Total {total} — {band}" in text


@pytest.mark.parametrize(
    ("t", "n", "m", "stage"),
    [
        ("pT2", "pN1a", "cM0", "IIB"),
        ("cT1", "cN0", "cM1", "IV"),
        ("pT1c", "pN0", "cM0", "IA"),
        ("cT3", "cN2", "cM0", "IIIA"),
    ],
)
def test_staging_shows_the_anatomic_stage(client, t: str, n: str, m: str, stage: str) -> None:
    text = result_text(client.post("/clinician/calc/staging_breast", data={"t": t, "n": n, "m": m}).text)
    assert f"Anatomic stage {stage} " in text


def test_staging_with_biomarkers_shows_the_prognostic_stage(client) -> None:
    data = {"t": "pT2", "n": "pN1a", "m": "cM0", "grade": "2", "er": "positive", "pr": "negative", "her2": "negative"}
    text = result_text(client.post("/clinician/calc/staging_breast", data=data).text)
    assert "Anatomic stage IIB" in text and "Prognostic stage" in text and "pathological prognostic stage table" in text


def test_corrected_calcium_npi_bauer_and_tomita(client) -> None:
    # 2.6 + 0.02 x (40 - 30) = 2.8 mmol/L
    text = result_text(
        client.post("/clinician/calc/calcium_corrected", data={"calcium": "2.6", "albumin": "30", "units": "si"}).text
    )
    assert "Corrected calcium 2.8 mmol/L" in text
    # 0.2 x 2.2 cm + 2 (1-3 nodes) + 2 (grade 2) = 4.44
    text = result_text(
        client.post("/clinician/calc/predict_npi", data={"size_mm": "22", "nodes": "1", "grade": "2"}).text
    )
    assert "NPI 4.44" in text
    # breast 2 + no visceral 1 + no fracture 1 + solitary 1 = 5
    data = {
        "primary": "breast",
        "visceral_metastases": "no",
        "pathological_fracture": "no",
        "solitary_skeletal_metastasis": "yes",
    }
    assert "Total 5 " in result_text(client.post("/clinician/calc/scores_bauer", data=data).text)
    # Tomita: slow growth 1 + no visceral 0 + solitary 1 = 2
    data = {"primary_growth": "slow", "visceral_metastases": "none", "bone_metastases": "solitary"}
    assert "Total 2 " in result_text(client.post("/clinician/calc/scores_tomita", data=data).text)


def test_hypercalcaemia_grade_and_bilsky(client) -> None:
    # CTCAE v5: corrected calcium > 3.1 - 3.4 mmol/L is grade 3
    data = {"calcium": "3.2", "units": "si", "uln": "2.6"}
    assert "CTCAE grade 3" in result_text(client.post("/clinician/calc/calcium_hypercalcaemia_grade", data=data).text)
    text = result_text(client.post("/clinician/calc/scores_bilsky", data={"grade": "2"}).text)
    assert "grade 2" in text and "high grade" in text


def test_triage_red_flags_raise_the_emergency_banner(client) -> None:
    page = read(client.post("/clinician/calc/triage", data={"symptoms": ["back_pain", "limb_weakness"]}).text)
    banners = [e for e in page.elements if e.attrs.get("class", "").startswith("banner ")]
    assert len(banners) == 1 and banners[0].attrs["class"] == "banner emergency_now"
    assert banners[0].attrs.get("role") == "alert"
    # NICE NG234: the clinician sees the immediate management of suspected cord compression first
    text = result_text(client.post("/clinician/calc/triage", data={"symptoms": ["back_pain", "limb_weakness"]}).text)
    assert "dexamethasone 16 mg" in text and "neutral alignment" in text
    routine = read(client.post("/clinician/calc/triage", data={"symptoms": ["fatigue"]}).text)
    (banner,) = [e for e in routine.elements if e.attrs.get("class", "").startswith("banner ")]
    assert banner.attrs.get("role") is None  # only an emergency interrupts


def test_predict_shows_its_charts_and_the_table_at_5_10_15_years(client) -> None:
    data = {"age": "55", "size_mm": "22", "nodes": "1", "grade": "2", "er": "positive", "chemo": "third_generation"}
    data |= {"hormone_years": "5", "radiotherapy": "true"}
    response = client.post("/clinician/calc/predict_breast", data=data)
    assert response.status_code == 200  # hormone_years is Literal[0, 5, 10]: the posted "5" is read as 5
    page = read(response.text)
    figure = page.by_id("fig-predict-outcomes")
    assert figure is not None and "<svg" in response.text and 'role="img"' in response.text
    years = re.findall(r"<tr[^>]*><td>(\d+)</td><td>(Surgery only|\+ [^<]+)</td>", response.text)
    assert [year for year, _ in years] == ["5"] * 4 + ["10"] * 4 + ["15"] * 4  # surgery only + 3 treatments
    assert "Surgery only" in page.text_of("result") and "+ Hormone" in page.text_of("result")


BAD_INPUT = [
    # (calculator, form, field with the problem, a value that must be kept in the form)
    ("scores_mirels", {"site": "elbow", "pain": "mild", "lesion": "lytic", "size": "lt_one_third"}, "site", None),
    ("scores_mirels", {"pain": "mild"}, "site", None),  # missing required choices
    ("staging_breast", {"t": "pT9", "n": "pN1a", "m": "cM0"}, "t", "pT9"),
    ("staging_breast", {"t": "pT2", "n": "pN1a", "m": "cM0", "oncotype_rs": "high"}, "oncotype_rs", "high"),
    ("staging_breast", {"t": "pT2", "n": "pN1a", "m": "cM0", "er": "maybe"}, "er", None),
    ("predict_breast", {"age": "15", "size_mm": "22", "nodes": "1", "grade": "2", "er": "positive"}, "age", "15"),
    ("predict_breast", {"age": "55", "size_mm": "22", "nodes": "1.5", "grade": "2", "er": "positive"}, "nodes", "1.5"),
    (
        "predict_breast",
        {"age": "55", "size_mm": "22", "nodes": "1", "grade": "2", "er": "positive", "hormone_years": "7"},
        "hormone_years",
        None,
    ),
    ("calcium_corrected", {"calcium": "-1", "albumin": "30", "units": "si"}, "calcium", "-1"),
    ("performance_karnofsky", {"score": "85"}, "score", "85"),
    ("triage", {"symptoms": ["hiccups"]}, "symptoms", None),
    ("triage", {}, "symptoms", None),
    ("treatment_options", {"subtype": "luminal-z", "sites": ["bone"]}, "subtype", None),
    (
        "knowledge_presentation",
        {"diagnosis_date": "2024-13-01", "metastasis_date": "2024-01-01"},
        "diagnosis_date",
        "2024-13-01",
    ),
    ("scores_tokuhashi", {"kps": "seventy"}, "kps", "seventy"),
]


@pytest.mark.parametrize(("name", "form", "field", "kept"), BAD_INPUT)
def test_bad_input_is_a_422_with_the_problem_next_to_the_field(client, name, form, field, kept) -> None:
    response = client.post(f"/clinician/calc/{name}", data=form)
    assert response.status_code == 422
    page = read(response.text)
    problem = page.by_id(f"{field}-error")
    assert problem is not None and problem.text.strip(), f"no problem shown at {field}"
    control = page.by_id(field) or page.by_id(f"field-{field}")
    assert control is not None
    described = control.attrs.get("aria-describedby", "")
    assert f"{field}-error" in described.split()
    if control.tag in ("input", "select"):
        assert control.attrs.get("aria-invalid") == "true"
    if kept is not None:
        assert control.attrs.get("value") == kept
    summary = page.by_id("input-errors")
    assert summary is not None and summary.attrs.get("role") == "alert"
    assert any(a.attrs.get("href") == f"#field-{field}" for a in page.all("a")), "the summary links to the field"
    assert "Result" not in page.text_of("result")


def test_other_values_are_kept_when_one_is_wrong(client) -> None:
    form = {"t": "pT2", "n": "pN7", "m": "cM0", "grade": "3", "er": "negative", "her2": "positive"}
    page = read(client.post("/clinician/calc/staging_breast", data=form).text)
    assert page.by_id("t").attrs["value"] == "pT2" and page.by_id("m").attrs["value"] == "cM0"
    for name, value in (("grade", "3"), ("er", "negative"), ("her2", "positive")):
        (chosen,) = [
            o for o in page.all("option") if "selected" in o.attrs and o.ancestors[-1].attrs.get("name") == name
        ]
        assert chosen.attrs["value"] == value
    ticked = read(client.post("/clinician/calc/triage", data={"symptoms": ["seizure", "nonsense"]}).text)
    checked = [i.attrs["value"] for i in ticked.all("input", name="symptoms") if "checked" in i.attrs]
    assert checked == ["seizure"]


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_offered_choice_is_accepted_by_the_library(name: str) -> None:
    """Choices the page adds from the library's data (symptoms, sites, subtypes, statuses) are all valid."""
    op = calculators()[name]
    base = dict(op.example)
    added = spec_of(op).choices
    for f in fields_for(op):
        if f.name not in added:
            continue
        for value, _ in f.choices:
            # a list choice is added to the example's list (regional nodes alone are, rightly, not metastatic)
            data = {**base, f.name: [*base.get(f.name, []), value] if f.kind == "multi" else value}
            if f.name == "hormone_years":
                data[f.name] = int(value)
            result = op.run(op.request_model.model_validate(data))  # raises on a choice the library refuses
            assert result.sources, f"{name}: {f.name}={value} gave a result without sources"


ODD_VALUES = ["", "zzz", "nan", "1e309", "-1", "0", "99999999999999999999", "<script>x</script>", "T2\x00", "é" * 300]


@pytest.mark.parametrize("name", CALCULATORS)
def test_no_odd_value_in_any_field_gives_a_500(client, name: str) -> None:
    """Each field of the example in turn replaced by odd text: a result or a 422, never a server error."""
    op = calculators()[name]
    example = as_form(dict(op.example))
    for i, field_name in enumerate(op.request_model.model_fields):
        odd = ODD_VALUES[(i + len(name)) % len(ODD_VALUES)]
        response = client.post(f"/clinician/calc/{name}", data={**example, field_name: odd})
        assert response.status_code in (200, 422), (field_name, odd, response.status_code)
        assert "<script>x</script>" not in response.text  # every value is escaped
