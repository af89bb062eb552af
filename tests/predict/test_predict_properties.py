"""PREDICT: version 3 cross-checks, monotonicity and limiting cases, treatment rules, bounds and bad input."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.predict import predict_breast

# The research note's unofficial v3.2 cross-check (its transcription of R/benefits32.R defaults, section 1.7b):
# age 50, clinical, 20 mm, grade 2, 2 nodes, ER+, HER2-, Ki67+, PR+, chemo gen 3, 5-yr hormone, bisphosphonates,
# radiotherapy, heart 4 Gy, current smoker.
V3_PATIENT = {
    "age": 50, "size_mm": 20, "nodes": 2, "grade": 2, "er": "positive", "her2": "negative", "ki67": "positive",
    "pr": "positive", "detection": "clinical", "chemo": "third_generation", "hormone_years": 5,
    "bisphosphonates": True, "radiotherapy": True, "heart_dose_gy": 4, "smoker": "yes",
}  # fmt: skip


def test_v32_matches_the_notes_unofficial_cross_check():
    r = predict_breast(**V3_PATIENT, version="3.2")
    os_by_arm = {
        (): (93.49, 83.14, 72.95),
        ("radiotherapy",): (94.45, 85.43, 76.17),
        ("radiotherapy", "hormone"): (95.95, 89.12, 81.63),
        ("radiotherapy", "hormone", "chemo"): (96.97, 91.58, 85.12),
        ("radiotherapy", "hormone", "chemo", "bisphosphonates"): (97.34, 92.54, 86.57),
    }
    bc_death_by_arm = {
        (): (5.80, 14.60, 22.28),
        ("radiotherapy", "hormone", "chemo", "bisphosphonates"): (1.73, 4.53, 7.20),
    }
    for arm, expected in os_by_arm.items():
        got = [100 * r.overall_survival(y, arm) for y in (5, 10, 15)]
        assert got == pytest.approx(expected, abs=0.006)
    for arm, expected in bc_death_by_arm.items():
        got = [100 * r.breast_cancer_mortality(y, arm) for y in (5, 10, 15)]
        assert got == pytest.approx(expected, abs=0.006)


def test_v2_without_pr_matches_the_notes_v22_style_numbers():
    # The note's "v2.2-style" figures have no PR term, i.e. the v2.1 prognostic model with radiotherapy enabled.
    r = predict_breast(**{**V3_PATIENT, "heart_dose_gy": None, "smoker": "unknown"}, version="2.1")
    assert [100 * r.overall_survival(y, ()) for y in (5, 10, 15)] == pytest.approx((88.45, 72.09, 57.90), abs=0.006)
    assert [100 * r.overall_survival(y) for y in (5, 10, 15)] == pytest.approx((95.43, 88.11, 80.24), abs=0.006)


def test_v22_adds_only_the_pr_term():
    base = {**V3_PATIENT, "radiotherapy": False, "heart_dose_gy": None, "smoker": "unknown"}
    v21 = predict_breast(**base, version="2.1")
    v22 = predict_breast(**base, version="2.2")
    v22_unknown_pr = predict_breast(**{**base, "pr": "unknown"}, version="2.2")
    assert v22_unknown_pr.overall_survival(10) == pytest.approx(v21.overall_survival(10), abs=1e-12)
    assert v22.overall_survival(10, ()) > v21.overall_survival(10, ())  # ER+ PR+ : log HR -0.0619
    assert any("no progesterone-receptor term" in c for c in v21.caveats)


def test_heart_dose_matters_only_with_radiotherapy():
    no_rt = {**V3_PATIENT, "radiotherapy": False}
    assert predict_breast(**{**no_rt, "heart_dose_gy": 0}, version="3.1").overall_survival(15) == pytest.approx(
        predict_breast(**{**no_rt, "heart_dose_gy": 20}, version="3.1").overall_survival(15), abs=1e-15
    )
    low = predict_breast(**{**V3_PATIENT, "heart_dose_gy": 0}, version="3.1").overall_survival(15)
    high = predict_breast(**{**V3_PATIENT, "heart_dose_gy": 20}, version="3.1").overall_survival(15)
    assert high < low


def test_treatments_act_only_where_the_model_allows():
    er_neg = predict_breast(age=50, size_mm=25, nodes=1, grade=3, er="negative", her2="negative", hormone_years=5,
                            trastuzumab=True, version="3.1")  # fmt: skip
    assert er_neg.benefit(10, "hormone") == 0
    assert er_neg.benefit(10, "trastuzumab") == 0
    assert any("ER-negative" in c for c in er_neg.caveats)
    assert any("HER2-positive" in c for c in er_neg.caveats)


def test_v3_chemo_harm_can_outweigh_benefit_in_a_very_low_risk_older_woman():
    r = predict_breast(age=85, size_mm=5, nodes=0, grade=1, er="positive", her2="negative", detection="screen",
                       chemo="second_generation", version="3.1")  # fmt: skip
    assert r.benefit(15, "chemo") < 0


def test_unknown_grade_in_er_negative_differs_between_versions():
    common = {"age": 50, "size_mm": 25, "nodes": 1, "er": "negative", "her2": "negative"}
    # version 2: unknown grade counts as grade 1 in ER- disease; version 3: unknown = 2.13 on a linear term.
    v2_unknown = predict_breast(**common, grade=None, version="2.1").overall_survival(10, ())
    v2_grade1 = predict_breast(**common, grade=1, version="2.1").overall_survival(10, ())
    assert v2_unknown == pytest.approx(v2_grade1, abs=1e-15)
    v3_unknown = predict_breast(**common, grade=None, version="3.1").overall_survival(10, ())
    v3_grade2 = predict_breast(**common, grade=2, version="3.1").overall_survival(10, ())
    v3_grade3 = predict_breast(**common, grade=3, version="3.1").overall_survival(10, ())
    assert v3_grade3 < v3_unknown < v3_grade2


def test_micrometastases_count_as_half_a_node():
    common = {"age": 60, "size_mm": 15, "grade": 2, "er": "positive", "version": "2.1"}
    micro = predict_breast(**common, nodes=1, micrometastases_only=True).overall_survival(10, ())
    none = predict_breast(**common, nodes=0).overall_survival(10, ())
    one = predict_breast(**common, nodes=1).overall_survival(10, ())
    assert one < micro < none


patients = st.fixed_dictionaries(
    {
        "age": st.integers(25, 85),
        "size_mm": st.floats(1, 150),
        "nodes": st.integers(0, 30),
        "grade": st.sampled_from([1, 2, 3, None]),
        "er": st.sampled_from(["positive", "negative"]),
        "her2": st.sampled_from(["positive", "negative", "unknown"]),
        "ki67": st.sampled_from(["positive", "negative", "unknown"]),
        "pr": st.sampled_from(["positive", "negative", "unknown"]),
        "detection": st.sampled_from(["screen", "clinical", "unknown"]),
        "chemo": st.sampled_from(["none", "second_generation", "third_generation"]),
        "hormone_years": st.sampled_from([0, 5, 10]),
        "trastuzumab": st.booleans(),
        "bisphosphonates": st.booleans(),
        "radiotherapy": st.booleans(),
        "version": st.sampled_from(["2.1", "2.2", "3.1", "3.2"]),
    }
)


@settings(max_examples=60, deadline=None)
@given(patients)
def test_curves_are_probabilities_and_add_up(p):
    r = predict_breast(**p)
    for arm in r.arms:
        os_ = arm.overall_survival
        assert all(0 <= x <= 1 for x in os_)  # the v2 age term drives survival to 0 at extremes (age 25, 30 nodes)
        assert all(a >= b for a, b in itertools.pairwise(os_))  # never increases
        for year in range(15):
            assert arm.breast_cancer_death[year] + arm.other_death[year] == pytest.approx(1 - os_[year], abs=1e-12)
    # sequential benefits telescope to the total
    for year in (5, 10, 15):
        parts = sum(r.benefit(year, t) for t in r.treatments)
        assert parts == pytest.approx(r.benefit(year), abs=1e-12)
        low, high = r.benefit_interval(year)
        assert low <= r.benefit(year) + 1e-12 and r.benefit(year) <= high + 1e-12


@settings(max_examples=40, deadline=None)
@given(patients, st.sampled_from(["size_mm", "nodes", "grade"]))
def test_worse_tumour_features_never_improve_surgery_only_survival(p, feature):
    worse = dict(p)
    if feature == "size_mm":
        worse["size_mm"] = p["size_mm"] + 10
    elif feature == "nodes":
        worse["nodes"] = p["nodes"] + 3
    else:
        p = {**p, "grade": 1}
        worse = {**p, "grade": 3}
    better_os = predict_breast(**p).overall_survival(10, ())
    worse_os = predict_breast(**worse).overall_survival(10, ())
    assert worse_os <= better_os + 1e-12


@settings(max_examples=40, deadline=None)
@given(patients)
def test_breast_only_treatments_never_increase_breast_cancer_deaths(p):
    r = predict_breast(**p)
    for k in range(1, len(r.arms)):
        assert r.arms[k].breast_cancer_death[14] <= r.arms[k - 1].breast_cancer_death[14] + 1e-12


def test_limiting_case_tiny_screen_detected_tumour_in_a_young_woman():
    r = predict_breast(age=40, size_mm=1, nodes=0, grade=1, er="positive", her2="negative", detection="screen",
                       version="3.1")  # fmt: skip
    assert r.overall_survival(1, ()) > 0.995
    assert r.breast_cancer_mortality(15, ()) < 0.05


def test_single_treatment_interval_uses_that_treatments_hazard_ratio_bounds():
    r = predict_breast(age=55, size_mm=22, nodes=1, grade=2, er="positive", chemo="third_generation", version="2.1")
    low, high = r.benefit_interval(10, "chemo")
    assert low < r.benefit(10, "chemo") < high
    # HR bounds exp(-0.313)=0.731 and exp(-0.579)=0.560 bracket the point HR exp(-0.446)=0.640
    assert math.exp(-0.579) < math.exp(-0.446) < math.exp(-0.313)


@pytest.mark.parametrize(
    ("field", "value"),
    [("age", 24), ("age", 86), ("age", "fifty"), ("size_mm", 0), ("size_mm", -3), ("size_mm", 501),
     ("nodes", -1), ("nodes", 2.5), ("nodes", 101), ("grade", 4), ("grade", "G5"), ("er", "unknown"),
     ("er", "maybe"), ("her2", "2+"), ("detection", "mammogram"), ("chemo", "first_generation"),
     ("hormone_years", 7), ("trastuzumab", "yes"), ("version", "4.0"), ("heart_dose_gy", -1), ("smoker", "ex")],
)  # fmt: skip
def test_bad_input_names_the_field(field, value):
    good = {"age": 55, "size_mm": 22, "nodes": 1, "grade": 2, "er": "positive"}
    with pytest.raises(InvalidInputError) as caught:
        predict_breast(**{**good, field: value})
    assert caught.value.field == field
    assert repr(value) in str(caught.value)


def test_micrometastases_need_exactly_one_node():
    with pytest.raises(InvalidInputError) as caught:
        predict_breast(age=55, size_mm=22, nodes=2, grade=2, er="positive", micrometastases_only=True)
    assert caught.value.field == "micrometastases_only"


@pytest.mark.parametrize(("year", "treatment"), [(0, None), (16, None), (10, "trastuzumab"), (10, "surgery")])
def test_bad_year_or_treatment_queries(year, treatment):
    r = predict_breast(age=55, size_mm=22, nodes=1, grade=2, er="positive", chemo="third_generation")
    with pytest.raises(InvalidInputError):
        r.benefit(year, treatment)


def test_result_cites_sources_and_serialises():
    r = predict_breast(age=55, size_mm=22, nodes=1, grade=None, er="+", detection="unknown", hormone_years=5)
    assert "predict-v30-r" in r.sources and "predict-v21-web-tests" in r.sources
    assert any(reason.rule == "predict.coding:unknown_grade" for reason in r.reasons)
    data = r.model_dump(mode="json")
    assert data["arms"][0]["label"] == "Surgery only" and len(data["arms"][0]["overall_survival"]) == 15
