"""Cox on aggregated counts equals lifelines' CoxPHFitter on the raw rows (Efron ties), even with heavy ties.

The reference is lifelines fitted row by row (no weights); the expected numbers are never taken from our own
fitter. Sizes keep the file under a few seconds.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from lifelines import CoxPHFitter

from metastasis.errors import InvalidInputError
from metastasis.predict.cohort import cohort_from_frame, cox_model
from metastasis.predict.cox_efron import fit_efron


def _lifelines(raw: pd.DataFrame, time: str, event: str) -> CoxPHFitter:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CoxPHFitter().fit(raw, time, event)


def _tied(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    stage = rng.choice(["I", "II", "III", "IV"], rows)
    scale = pd.Series(stage).map({"I": 240.0, "II": 150.0, "III": 80.0, "IV": 12.0}).to_numpy()
    death = np.ceil(rng.exponential(scale))  # whole months: hundreds of deaths share a month
    censor = np.ceil(rng.uniform(1, 60, rows))
    return pd.DataFrame(
        {
            "months": np.minimum(death, censor),
            "died": (death <= censor).astype(int),
            "stage": stage,
            "nodes": rng.integers(0, 4, rows),
        }
    )


def test_aggregated_cox_equals_row_level_lifelines_with_heavy_ties():
    frame = _tied(6000, seed=4)
    cohort = cohort_from_frame(frame, time="months", event="died", by="stage", covariates=("nodes",))
    assert len(cohort.counts) < len(frame) / 2  # the fit really runs on counts
    model = cox_model(cohort)
    raw = pd.get_dummies(frame, columns=["stage"], drop_first=True, dtype=float)
    reference = _lifelines(raw, "months", "died")
    terms = {t.term: t for t in model.terms}
    assert set(terms) == set(reference.params_.index)
    for name, coefficient in reference.params_.items():
        # equal to lifelines' own convergence tolerance (its Newton steps stop near 1e-7)
        assert terms[name].coefficient == pytest.approx(coefficient, rel=0, abs=1e-6)
        assert terms[name].hazard_ratio == pytest.approx(np.exp(coefficient), rel=1e-6)
        assert terms[name].lower == pytest.approx(np.exp(reference.confidence_intervals_.loc[name].iloc[0]), rel=1e-6)
        assert terms[name].p_value == pytest.approx(reference.summary.loc[name, "p"], rel=1e-3)  # tiny p: steep in z
    assert model.log_likelihood >= reference.log_likelihood_ - 1e-9  # at least as close to the maximum
    assert model.log_likelihood == pytest.approx(reference.log_likelihood_, rel=1e-10)
    assert terms["stage_IV"].hazard_ratio > 5  # a strong effect, where the old approximation drifted most


def test_counts_equal_the_expanded_rows():
    # 4 distinct rows standing for 10 people; the reference fits the 10 rows one by one.
    x = np.array([[0.0], [1.0], [0.0], [1.0]])
    time = np.array([1.0, 1.0, 2.0, 3.0])
    event = np.array([1, 1, 1, 0])
    count = np.array([3, 2, 1, 4])
    fit = fit_efron(x, time, event, count)
    expanded = pd.DataFrame({"x": np.repeat(x[:, 0], count), "t": np.repeat(time, count), "e": np.repeat(event, count)})
    reference = _lifelines(expanded, "t", "e")
    # lifelines stops a little earlier on 10 rows (its step tolerance); ours is at least as likely
    assert fit.coefficients[0] == pytest.approx(reference.params_["x"], abs=1e-5)
    assert fit.standard_errors[0] == pytest.approx(reference.standard_errors_["x"], abs=1e-5)
    assert fit.log_likelihood >= reference.log_likelihood_ - 1e-12
    assert fit.log_likelihood == pytest.approx(reference.log_likelihood_, rel=1e-9)


def test_fractional_counts_are_refused():
    from metastasis.errors import InvalidInputError

    with pytest.raises(InvalidInputError) as caught:
        fit_efron(np.array([[0.0], [1.0]]), np.array([1.0, 2.0]), np.array([1, 1]), np.array([1.5, 1.0]))
    assert caught.value.field == "weights"


@pytest.mark.parametrize(
    ("frame", "covariates", "field"),
    [
        (pd.DataFrame({"t": [1, 2, 3], "e": [1, 0, 1], "g": ["a", "a", "a"]}), (), "covariates"),  # one group
        (pd.DataFrame({"t": [1, 2, 3], "e": [0, 0, 0], "g": ["a", "b", "a"]}), (), "cohort"),  # no events
        (pd.DataFrame({"t": [1, 2, 3, 4], "e": [1, 0, 1, 0], "g": list("abab"), "k": [5] * 4}), ("k",), "cohort"),
    ],
)
def test_a_cox_model_with_nothing_to_fit_is_an_input_error_not_a_crash(frame, covariates, field):
    cohort = cohort_from_frame(frame, time="t", event="e", by="g", covariates=covariates)
    with pytest.raises(InvalidInputError) as caught:
        cox_model(cohort)
    assert caught.value.field == field
