"""Breast defaults: site frequencies by kind, the subtype chains, their sources and assumption flags.

Expected numbers are typed from the research note (spread_models.md), not read from the package's data.
"""

from __future__ import annotations

from importlib import resources

import numpy as np
import pytest
import yaml

from metastasis.errors import InvalidInputError
from metastasis.evidence import Verification, get_source
from metastasis.simulate.spread.defaults import (
    RECONSTRUCTION_CAVEAT,
    SUBTYPES,
    breast_calendar,
    breast_chain,
    breast_ensemble,
    breast_model,
    normalise_subtype,
)
from metastasis.simulate.spread.frequencies import FrequencyKind, site_frequencies, site_frequency

META = ["bone", "lung", "liver", "brain"]

# spread_models.md section 2.3b (Iranian series, 276 patients) and the Turkish study (1,350 patients).
IRAN_FIRST = {"bone": 36.6, "lung": 17.4, "liver": 15.6, "brain": 10.5}
IRAN_ALL = {"bone": 47.1, "lung": 34.4, "liver": 27.9, "brain": 20.3}
TURKEY = {
    "hr+/her2-": {"bone": 66.2, "liver": 24.5, "lung": 30.2, "brain": 10.1},  # luminal A
    "hr-/her2+": {"bone": 38.9, "liver": 40.1, "lung": 35.2, "brain": 25.3},  # HER2-overexpressing
    "triple-negative": {"bone": 45.1, "liver": 27.5, "lung": 41.4, "brain": 23.1},
}


def _shares(values: dict[str, float]) -> np.ndarray:
    v = np.array([values[s] for s in META])
    return v / v.sum()


def _raw(name: str):
    path = resources.files("metastasis.simulate.spread").joinpath("data").joinpath(name)
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- site frequencies ----------------------------------------------------------------------------------


def test_every_kind_is_a_separate_label():
    assert {k.value for k in FrequencyKind} == {
        "autopsy_involvement",
        "share_of_metastases",
        "first_site",
        "at_diagnosis",
        "relapse_involvement",
    }
    for record in site_frequencies():
        assert record.population and record.sources and record.kind in FrequencyKind


@pytest.mark.parametrize(
    ("record_id", "kind", "expected"),
    [
        ("cummings-2014-autopsy", "autopsy_involvement", {"lung": 80, "bone": 74, "liver": 71, "distant_nodes": 55}),
        ("iranian-first-site", "first_site", {**IRAN_FIRST, "other": 7.6}),
        ("iranian-all-sites", "relapse_involvement", {**IRAN_ALL, "other": 12.7}),
        ("xiao-2018-at-diagnosis", "at_diagnosis", {"bone": 3.28, "lung": 1.52, "liver": 1.20, "brain": 0.35}),
        ("xiao-2018-tnbc-odds", "at_diagnosis", {"brain": 1.95, "liver": 1.35, "lung": 1.34, "bone": 0.64}),
        ("turkish-triple-negative", "relapse_involvement", TURKEY["triple-negative"]),
        ("turkish-her2", "relapse_involvement", TURKEY["hr-/her2+"]),
        ("turkish-luminal-a", "relapse_involvement", TURKEY["hr+/her2-"]),
        ("savci-heijink-2015-sites", "relapse_involvement", {"bone": 70.6, "liver": 54.5, "lung": 31.4}),
        ("disibio-2008-all-primaries", "share_of_metastases", {"regional_nodes": 0.206}),
    ],
)
def test_frequency_values_as_published(record_id, kind, expected):
    record = site_frequency(record_id)
    assert record.kind.value == kind
    assert record.values == pytest.approx(expected)


def test_newton_first_site_is_approximate_and_unverified():
    record = site_frequency("newton-2015-first-site")
    assert record.values == {"bone": 35} and record.upper_bounds == {"brain": 5}
    assert record.verification is Verification.UNVERIFIED
    assert site_frequency("iranian-first-site").verification is Verification.VERIFIED


def test_filters_and_errors():
    first = site_frequencies(kind="first_site")
    assert first and all(r.kind is FrequencyKind.FIRST_SITE for r in first)
    assert {r.id for r in site_frequencies(subtype="triple-negative")} == {
        "turkish-triple-negative",
        "xiao-2018-tnbc-odds",
    }
    with pytest.raises(InvalidInputError):
        site_frequencies(kind="autopsy")
    with pytest.raises(InvalidInputError):
        site_frequency("nope")


def test_odds_ratio_intervals_as_published():
    record = site_frequency("xiao-2018-tnbc-odds")
    assert record.reference == "hr+/her2-"
    assert record.intervals["brain"] == (1.61, 2.35) and record.intervals["bone"] == (0.59, 0.69)


def test_every_raw_frequency_record_cites_a_registered_source():
    for record in _raw("site_frequencies.yaml"):
        assert record["sources"], record["id"]
        for source_id in record["sources"]:
            get_source(source_id)


# --- the breast parameterisation ---------------------------------------------------------------------


def test_every_parameter_is_sourced_or_flagged():
    for parameter in _raw("breast.yaml")["parameters"]:
        assert parameter.get("sources") or parameter.get("assumption") is True, parameter["id"]


def test_subtypes_and_aliases():
    assert SUBTYPES == ("all", "hr+/her2-", "hr-/her2+", "triple-negative")
    assert normalise_subtype("TNBC") == "triple-negative"
    assert normalise_subtype("her2+") == "hr-/her2+"
    with pytest.raises(InvalidInputError) as info:
        normalise_subtype("luminal-b")
    assert info.value.field == "subtype"


def test_all_subtypes_first_site_and_target_from_the_iranian_series():
    model = breast_model("all")
    assert model.sites == ["breast", *META]
    first = np.array([model.first_site[s] for s in META])
    assert np.allclose(first, _shares(IRAN_FIRST))  # bone 36.6 / 80.1 = 0.457
    assert model.first_site["bone"] == pytest.approx(0.4569, abs=1e-4)
    assert np.allclose([model.target[s] for s in META], _shares(IRAN_ALL))
    assert model.first_site["breast"] == 0.0 and model.target["breast"] == 0.0


@pytest.mark.parametrize("subtype", ["hr+/her2-", "hr-/her2+", "triple-negative"])
def test_subtype_first_site_uses_earliness_from_the_iranian_series(subtype):
    model = breast_model(subtype)
    earliness = _shares(IRAN_FIRST) / _shares(IRAN_ALL)
    expected = _shares(TURKEY[subtype]) * earliness
    expected /= expected.sum()
    assert np.allclose([model.first_site[s] for s in META], expected)
    assert np.allclose([model.target[s] for s in META], _shares(TURKEY[subtype]))


@pytest.mark.parametrize("subtype", SUBTYPES)
def test_chain_stationary_matches_the_target_and_primary_row_is_the_first_site(subtype):
    model = breast_model(subtype)
    chain = model.chain()
    pi = chain.stationary()
    assert pi["breast"] == 0.0
    assert all(abs(pi[s] - model.target[s]) < 1e-5 for s in META)
    assert np.allclose(chain.matrix[0, 1:], [model.first_site[s] for s in META])
    assert np.all(chain.matrix[:, 0] == 0)
    assert model.ensemble_size == 1000 and model.max_residual <= 1e-6
    sd = np.array(model.matrix_sd)
    assert np.all(sd[0] < 1e-12) and np.all(sd[1:, 1:] > 0.01)


def test_subtype_tropism_goes_the_way_the_studies_report():
    luminal, her2, tnbc = (breast_chain(s) for s in ("hr+/her2-", "hr-/her2+", "triple-negative"))
    brain = {name: c.probability("breast", "brain") for name, c in (("lum", luminal), ("her2", her2), ("tn", tnbc))}
    # Brain more frequent in triple-negative and HER2+ (Xiao 2018 OR 1.95; Wu 2017 OR 1.978; Turkish study).
    assert brain["tn"] > brain["lum"] and brain["her2"] > brain["lum"]
    assert tnbc.stationary()["brain"] > luminal.stationary()["brain"]
    # Bone less frequent in triple-negative (Xiao 2018 OR 0.64); liver most frequent in HER2+.
    assert tnbc.probability("breast", "bone") < luminal.probability("breast", "bone")
    liver = {name: c.stationary()["liver"] for name, c in (("lum", luminal), ("her2", her2), ("tn", tnbc))}
    assert max(liver, key=liver.__getitem__) == "her2"
    # Brain is reached sooner from the breast in TNBC than in HR+/HER2-.
    assert tnbc.mean_first_passage("breast", "brain") < luminal.mean_first_passage("breast", "brain")


def test_model_carries_reasons_sources_and_assumption_caveats():
    model = breast_model("triple-negative")
    assert {"turkish-subtype-relapse", "iranian-mbc-series", "newton-2012-markov-lung"} <= set(model.sources)
    assert RECONSTRUCTION_CAVEAT in model.caveats
    flagged = {p.id for p in model.assumptions}
    assert {"primary_transient", "earliness_subtype_independent", "subtype_mapping", "search_tolerance"} <= flagged
    for parameter_id in flagged - {"later_step_median_years", "step_time_distribution"}:
        assert any(parameter_id in caveat for caveat in model.caveats), parameter_id
    assert any("conflict" in caveat for caveat in model.caveats)
    assert model.parameter("ensemble_size").value == 1000
    assert model.parameter("ensemble_size").sources == ("newton-2012-markov-lung",)


def test_default_ensemble_is_reproducible_and_cached():
    assert breast_ensemble("tnbc") is breast_ensemble("triple-negative") or np.array_equal(
        breast_ensemble("tnbc").matrices, breast_ensemble("triple-negative").matrices
    )
    assert breast_ensemble("all").seed == 2015


# --- calendar time -----------------------------------------------------------------------------------


def test_breast_calendar_reproduces_the_five_year_share():
    clock = breast_calendar()
    assert clock.first_step_median_years == 2.5  # Savci-Heijink 2015: median 30 months
    # The same study: 75.8% of distant metastases within 5 years.
    assert clock.probability_first_within(5.0) == pytest.approx(0.758, abs=0.01)
