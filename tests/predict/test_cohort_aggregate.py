"""Aggregation to counts equals pandas' own groupby, whatever the column kinds, with rows left out as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from metastasis.errors import InvalidInputError
from metastasis.predict.cohort import COUNT, cohort_from_frame


def _frame(rows: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "months": np.round(rng.uniform(0, 60, rows), 1),
            "died": rng.integers(0, 2, rows),
            "stage": rng.choice(["IV", "I", "II", "III"], rows),
            "nodes": rng.integers(0, 5, rows),
            "her2": rng.integers(0, 2, rows).astype(bool),
            "ki67": rng.choice([10.5, 20.0, 35.25], rows),
        }
    )


def _groupby(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    return frame.groupby(keys, sort=True, observed=True).size().rename(COUNT).reset_index()


@pytest.mark.parametrize("covariates", [(), ("nodes",), ("nodes", "her2", "ki67")])
def test_counts_equal_groupby(covariates):
    frame = _frame(5000, seed=3)
    cohort = cohort_from_frame(frame, time="months", event="died", by="stage", covariates=covariates)
    expected = _groupby(frame.astype({"months": float}), ["stage", *covariates, "months", "died"])
    assert cohort.counts.equals(expected)
    assert cohort.rows_used == 5000


def test_categorical_order_is_kept_and_missing_rows_are_left_out():
    frame = _frame(2000, seed=8)
    frame["stage"] = pd.Categorical(frame["stage"], categories=["IV", "III", "II", "I"], ordered=True)
    frame.loc[[5, 17], "nodes"] = np.nan
    cohort = cohort_from_frame(frame, time="months", event="died", by="stage", covariates=("nodes",))
    kept = frame.drop(index=[5, 17])
    expected = _groupby(kept.astype({"months": float}), ["stage", "nodes", "months", "died"])
    assert cohort.counts.equals(expected)
    assert list(cohort.counts["stage"].unique()) == ["IV", "III", "II", "I"]  # the categories' order
    assert [(e.column, e.rows, e.count) for e in cohort.excluded] == [("nodes", [6, 18], 2)]


def test_a_bad_whole_number_is_shown_as_written():
    frame = pd.DataFrame({"time": [1, 2, -1], "event": [1, 0, 1]})
    with pytest.raises(InvalidInputError) as caught:
        cohort_from_frame(frame, time="time", event="event")
    assert str(caught.value).startswith("invalid time: -1 (negative time in 1 rows: 3)")
