"""Cohort survival analysis against lifelines' own datasets and published results, and its input checks."""

from __future__ import annotations

import os

import lifelines.datasets
import numpy as np
import pandas as pd
import pytest
from lifelines import KaplanMeierFitter
from lifelines.statistics import multivariate_logrank_test

from metastasis.errors import InvalidInputError
from metastasis.predict.cohort import cohort_from_frame, cox_model, kaplan_meier, read_cohort
from metastasis.report.figures import figure_svg

DATASETS = os.path.dirname(lifelines.datasets.__file__)


def test_waltons_logrank_matches_lifelines_documentation():
    # lifelines' survival-analysis docs compare miR-137 with control: test statistic 122.25.
    result = kaplan_meier(read_cohort(f"{DATASETS}/waltons_dataset.csv", time="T", event="E", by="group"))
    assert result.logrank.statistic == pytest.approx(122.25, abs=0.005)
    assert result.logrank.degrees_of_freedom == 1
    assert result.logrank.p_value < 0.005
    assert {g.group: g.n for g in result.groups} == {"control": 129, "miR-137": 34}


def test_rossi_cox_matches_the_published_coefficients():
    # Fox's recidivism example (lifelines' CoxPHFitter docs): Efron ties.
    expected = {"fin": -0.3794, "age": -0.0574, "race": 0.3139, "wexp": -0.1498, "mar": -0.4337, "paro": -0.0849,
                "prio": 0.0915}  # fmt: skip
    cohort = read_cohort(f"{DATASETS}/rossi.csv", time="week", event="arrest", covariates=tuple(expected))
    model = cox_model(cohort)
    assert {t.term: round(t.coefficient, 4) for t in model.terms} == expected
    assert model.concordance == pytest.approx(0.64, abs=0.005)
    assert model.rows_used == 432


def _tied_cohort(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    group = rng.choice(["I", "II", "III", "IV"], rows)
    scale = pd.Series(group).map({"I": 120.0, "II": 80.0, "III": 50.0, "IV": 24.0}).to_numpy()
    time = np.ceil(rng.exponential(scale))  # whole months: many ties
    censor = np.ceil(rng.uniform(0, 150, rows))
    return pd.DataFrame({"months": np.minimum(time, censor), "died": (time <= censor).astype(int), "stage": group})


def test_aggregated_fit_equals_row_level_lifelines():
    frame = _tied_cohort(5000, seed=11)
    result = kaplan_meier(cohort_from_frame(frame, time="months", event="died", by="stage"), at=(12, 60))
    for g in result.groups:
        rows = frame[frame.stage == g.group]
        kmf = KaplanMeierFitter().fit(rows.months, rows.died)
        assert g.n == len(rows) and g.events == int(rows.died.sum())
        assert g.median == kmf.median_survival_time_
        for s in g.survival_at:
            assert s.survival == pytest.approx(float(kmf.survival_function_at_times(s.time).iloc[0]), abs=1e-12)
            assert s.lower <= s.survival <= s.upper
        ours = result.fitters[g.group].survival_function_
        assert np.allclose(ours.to_numpy().ravel(), kmf.survival_function_.to_numpy().ravel(), atol=1e-12)
    raw = multivariate_logrank_test(frame.months, frame.stage, frame.died)
    assert result.logrank.statistic == pytest.approx(raw.test_statistic, rel=1e-9)
    assert result.logrank.degrees_of_freedom == 3


def test_missing_values_are_reported_not_silently_dropped():
    frame = _tied_cohort(50, seed=2)
    frame.loc[[3, 10], "months"] = np.nan
    frame.loc[[10, 20], "stage"] = None
    cohort = cohort_from_frame(frame, time="months", event="died", by="stage")
    assert cohort.rows_read == 50 and cohort.rows_used == 47
    excluded = {e.column: e.rows for e in cohort.excluded}
    assert excluded == {"months": [4, 11], "stage": [11, 21]}  # data rows counted from 1
    result = kaplan_meier(cohort)
    assert result.rows_used == 47
    assert any("3 of 50 rows were left out" in c for c in result.caveats)


@pytest.mark.parametrize(
    ("column", "values", "message"),
    [("months", {5: -1.0, 9: -3.0}, "negative time in 2 rows: 6, 10"),
     ("died", {2: 2, 7: 5}, "not 0/1 in 2 rows: 3, 8")],
)  # fmt: skip
def test_impossible_values_name_column_and_rows(column, values, message):
    frame = _tied_cohort(20, seed=4)
    for row, value in values.items():
        frame.loc[row, column] = value
    with pytest.raises(InvalidInputError) as caught:
        cohort_from_frame(frame, time="months", event="died", by="stage")
    assert caught.value.field == column
    assert message in str(caught.value)


def test_text_times_and_missing_columns():
    frame = pd.DataFrame({"t": ["1", "two", "3"], "e": [1, 0, 1]})
    with pytest.raises(InvalidInputError) as caught:
        cohort_from_frame(frame, time="t", event="e")
    assert caught.value.field == "t" and "not a number in 1 rows: 2" in str(caught.value)
    with pytest.raises(InvalidInputError) as caught:
        cohort_from_frame(frame, time="t", event="e", by="stage")
    assert caught.value.field == "by" and caught.value.value == "stage"


def test_boolean_events_and_parquet(tmp_path):
    frame = _tied_cohort(300, seed=5)
    frame["died"] = frame["died"].astype(bool)
    path = tmp_path / "cohort.parquet"
    frame.to_parquet(path)
    result = kaplan_meier(read_cohort(path, time="months", event="died", by="stage"))
    assert sum(g.events for g in result.groups) == int(frame.died.sum())


def test_bad_paths(tmp_path):
    with pytest.raises(InvalidInputError) as caught:
        read_cohort(tmp_path / "none.csv", time="t", event="e")
    assert caught.value.field == "path"
    other = tmp_path / "cohort.xlsx"
    other.write_text("x")
    with pytest.raises(InvalidInputError):
        read_cohort(other, time="t", event="e")


def test_bad_report_times_and_empty_cohort():
    cohort = cohort_from_frame(_tied_cohort(30, 1), time="months", event="died")
    with pytest.raises(InvalidInputError) as caught:
        kaplan_meier(cohort, at=(-1,))
    assert caught.value.field == "at"
    empty = cohort_from_frame(pd.DataFrame({"t": [np.nan], "e": [1]}), time="t", event="e")
    with pytest.raises(InvalidInputError):
        kaplan_meier(empty)
    with pytest.raises(InvalidInputError) as caught:
        cox_model(cohort)
    assert caught.value.field == "covariates"


def test_single_group_and_plot_with_numbers_at_risk():
    result = kaplan_meier(cohort_from_frame(_tied_cohort(400, 8), time="months", event="died", by="stage"))
    svg = figure_svg(result.plot())
    assert "At risk" in svg and "log-rank" in svg
    single = kaplan_meier(cohort_from_frame(_tied_cohort(100, 8), time="months", event="died"))
    assert single.logrank is None and [g.group for g in single.groups] == ["all"]
