"""Every catalogued operation over HTTP: its example answers 200 with the library's result, and key values match
what the cited sources give by hand (expected values typed here, never read back from the package's data)."""

from __future__ import annotations

import datetime
import itertools
import math

import pytest

from metastasis.api.catalogue import (
    MAX_BONE_YEARS,
    MAX_CASCADE_CELLS,
    MAX_CASCADE_REPLICATES,
    MAX_SPREAD_PATIENTS,
    MAX_SPREAD_STEPS,
    OPERATIONS,
    operation,
)


def post(client, path: str, body: dict):
    return client.post(f"/api/v1/{path}", json=body)


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.path)
def test_every_example_answers_200_with_sources(client, op):
    response = post(client, op.path, dict(op.example))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["sources"], "every result cites its sources"
    assert isinstance(body["reasons"], list)


def test_operation_lookup():
    assert operation("scores_mirels").path == "scores/mirels"
    with pytest.raises(KeyError):
        operation("nope")
    assert len({op.path for op in OPERATIONS}) == len(OPERATIONS)


# --- Mirels 1989: site upper limb 1, lower limb 2, peritrochanteric 3; pain mild 1, moderate 2, functional 3;
# lesion blastic 1, mixed 2, lytic 3; size <1/3 1, 1/3-2/3 2, >2/3 3. Bands: <=7 low, 8 borderline, >=9 high.
MIRELS = {
    "site": {"upper_limb": 1, "lower_limb": 2, "peritrochanteric": 3},
    "pain": {"mild": 1, "moderate": 2, "functional": 3},
    "lesion": {"blastic": 1, "mixed": 2, "lytic": 3},
    "size": {"lt_one_third": 1, "one_third_to_two_thirds": 2, "gt_two_thirds": 3},
}


def test_mirels_catalogue_example_by_hand(client):
    # lower limb 2 + functional pain 3 + lytic 3 + more than two thirds 3 = 11
    body = post(client, "scores/mirels", dict(operation("scores_mirels").example)).json()
    assert (body["total"], body["band"]) == (11, "high")
    peritrochanteric = {**operation("scores_mirels").example, "site": "peritrochanteric"}
    assert post(client, "scores/mirels", peritrochanteric).json()["total"] == 3 + 3 + 3 + 3


def test_mirels_every_combination(client):
    """All 81 combinations: the total is the sum of the four item points, and the band follows it."""
    for combo in itertools.product(*(items.items() for items in MIRELS.values())):
        request = {field: choice for field, (choice, _) in zip(MIRELS, combo, strict=True)}
        expected = sum(points for _, points in combo)
        body = post(client, "scores/mirels", request).json()
        band = "low" if expected <= 7 else "borderline" if expected == 8 else "high"
        assert (body["total"], body["band"]) == (expected, band), request


def test_sins_example_by_hand(client):
    # Fisher 2010: junctional 3 + mechanical pain 3 + lytic 2 + normal alignment 0 + <50% collapse 2 +
    # unilateral posterolateral 1 = 11, potentially unstable (7-12)
    body = post(client, "scores/sins", dict(operation("scores_sins").example)).json()
    assert (body["total"], body["band"]) == (11, "potentially_unstable")


def test_spine_and_survival_scores_by_hand(client):
    # Tokuhashi 2005: KPS 70 -> 1, extraspinal 1 -> 1, vertebral 1 -> 2, no organ metastases 2, breast 5,
    # no palsy 2 = 13 (12-15: 1 year or more)
    body = post(client, "scores/tokuhashi", dict(operation("scores_tokuhashi").example)).json()
    assert (body["total"], body["band"]) == (13, "gte_1_year")
    # Tomita 2001: slow growth 1 + no visceral 0 + solitary bone 1 = 2
    assert post(client, "scores/tomita", dict(operation("scores_tomita").example)).json()["total"] == 2
    # Bauer 1995: breast 2 (not lung, favourable) + no visceral 1 + no fracture 1 + solitary 1 = 5
    assert post(client, "scores/bauer", dict(operation("scores_bauer").example)).json()["total"] == 5
    # Modified Bauer (Leithner 2008): the same without the fracture item = 4
    assert post(client, "scores/bauer-modified", dict(operation("scores_bauer_modified").example)).json()["total"] == 4
    # New Katagiri 2014: moderate growth 2 + none 0 + normal labs 0 + ECOG 1 0 + no chemo 0 + multiple 1 = 3
    body = post(client, "scores/katagiri", dict(operation("scores_katagiri").example)).json()
    assert (body["total"], body["band"]) == (3, "low")
    # Laboratory tier: CRP 0.5 >= 0.4 mg/dL is abnormal; LDH 200 < 250 and albumin 4.0 >= 3.7 are normal
    body = post(client, "scores/katagiri-laboratory", dict(operation("scores_katagiri_laboratory").example)).json()
    assert (body["tier"], body["points"]) == ("abnormal", 1)


@pytest.mark.parametrize(("grade", "rank", "high"), [("0", 0, False), ("1a", 1, False), ("1b", 2, False),
                                                     ("1c", 3, False), ("2", 4, True), ("3", 5, True)])  # fmt: skip
def test_bilsky_every_grade(client, grade, rank, high):
    body = post(client, "scores/bilsky", {"grade": grade}).json()
    assert (body["rank"], body["high_grade"]) == (rank, high)


# --- AJCC 8th anatomic stage groups (M0), typed from the AJCC table.
ANATOMIC = {
    ("T1", "N0"): "IA", ("T0", "N1"): "IIA", ("T1", "N1"): "IIA", ("T2", "N0"): "IIA",
    ("T2", "N1"): "IIB", ("T3", "N0"): "IIB",
    ("T0", "N2"): "IIIA", ("T1", "N2"): "IIIA", ("T2", "N2"): "IIIA", ("T3", "N1"): "IIIA", ("T3", "N2"): "IIIA",
    ("T4", "N0"): "IIIB", ("T4", "N1"): "IIIB", ("T4", "N2"): "IIIB",
    ("T0", "N3"): "IIIC", ("T1", "N3"): "IIIC", ("T2", "N3"): "IIIC", ("T3", "N3"): "IIIC", ("T4", "N3"): "IIIC",
}  # fmt: skip


def test_staging_issue_example(client):
    body = post(client, "staging/breast", dict(operation("staging_breast").example)).json()
    assert (body["anatomic_stage"], body["basis"]) == ("IIB", "pathological")
    assert (body["t_group"], body["n_group"]) == ("T2", "N1")
    assert "ajcc8-breast" in body["sources"]


def test_staging_anatomic_table_exhaustive(client):
    for (t, n), stage in ANATOMIC.items():
        body = post(client, "staging/breast", {"t": f"c{t}", "n": f"c{n}", "m": "cM0"}).json()
        assert body["anatomic_stage"] == stage, (t, n, body)
        metastatic = post(client, "staging/breast", {"t": f"c{t}", "n": f"c{n}", "m": "cM1"}).json()
        assert metastatic["anatomic_stage"] == "IV"
    assert post(client, "staging/breast", {"t": "cTis", "n": "cN0", "m": "cM0"}).json()["anatomic_stage"] == "0"


@pytest.mark.parametrize(("calcium", "albumin", "units", "expected"), [
    (2.6, 30, "si", 2.6 + 0.02 * (40 - 30)),  # mmol/L and g/L
    (2.2, 45, "si", 2.2 + 0.02 * (40 - 45)),
    (10.0, 3.0, "conventional", 10.0 + 0.8 * (4.0 - 3.0)),  # mg/dL and g/dL
])  # fmt: skip
def test_corrected_calcium_by_hand(client, calcium, albumin, units, expected):
    body = post(client, "calcium/corrected", {"calcium": calcium, "albumin": albumin, "units": units}).json()
    assert body["value"] == pytest.approx(expected, abs=0.005)


@pytest.mark.parametrize(("calcium", "grade"), [(2.8, 1), (3.0, 2), (3.2, 3), (3.6, 4)])
def test_hypercalcaemia_grade_ctcae5(client, calcium, grade):
    # CTCAE v5 (mmol/L): >ULN-2.9 grade 1; >2.9-3.1 grade 2; >3.1-3.4 grade 3; >3.4 grade 4
    body = post(client, "calcium/hypercalcaemia-grade", {"calcium": calcium, "units": "si", "uln": 2.6}).json()
    assert body["grade"] == grade


def test_performance_mappings(client):
    # ECOG-ACRIN comparison: ECOG 2 ~ KPS 60-50; KPS 70 ~ ECOG 1
    assert post(client, "performance/ecog-to-kps-ecog-acrin", {"grade": 2}).json()["to_values"] == [60, 50]
    assert post(client, "performance/kps-to-ecog-ecog-acrin", {"score": 70}).json()["to_values"] == [1]
    assert post(client, "performance/karnofsky", {"score": 80}).json()["band"] == "normal_activity"


def test_triage_spinal_cord_compression_is_an_emergency(client):
    body = post(client, "triage", {"symptoms": ["back_pain", "limb_weakness"]}).json()
    assert body["urgency"] == "emergency_now"
    assert "spinal_cord_compression" in body["suspected_conditions"]
    assert body["what_to_do_now"]


def test_triage_needs_something_to_triage(client):
    response = post(client, "triage", {})
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert item["field"] == "symptoms" and "back_pain" in item["allowed"]


def test_knowledge_operations(client):
    body = post(client, "knowledge/presentation", {"diagnosis_date": "2020-03-01", "metastasis_date": "2024-06-01"})
    days = (datetime.date(2024, 6, 1) - datetime.date(2020, 3, 1)).days
    assert body.json()["presentation"] == "recurrent" and body.json()["interval_days"] == days
    early = post(client, "knowledge/presentation", {"diagnosis_date": "2020-01-10", "metastasis_date": "2020-02-01"})
    assert early.json()["presentation"] == "de_novo"
    pattern = post(client, "knowledge/pattern", {"sites": ["bone", "liver"]}).json()
    assert (pattern["category"], pattern["multi_organ"]) == ("visceral", True)
    assert post(client, "knowledge/pattern", {"sites": ["spine_lumbar", "pelvis"]}).json()["category"] == "bone_only"
    assert post(client, "knowledge/oligometastatic", {"lesion_count": 6}).json()["oligometastatic"] is False
    options = post(client, "treatment-options", dict(operation("treatment_options").example)).json()
    assert options["pattern"] == "bone_only" and options["options"]


def test_npi_and_cts5_by_hand(client):
    # NPI = 0.2 x size (cm) + node points (1-3 nodes: 2) + grade = 0.44 + 2 + 2
    npi = post(client, "predict/npi", {"size_mm": 22, "nodes": 1, "grade": 2}).json()
    assert npi["score"] == pytest.approx(0.2 * 2.2 + 2 + 2)
    # CTS5 (Dowsett 2018) = 0.438 x nodes category + 0.988 x (0.093 x size - 0.001 x size^2 + 0.375 x grade
    # + 0.017 x age); one node is category 1
    cts5 = post(client, "predict/cts5", {"size_mm": 22, "nodes": 1, "grade": 2, "age": 55}).json()
    expected = 0.438 * 1 + 0.988 * (0.093 * 22 - 0.001 * 22**2 + 0.375 * 2 + 0.017 * 55)
    assert cts5["score"] == pytest.approx(expected, abs=1e-6)
    assert cts5["risk_group"] == "intermediate"  # 3.13 to 3.86


@pytest.mark.parametrize(("size_mm", "nodes", "risk"), [(15, 0, 0.13), (15, 2, 0.20), (15, 5, 0.34),
                                                        (25, 0, 0.19), (25, 2, 0.26), (25, 5, 0.41)])  # fmt: skip
def test_late_recurrence_pan_2017(client, size_mm, nodes, risk):
    # Pan 2017 (NEJM): distant recurrence years 5-20, T1/T2 by N0, N1-3, N4-9
    body = post(client, "predict/late-recurrence", {"size_mm": size_mm, "nodes": nodes}).json()
    assert body["risk_years_5_to_20"] == pytest.approx(risk)


def test_predict_breast_shape(client):
    body = post(client, "predict/breast", dict(operation("predict_breast").example)).json()
    assert body["years"] == list(range(1, 16))
    assert set(body["treatments"]) == {"radiotherapy", "hormone", "chemo"}


def test_statistics_topic(client):
    body = post(client, "statistics", {"topic": "stage"}).json()
    assert body["statistics"] and body["sources"]


def test_quiz_scoring(client):
    key = ["b", "a", "b", "b", "b", "c", "c", "a", "a", "b"]  # the answer key as published in score_quiz's doctest
    assert post(client, "quiz/score", {"answers": key}).json()["score"] == len(key)
    one_wrong = ["c" if key[0] != "c" else "a", *key[1:]]
    body = post(client, "quiz/score", {"answers": one_wrong}).json()
    assert (body["score"], body["total"]) == (len(key) - 1, len(key))
    assert body["answers"][0]["correct"] is False
    wrong_count = post(client, "quiz/score", {"answers": key[:-1]})
    assert wrong_count.status_code == 422 and wrong_count.json()["detail"][0]["field"] == "answers"


# --- simulations


def test_spread_is_reproducible_with_a_seed(client):
    request = {"subtype": "tnbc", "steps": 3, "patients": 5_000, "seed": 7}
    first, second = (post(client, "simulate/spread", request).json() for _ in range(2))
    assert first["site_probabilities"] == second["site_probabilities"]
    assert sum(first["stationary"].values()) == pytest.approx(1.0)


def test_cascade_by_hand(client):
    body = post(client, "simulate/cascade", {"cells": 10_000, "replicates": 200, "seed": 1}).json()
    p = body["overall_fraction"]
    assert body["expected_metastases"] == pytest.approx(10_000 * p)
    assert body["probability_at_least_one"] == pytest.approx(1 - (1 - p) ** 10_000)
    assert body["inefficiency"] == pytest.approx(1 - p)
    assert math.isclose(body["cells_per_metastasis"], 1 / p)


def test_bone_simulation(client):
    body = post(client, "simulate/bone", dict(operation("simulate_bone").example)).json()
    assert body["lesion"] == "osteolytic" and body["treatment"] == "denosumab"
    assert body["days"] == pytest.approx(5 * 365.25)
    assert body["loss_prevented"] > 0


def test_bone_start_day_must_be_within_the_run(client):
    response = post(client, "simulate/bone", {"lesion_name": "osteolytic", "start_day": 400, "years": 1})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "start_day"


def test_bone_solver_failure_is_an_input_error(client):
    """A dose the treated model cannot follow answers 422 naming years, never 500."""
    request = {"lesion_name": "osteolytic", "treatment": "zoledronic-acid", "start_day": 0, "years": 5, "dose_mg": 1e9}
    response = post(client, "simulate/bone", request)
    assert response.status_code == 422, response.text
    item = response.json()["detail"][0]
    assert item["field"] == "years" and "solver" in item["message"]


# --- bounds: each is refused with 422 before any work, and the largest allowed request is fast


@pytest.mark.parametrize(("path", "field", "too_big"), [
    ("simulate/spread", "patients", MAX_SPREAD_PATIENTS + 1),
    ("simulate/spread", "steps", MAX_SPREAD_STEPS + 1),
    ("simulate/spread", "top", 21),
    ("simulate/cascade", "cells", MAX_CASCADE_CELLS + 1),
    ("simulate/cascade", "replicates", MAX_CASCADE_REPLICATES + 1),
    ("simulate/bone", "years", MAX_BONE_YEARS + 0.5),
    ("simulate/spread", "patients", 10**30),
    ("simulate/spread", "patients", 0),
])  # fmt: skip
def test_over_the_bound_is_refused(client, monkeypatch, path, field, too_big):
    op = next(op for op in OPERATIONS if op.path == path)
    monkeypatch.setattr(type(op), "run", lambda *_: pytest.fail("ran past a bound"))
    response = post(client, path, {field: too_big})
    assert response.status_code == 422
    item = response.json()["detail"][0]
    assert (item["field"], item["value"]) == (field, too_big)
    assert item["allowed"].startswith("a number <=") or item["allowed"].startswith("a number >=")


@pytest.mark.parametrize(("path", "body"), [
    ("simulate/spread", {"patients": MAX_SPREAD_PATIENTS, "steps": MAX_SPREAD_STEPS, "top": 20, "seed": 1}),
    ("simulate/cascade", {"cells": MAX_CASCADE_CELLS, "replicates": MAX_CASCADE_REPLICATES, "seed": 1}),
    ("simulate/bone", {"lesion_name": "mixed", "treatment": "zoledronic-acid", "start_day": 0,
                       "years": MAX_BONE_YEARS}),
])  # fmt: skip
def test_largest_allowed_request_runs(client, path, body):
    """The maxima are chosen so that the largest request answers (timings in docs/api.md)."""
    response = post(client, path, body)
    assert response.status_code == 200, response.text
