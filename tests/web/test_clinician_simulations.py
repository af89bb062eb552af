"""Simulation pages: forms with their documented bounds, results with the library's plots inline as SVG, and
sizes over a bound refused with 422 and a message naming the bound (before any work starts)."""

from __future__ import annotations

import re
import time

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api.catalogue import MAX_BONE_YEARS, MAX_CASCADE_CELLS, MAX_SPREAD_PATIENTS, MAX_SPREAD_STEPS
from metastasis.web.clinician_simulations import simulations
from tests.web.test_clinician_html import read


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app())


SMALL = {
    "spread": {"subtype": "triple-negative", "steps": "3", "patients": "500", "seed": "7", "top": "3"},
    "cascade": {"cells": "2000", "replicates": "50", "seed": "3"},
    "bone": {"lesion_name": "mixed", "treatment": "zoledronic-acid", "start_day": "90", "years": "1", "floor": "true"},
}
FIGURES = {
    "spread": ["fig-spread-network", "fig-spread-steps"],
    "cascade": ["fig-cascade-steps"],
    "bone": ["fig-bone-scenario"],
}


@pytest.mark.parametrize("kind", SMALL)
def test_the_form_shows_small_defaults_and_the_bounds(client, kind: str) -> None:
    page = read(client.get(f"/clinician/simulate/{kind}").text)
    assert page.text_of("result") == ""
    notice = " ".join(" ".join(e.text.split()) for e in page.all("p", class_="notice"))
    if kind == "spread":  # the catalogue's documented maxima, shown with their labels
        assert f"Simulated patients: 1 to {MAX_SPREAD_PATIENTS:,}" in notice
        assert f"Model steps: 1 to {MAX_SPREAD_STEPS}" in notice
        assert page.by_id("patients").attrs["value"] == "10000"  # not the library's 100,000: a page answers fast
        assert float(page.by_id("patients").attrs["max"]) == MAX_SPREAD_PATIENTS
    if kind == "cascade":
        assert f"Shed cells: 1 to {MAX_CASCADE_CELLS:,}" in notice
        assert page.by_id("fractions") is None  # a mapping of overrides has no form control
    if kind == "bone":
        assert f"Years: 0.1 to {MAX_BONE_YEARS:g}" in notice and "Treatment starts on day: at least 0" in notice
        assert float(page.by_id("years").attrs["max"]) == MAX_BONE_YEARS


@pytest.mark.parametrize("kind", SMALL)
def test_a_small_run_shows_its_result_plots_and_sources(client, kind: str) -> None:
    started = time.perf_counter()
    response = client.post(f"/clinician/simulate/{kind}", data=SMALL[kind])
    assert time.perf_counter() - started < 10
    assert response.status_code == 200, read(response.text).text_of("result")[:500]
    page = read(response.text)
    for figure_id in FIGURES[kind]:
        figure = page.by_id(figure_id)
        assert figure is not None and figure.tag == "figure"
        svgs = [e for e in page.elements if e.tag == "svg" and figure in e.ancestors]
        # A wide drawing for desktops and a narrow one for phones; the stylesheet shows one.
        assert [svg.attrs["class"] for svg in svgs] == ["chart-wide", "chart-narrow"]
        assert all(svg.attrs["role"] == "img" and svg.attrs["aria-label"] for svg in svgs)
    assert "<?xml" not in response.text  # inline SVG without its prolog
    assert [e for e in page.elements if e.attrs.get("id", "").startswith("src-")]


def test_the_spread_result_reports_the_requested_run(client) -> None:
    text = read(client.post("/clinician/simulate/spread", data=SMALL["spread"]).text).text_of("result")
    assert "from breast, 3 steps, 500 simulated patients" in text
    assert "Step 3" in text and "Transition matrix" in text


def test_the_bone_page_keeps_the_whole_run_for_the_plot(client) -> None:
    text = read(client.post("/clinician/simulate/bone", data=SMALL["bone"]).text).text_of("result")
    assert "Mixed lesion" in text and "Untreated" in text and "zoledronic" in text.lower()
    none = read(client.post("/clinician/simulate/bone", data={**SMALL["bone"], "treatment": "none"}).text)
    assert none.by_id("fig-bone-scenario") is not None


OVER = [
    ("spread", {"patients": str(MAX_SPREAD_PATIENTS + 1)}, "patients", f"{MAX_SPREAD_PATIENTS}"),
    ("spread", {"steps": str(MAX_SPREAD_STEPS + 1)}, "steps", f"{MAX_SPREAD_STEPS}"),
    ("spread", {"steps": "0"}, "steps", "1"),
    ("cascade", {"cells": str(MAX_CASCADE_CELLS * 10)}, "cells", f"{MAX_CASCADE_CELLS}"),
    ("bone", {"years": f"{MAX_BONE_YEARS + 1:g}"}, "years", f"{MAX_BONE_YEARS:g}"),
    ("bone", {"start_day": "-5"}, "start_day", "0"),
]


@pytest.mark.parametrize(("kind", "change", "field", "bound"), OVER)
def test_a_size_over_its_bound_is_refused_with_the_bound(client, kind, change, field, bound) -> None:
    started = time.perf_counter()
    response = client.post(f"/clinician/simulate/{kind}", data={**SMALL[kind], **change})
    assert time.perf_counter() - started < 2, "refused before any work starts"
    assert response.status_code == 422
    page = read(response.text)
    problem = " ".join(page.by_id(f"{field}-error").text.split())
    assert bound in problem.replace(",", "")
    assert page.by_id(field).attrs["aria-invalid"] == "true"
    assert page.by_id(field).attrs["value"] == change[field]
    assert "<svg" not in response.text


@pytest.mark.parametrize(
    ("kind", "form", "field"),
    [
        ("spread", {"subtype": "luminal-q"}, "subtype"),
        ("spread", {"start": "spleen"}, "start"),
        ("bone", {"lesion_name": "sclerotic"}, "lesion_name"),
        ("bone", {"treatment": "aspirin"}, "treatment"),
        ("cascade", {"seed": "-1"}, "seed"),
        ("cascade", {"replicates": "lots"}, "replicates"),
    ],
)
def test_other_bad_input_is_shown_next_to_the_field(client, kind, form, field) -> None:
    response = client.post(f"/clinician/simulate/{kind}", data={**SMALL[kind], **form})
    assert response.status_code == 422
    page = read(response.text)
    assert page.by_id(f"{field}-error") is not None
    assert page.by_id("input-errors").attrs["role"] == "alert"


def test_unknown_simulation_is_a_404_page(client) -> None:
    assert client.get("/clinician/simulate/tumour").status_code == 404
    assert client.post("/clinician/simulate/tumour", data={}).status_code == 404


ODD_VALUES = ["", "zzz", "nan", "inf", "1e309", "-1", "99999999999999999999", "<b>x</b>"]


@pytest.mark.parametrize("kind", SMALL)
def test_no_odd_value_in_any_field_gives_a_500(client, kind: str) -> None:
    for i, name in enumerate(simulations()[kind].operation.request_model.model_fields):
        odd = ODD_VALUES[i % len(ODD_VALUES)]
        response = client.post(f"/clinician/simulate/{kind}", data={**SMALL[kind], name: odd})
        assert response.status_code in (200, 422), (name, odd, response.status_code)
        assert "<b>x</b>" not in response.text


@pytest.mark.parametrize("kind", SMALL)
def test_the_page_text_shows_no_code(client, kind: str) -> None:
    """Labels, hints and the summary are written for clinicians: no parameter names or Python literals."""
    page = read(client.get(f"/clinician/simulate/{kind}").text)
    text = " ".join(page.all("main")[0].text.split())
    assert re.findall(r"\b[a-z]+_[a-z_]+\b", text) == []
    assert re.findall(r"\b(?:None|True|False)\b", text) == []
