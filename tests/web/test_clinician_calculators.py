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
from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from metastasis.api import create_app
from metastasis.api.catalogue import OPERATIONS
from metastasis.web.clinician_forms import fields_for, run_form
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


def links_of(page) -> set[str]:
    return {a.attrs["href"] for a in page.all("a") if "href" in a.attrs}


PERFORMANCE_PAGES = {
    "performance_ecog",
    "performance_karnofsky",
    "performance_ecog_to_kps_ecog_acrin",
    "performance_ecog_to_kps_buccheri_1996",
    "performance_ecog_to_kps_prasad_2018",
    "performance_kps_to_ecog_ecog_acrin",
    "performance_kps_to_ecog_buccheri_1996",
    "performance_kps_to_ecog_prasad_2018",
}


def test_the_index_links_every_calculator_simulation_and_the_case_page(client) -> None:
    page = read(client.get("/clinician").text)
    links = links_of(page)
    expected = {f"/clinician/calc/{op.name}" for op in OPERATIONS if op.group in CALCULATOR_GROUPS}
    # the eight ECOG/Karnofsky pages share one tile (the ECOG page), which links to the seven others
    tiles = expected - {f"/clinician/calc/{name}" for name in PERFORMANCE_PAGES - {"performance_ecog"}}
    assert tiles and tiles <= links
    assert len([a for a in page.all("a") if a.attrs.get("href", "").startswith("/clinician/calc/performance")]) == 1
    ecog = links_of(read(client.get("/clinician/calc/performance_ecog").text))
    assert {f"/clinician/calc/{name}" for name in PERFORMANCE_PAGES} <= ecog
    assert expected <= links | ecog
    assert {"/clinician/simulate/spread", "/clinician/simulate/cascade", "/clinician/simulate/bone"} <= links
    assert "/clinician/case" in links
    headings = [" ".join(h.text.split()) for h in page.all("h2")]
    for heading in ("Staging", "Bone scores", "Spine", "Calcium and performance status", "Triage", "Prediction"):
        assert heading in headings
    assert headings[-3:] == ["Case report", "Clinical trials", "Simulations"]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("mir", ["Mirels' score"]),
        ("MIR", ["Mirels' score"]),
        ("bilsky", ["Bilsky ESCC grade"]),
        ("karnofsky", ["ECOG and Karnofsky performance status"]),
        ("hypercalcaemia grade", ["Hypercalcaemia grade (CTCAE v5)"]),
    ],
)
def test_the_index_search_works_without_javascript(client, query: str, titles: list[str]) -> None:
    page = read(client.get("/clinician", params={"q": query}).text)
    tiles = [
        a.text.strip() for a in page.all("a") if a.inside("li") and "tile" in a.inside("li").attrs.get("class", "")
    ]
    assert sorted(tiles) == sorted(titles), (query, tiles)
    assert page.by_id("tool-q").attrs["value"] == query


def test_a_search_matching_nothing_says_so_and_offers_everything(client) -> None:
    response = client.get("/clinician", params={"q": "zzzz"})
    assert response.status_code == 200
    page = read(response.text)
    assert not [li for li in page.all("li") if "tile" in li.attrs.get("class", "")]
    assert "No tool matches" in " ".join(page.all("main")[0].text.split())
    long = client.get("/clinician", params={"q": "mirels " * 1000})
    assert long.status_code == 200 and len(read(long.text).by_id("tool-q").attrs["value"]) <= 80


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_calculator_page_renders_its_form(client, name: str) -> None:
    response = client.get(f"/clinician/calc/{name}")
    assert response.status_code == 200
    page = read(response.text)
    controls = {e.attrs.get("name") for e in page.elements if e.tag in ("input", "select", "textarea")}
    assert set(calculators()[name].request_model.model_fields) - {"fractions"} <= controls
    assert page.text_of("result") == "Result Fill in the inputs and choose Calculate; the result appears here."
    assert page.by_id("result-heading").attrs.get("tabindex") == "-1"


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_catalogued_example_gives_a_result_with_sources(client, name: str) -> None:
    op = calculators()[name]
    response = client.post(f"/clinician/calc/{name}", data=as_form(dict(op.example)))
    assert response.status_code == 200, result_text(response.text)
    page = read(response.text)
    assert "Result" in page.text_of("result-heading")
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
    assert re.search(rf"Anatomic stage {stage}\b", text), text[:200]


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
    assert "Grade 2 — High-grade" in text


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
    ("staging_breast", {"t": "pT9", "n": "pN1a", "m": "cM0"}, "t", None),
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
    ("performance_karnofsky", {"score": "85"}, "score", None),
    ("triage", {"symptoms": ["hiccups"]}, "symptoms", None),
    ("triage", {}, "symptoms", None),
    ("treatment_options", {"subtype": "luminal-z", "sites": ["bone"]}, "subtype", None),
    (
        "knowledge_presentation",
        {"diagnosis_date": "2024-13-01", "metastasis_date": "2024-01-01"},
        "diagnosis_date",
        "2024-13-01",
    ),
    ("scores_tokuhashi", {"kps": "seventy"}, "kps", None),
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
    for name, value in (("t_prefix", "p"), ("t", "T2"), ("m_prefix", "c"), ("m", "M0"), ("er", "negative")):
        (chosen,) = [
            o for o in page.all("option") if "selected" in o.attrs and o.ancestors[-1].attrs.get("name") == name
        ]
        assert chosen.attrs["value"] == value
    (grade,) = [i for i in page.all("input", name="grade") if "checked" in i.attrs]
    assert grade.attrs["value"] == "3"
    ticked = read(client.post("/clinician/calc/triage", data={"symptoms": ["seizure", "nonsense"]}).text)
    checked = [i.attrs["value"] for i in ticked.all("input", name="symptoms") if "checked" in i.attrs]
    assert checked == ["seizure"]


@pytest.mark.parametrize("name", CALCULATORS)
def test_every_offered_choice_is_accepted_by_the_library(name: str) -> None:
    """Every choice a page offers (radio, select, TNM category and prefix) is accepted by the library for its field:
    posted on top of the catalogued example, it gives a result, or a problem with another field only (SI calcium
    posted with conventional units is rightly refused at the calcium)."""
    op = calculators()[name]
    base = as_form(dict(op.example))

    def own_problems(form: dict, name: str) -> list:
        done = run_form(
            op, FormData([(k, v) for k, vs in form.items() for v in (vs if isinstance(vs, list) else [vs])])
        )
        if done.result is not None:
            assert done.result.sources, f"{name}: {form} gave a result without sources"
        others = [str(v) for k, v in form.items() if k != name and isinstance(v, str) and len(v) > 2]
        # a refusal because of another input (IHC 3+ with a HER2-negative subtype) is that input's business
        return [p for p in done.problems or [] if p.field == name and not any(o in p.message for o in others)]

    for f in fields_for(op):
        offered = [value for value, _ in f.choices]
        for value in offered:
            form = {**base, f.name: [*base.get(f.name, []), value] if f.kind == "multi" else value}
            if f.widget == "tnm":
                form[f"{f.name}_prefix"] = "c" if f.name == "m" else "p"
            assert not own_problems(form, f.name), f"{name}: {f.name}={value}"
        if f.prefixes:  # every prefix, given to T and N alike (the library refuses a mix of y and non-y)
            for prefix, _ in f.prefixes:
                form = {**base, "t_prefix": prefix, "n_prefix": prefix, f.name: f.value or offered[0]}
                assert not own_problems(form, f.name), f"{name}: prefix {prefix} refused for {f.name}"


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


# --- shareable results, page text, choices with points, pickers -------------------------------------------------


@pytest.mark.parametrize("name", CALCULATORS)
def test_a_get_url_reproduces_the_posted_result(client, name: str) -> None:
    """The example posted, then its "Link to this result" opened: the same result region, link and notes."""
    posted = client.post(f"/clinician/calc/{name}", data=as_form(dict(calculators()[name].example)))
    assert posted.status_code == 200
    page = read(posted.text)
    link = page.by_id("result-link").attrs["href"]
    assert link.startswith(f"/clinician/calc/{name}?")
    shared = client.get(link)
    assert shared.status_code == 200
    assert read(shared.text).text_of("result") == page.text_of("result")
    notes = page.by_id("notes-text")
    assert notes.tag == "textarea" and "readonly" in notes.attrs and link in notes.text
    assert page.all("button", type="button") and page.html.count("data-print") == 1


class _Visible(HTMLParser):
    """Text outside script, style, inline SVG (matplotlib's own) and the notes' text box (it holds the link)."""

    SKIPPED = ("script", "style", "svg", "textarea")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self.SKIPPED:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if not self.depth:
            self.words.append(data)


def visible_text(html: str) -> str:
    reader = _Visible()
    reader.feed(html)
    return " ".join(" ".join(reader.words).split())


LITERALS = [
    re.compile(r"\b(?:None|True|False)\b(?=\s*(?:[,;/)`]|to\b|or\b|for\b))"),  # "None to decide", "True, ..."
    re.compile(r"(?:or|/)\s*\b(?:None|True|False)\b"),  # '"unknown"/None'
    re.compile(r"[\"'`]{1,2}[a-z0-9_+-]+[\"'`]{1,2}\s*(?:/|,|or\b)"),  # quoted enum lists
    re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b"),  # snake_case: parameter names and codes
]


def literals_in(text: str) -> list[str]:
    return [m.group(0) for pattern in LITERALS for m in pattern.finditer(text)]


def test_the_literal_scanner_finds_what_the_issue_saw() -> None:
    assert literals_in('"positive"/"+"/True, "negative"')
    assert literals_in("None to decide from the prefixes")
    assert literals_in("1 to max_lesions (5)")
    assert not literals_in("None of the above. Not given. True positives are rare; grade 3 or more")


@pytest.mark.parametrize("name", CALCULATORS)
def test_no_page_shows_python_literals_or_parameter_names(client, name: str) -> None:
    op = calculators()[name]
    for response in (
        client.get(f"/clinician/calc/{name}"),
        client.post(f"/clinician/calc/{name}", data=as_form(dict(op.example))),
    ):
        form_text = visible_text(response.text.split('<div id="result"')[0])
        assert literals_in(form_text) == [], name
        params = [p for p in op.request_model.model_fields if "_" in p]
        assert not [p for p in params if re.search(rf"\b{p}\b", form_text)]
    # the answer itself (the evidence's reasons and a triage's rule ids are folded technical detail)
    answer = response.text.split('<div id="result"')[1].split('<section class="evidence"')[0]
    answer = answer.split('<details class="technical"')[0]
    assert literals_in(visible_text(f"<div {answer}")) == [], name


def choice_points(html: str, name: str) -> dict[str, str]:
    """Each radio's value and the points shown beside it."""
    page = read(html)
    found = {}
    for e in page.all("input", type="radio", name=name):
        label = e.inside("label")
        badge = [x for x in page.elements if x.tag == "span" and x.attrs.get("class") == "pts" and label in x.ancestors]
        found[e.attrs["value"]] = badge[0].text.split()[0] if badge else ""
    return found


def test_mirels_choices_show_their_points(client) -> None:
    html = client.get("/clinician/calc/scores_mirels").text
    for item, points in MIRELS.items():
        assert choice_points(html, item) == {value: str(p) for value, p in points.items()}, item


def test_sins_and_tokuhashi_choices_show_their_points(client) -> None:
    # Fisher 2010: location junctional 3, mobile 2, semi-rigid 1, rigid 0
    sins = choice_points(client.get("/clinician/calc/scores_sins").text, "location")
    assert sins == {"junctional": "3", "mobile": "2", "semi_rigid": "1", "rigid": "0"}
    # Tokuhashi 2005: KPS 10-40 scores 0, 50-70 scores 1, 80-100 scores 2
    kps = choice_points(client.get("/clinician/calc/scores_tokuhashi").text, "kps")
    assert kps == {str(v): str(0 if v <= 40 else 1 if v <= 70 else 2) for v in range(10, 101, 10)}


def test_the_tnm_picker_joins_prefix_and_category(client) -> None:
    page = read(client.get("/clinician/calc/staging_breast").text)
    assert not page.all("input", name="t"), "no free text for T"
    (t,) = page.all("select", name="t")
    options = [o.attrs["value"] for o in page.all("option") if o.inside("select") is t]
    assert {"T1a", "T2", "T4d", "Tis(DCIS)"} <= set(options)
    prefixes = [o.attrs["value"] for o in page.all("option") if o.inside("select").attrs.get("name") == "t_prefix"]
    assert prefixes == ["c", "p", "yc", "yp"]
    form = {"t_prefix": "p", "t": "T2", "n_prefix": "p", "n": "N1a", "m_prefix": "c", "m": "M0"}
    result = read(client.post("/clinician/calc/staging_breast", data=form).text)
    assert "Anatomic stage IIB" in result.text_of("result")
    assert result.by_id("result-link").attrs["href"] == "/clinician/calc/staging_breast?t=pT2&n=pN1a&m=cM0"


def test_predict_defaults_to_the_newest_version_with_treatments_and_shows_benefit_bars(client) -> None:
    page = read(client.get("/clinician/calc/predict_breast").text)
    (version,) = [
        o for o in page.all("option") if "selected" in o.attrs and o.inside("select").attrs["name"] == "version"
    ]
    assert version.attrs["value"] == "3.2"
    checked = {i.attrs["name"]: i.attrs["value"] for i in page.all("input", type="radio") if "checked" in i.attrs}
    assert checked["chemo"] == "third_generation" and checked["hormone_years"] == "5"
    form = {"age": "55", "size_mm": "22", "nodes": "1", "grade": "2", "er": "positive", "version": "3.2"}
    form |= {"chemo": "third_generation", "hormone_years": "5"}
    result = read(client.get("/clinician/calc/predict_breast", params=form).text)
    text = result.text_of("result")
    assert text.startswith("Result PREDICT v3.2:") and "alive at 10 years with the treatments chosen" in text
    bars = [e for e in result.elements if e.attrs.get("class") == "predict-bar"]
    assert len(bars) == 3  # 5, 10 and 15 years
    assert "+ Hormone" in text and "+ Chemotherapy" in text and "died of breast cancer" in text


def test_the_forms_land_on_the_result_without_javascript(client) -> None:
    page = read(client.get("/clinician/calc/scores_mirels").text)
    (form,) = page.all("form", id="calc-form")
    assert form.attrs["action"] == "/clinician/calc/scores_mirels#result"


def test_the_notes_summary_is_plain_text_with_the_answer_and_the_inputs(client) -> None:
    data = {"site": "lower_limb", "pain": "functional", "lesion": "lytic", "size": "gt_two_thirds"}
    notes = read(client.post("/clinician/calc/scores_mirels", data=data).text).by_id("notes-text").text
    lines = notes.strip().splitlines()
    assert lines[0].startswith("Mirels' score: Total 11 — High risk")
    assert "- Site: Lower limb (2)" in lines and "- Size: More than two thirds (3)" in lines
    assert "<" not in notes


def test_one_performance_page_shows_the_other_scale_under_every_correspondence(client) -> None:
    # ECOG-ACRIN's comparison: ECOG 1 = KPS 80-70, ECOG 3 = KPS 40-30; Buccheri 1996 has no ECOG 5
    text = read(client.get("/clinician/calc/performance_ecog", params={"grade": "1"}).text).text_of("result")
    assert "Karnofsky published alongside ECOG 1" in text and "80 or 70" in text
    assert "Buccheri 1996" in text and "Prasad 2018" in text
    dead = read(client.get("/clinician/calc/performance_ecog", params={"grade": "5"}).text).text_of("result")
    assert dead.count("not covered by this published table") == 2
    kps = read(client.get("/clinician/calc/performance_karnofsky", params={"score": "30"}).text).text_of("result")
    assert "ECOG published alongside Karnofsky 30" in kps and "ECOG-ACRIN" in kps
