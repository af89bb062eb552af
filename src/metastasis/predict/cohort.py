"""Survival analysis of your own cohort: Kaplan-Meier, log-rank tests and Cox models, built on lifelines.

A cohort is a table (CSV or Parquet) with a follow-up time, an event indicator (1 = event such as death,
0 = censored) and optional grouping columns (stage, subtype, first metastatic site ...). Rows are first
aggregated to (group, covariates, time, event) counts and fitted with frequency weights, which gives exactly the
row-level estimates (Kaplan-Meier, log-rank and the Cox partial likelihood are sums over tied rows) while
millions of rows shrink to as many distinct times as the data hold.

Rows with a missing value in a column the analysis needs are not silently dropped: they are listed in the
result's ``excluded`` field and counted in its caveats. Impossible values (negative times, events other than
0/1, missing columns) raise :class:`InvalidInputError` naming the column and the rows.

Example
-------
>>> from metastasis.predict.cohort import read_cohort, kaplan_meier
>>> cohort = read_cohort("cohort.csv", time="months", event="died", by="stage")  # doctest: +SKIP
>>> result = kaplan_meier(cohort, at=(12, 24, 60))                                 # doctest: +SKIP
>>> result.groups[0].median, result.logrank.p_value                                # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from metastasis.errors import InvalidInputError
from metastasis.evidence import Evidenced, Reason

COUNT = "_count"
_SHOWN_ROWS = 10


class ExcludedRows(BaseModel):
    """Rows left out of the analysis because a needed column was empty (row numbers count data rows from 1)."""

    column: str
    rows: list[int]
    count: int


@dataclass(frozen=True)
class Cohort:
    """A validated cohort, aggregated to counts per (group, covariates, time, event)."""

    counts: pd.DataFrame
    time_column: str
    event_column: str
    group_column: str | None
    covariates: tuple[str, ...]
    rows_read: int
    excluded: list[ExcludedRows] = field(default_factory=list)

    @property
    def rows_used(self) -> int:
        return int(self.counts[COUNT].sum())


def _row_list(mask: np.ndarray) -> tuple[list[int], int]:
    rows = np.flatnonzero(mask)
    return [int(r) + 1 for r in rows[:_SHOWN_ROWS]], int(rows.size)


def _fail(column: str, values: pd.Series, mask: np.ndarray, allowed: str, what: str) -> None:
    shown, count = _row_list(mask)
    first = values.to_numpy()[np.flatnonzero(mask)[0]]
    first = first.item() if isinstance(first, np.generic) else first  # -1, not np.int64(-1)
    more = " ..." if count > len(shown) else ""
    raise InvalidInputError(
        column, first, allowed, detail=f"{what} in {count} rows: {', '.join(map(str, shown))}{more}"
    )


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV or Parquet file with pyarrow (fast, typed), as a pandas DataFrame."""
    source = Path(path)
    if not source.is_file():
        raise InvalidInputError("path", str(path), "an existing .csv or .parquet file")
    suffix = source.suffix.lower()
    if suffix == ".csv":
        from pyarrow import csv

        return csv.read_csv(source).to_pandas(strings_to_categorical=True)
    if suffix in {".parquet", ".pq"}:
        from pyarrow import parquet

        return parquet.read_table(source).to_pandas(strings_to_categorical=True)  # text columns: codes, not objects
    raise InvalidInputError("path", str(path), "a file ending .csv, .parquet or .pq")


def read_cohort(
    path: str | Path, *, time: str, event: str, by: str | None = None, covariates: Sequence[str] = ()
) -> Cohort:
    """Read and validate a cohort file (see :func:`cohort_from_frame`)."""
    return cohort_from_frame(read_table(path), time=time, event=event, by=by, covariates=covariates)


def cohort_from_frame(
    frame: pd.DataFrame, *, time: str, event: str, by: str | None = None, covariates: Sequence[str] = ()
) -> Cohort:
    """Validate a cohort table and aggregate it to counts.

    Parameters
    ----------
    frame:
        One row per person.
    time:
        Follow-up time column (numbers >= 0, any unit; the unit is the column's).
    event:
        Event column: 1/0 or true/false (1 = the event happened, 0 = censored).
    by:
        Optional grouping column (compared with Kaplan-Meier curves and a log-rank test; a factor in Cox models).
    covariates:
        Further columns for Cox models (numeric, or categories that are expanded to indicator columns).

    Raises
    ------
    InvalidInputError
        A column is missing, a time is negative or not a number, or an event is not 0/1.
    """
    needed = [time, event, *([by] if by else []), *covariates]
    for role, column in [("time", time), ("event", event), ("by", by), *(("covariates", c) for c in covariates)]:
        if column is not None and column not in frame.columns:
            raise InvalidInputError(role, column, [str(c) for c in frame.columns], detail="no such column")
    data = {column: frame[column] for column in needed}  # no copy: million-row frames are only read
    excluded: list[ExcludedRows] = []
    missing_any = np.zeros(len(frame), dtype=bool)
    for column in dict.fromkeys(needed):
        missing = data[column].isna().to_numpy()
        if missing.any():
            rows, count = _row_list(missing)
            excluded.append(ExcludedRows(column=column, rows=rows, count=count))
            missing_any |= missing

    times = pd.to_numeric(data[time], errors="coerce")
    not_number = (times.isna() & ~missing_any).to_numpy()
    if not_number.any():
        _fail(time, data[time], not_number, "numbers >= 0", "not a number")
    negative = (times < 0).to_numpy()
    if negative.any():
        _fail(time, data[time], negative, "numbers >= 0", "negative time")
    events = data[event]
    coded = events.astype(float) if events.dtype == bool else pd.to_numeric(events, errors="coerce")
    bad_event = (~coded.isin([0, 1]) & ~missing_any).to_numpy()
    if bad_event.any():
        _fail(event, events, bad_event, "1 (event) or 0 (censored)", "not 0/1")

    keep = ~missing_any
    everyone = bool(keep.all())
    clean = {column: values if everyone else values[keep] for column, values in data.items()}
    clean[time] = (times if everyone else times[keep]).astype(float, copy=False)
    clean[event] = (coded if everyone else coded[keep]).astype(int)
    keys = [*([by] if by else []), *covariates, time, event]
    counts = _aggregate(clean, keys)
    return Cohort(counts, time, event, by, tuple(covariates), len(frame), excluded)


def _aggregate(clean: dict[str, pd.Series], keys: list[str]) -> pd.DataFrame:
    """Rows counted per distinct key combination, sorted by the keys (``groupby(keys).size()``, faster).

    Each key column is factorized to sorted codes and the codes combined into one integer, counted with
    ``bincount`` (or ``unique``); columns of other kinds than plain numpy numbers, booleans and objects, or
    combinations too many to number, use ``groupby`` itself.
    """
    plain = all(isinstance(clean[k].dtype, np.dtype) and clean[k].dtype.kind in "iufbO" for k in keys)
    if plain:
        try:
            factors = [pd.factorize(clean[k], sort=True) for k in keys]
        except TypeError:  # objects that cannot be ordered
            plain = False
    if not plain or np.prod([float(len(u)) for _, u in factors]) >= 2.0**62:
        frame = pd.DataFrame({k: clean[k] for k in keys})
        return frame.groupby(keys, sort=True, observed=True).size().rename(COUNT).reset_index()
    dims = [len(u) for _, u in factors]
    flat = np.ravel_multi_index([c for c, _ in factors], dims)
    cells_total = int(np.prod(dims))
    if cells_total <= 1 << 24:
        counts = np.bincount(flat, minlength=cells_total)
        cells = np.flatnonzero(counts)
        counts = counts[cells]
    else:
        cells, counts = np.unique(flat, return_counts=True)
    index = np.unravel_index(cells, dims)
    out = pd.DataFrame({k: np.asarray(u)[i] for k, (_, u), i in zip(keys, factors, index, strict=True)})
    out[COUNT] = counts.astype(np.int64)
    return out


class SurvivalAt(BaseModel):
    """Kaplan-Meier survival at one time with its 95% confidence interval."""

    time: float
    survival: float
    lower: float
    upper: float


class GroupSurvival(BaseModel):
    """One group's Kaplan-Meier summary."""

    group: str
    n: int
    events: int
    median: float | None = Field(description="Median survival time; None when survival never falls to 0.5.")
    median_lower: float | None
    median_upper: float | None
    survival_at: list[SurvivalAt]


class LogRank(BaseModel):
    """Log-rank test across the groups."""

    statistic: float
    degrees_of_freedom: int
    p_value: float


class CohortSurvival(Evidenced):
    """Kaplan-Meier curves of a cohort by group, with the log-rank test when there are several groups."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    time_column: str
    event_column: str
    group_column: str | None
    rows_read: int
    rows_used: int
    excluded: list[ExcludedRows]
    groups: list[GroupSurvival]
    logrank: LogRank | None
    _fitters: dict[str, Any] = PrivateAttr(default_factory=dict)

    @property
    def fitters(self) -> dict[str, Any]:
        """The fitted lifelines ``KaplanMeierFitter`` per group (for further lifelines work)."""
        return self._fitters

    def plot(self, title: str | None = None):
        """Kaplan-Meier curves with 95% bands and numbers at risk (a matplotlib Figure)."""
        from metastasis.predict.plot import plot_kaplan_meier

        return plot_kaplan_meier(self, title=title)


def _common_evidence(cohort: Cohort) -> tuple[list[Reason], list[str]]:
    reasons = [
        Reason(
            rule="cohort.aggregate",
            text=f"{cohort.rows_used} rows aggregated to {len(cohort.counts)} (group, time, event) counts and fitted "
            "with frequency weights (identical estimates to row-level fitting).",
            sources=("lifelines",),
        )
    ]
    caveats = [f"{e.count} rows had no {e.column!r} and were left out (rows {e.rows}...)" for e in cohort.excluded]
    if cohort.excluded:
        caveats.append(f"{cohort.rows_read - cohort.rows_used} of {cohort.rows_read} rows were left out in all.")
    caveats.append("A cohort's survival describes that group in its own period and setting, not one person.")
    return reasons, caveats


def _interval_at(frame: pd.DataFrame, t: float) -> tuple[float, float]:
    before = frame.loc[frame.index <= t]
    row = before.iloc[-1] if len(before) else frame.iloc[0]
    return float(row.iloc[0]), float(row.iloc[1])


def _finite(value: float) -> float | None:
    return None if value is None or not np.isfinite(value) else float(value)


def kaplan_meier(cohort: Cohort, *, at: Sequence[float] = ()) -> CohortSurvival:
    """Kaplan-Meier estimate per group with 95% confidence intervals, medians and the log-rank test.

    Parameters
    ----------
    cohort:
        From :func:`read_cohort` or :func:`cohort_from_frame`.
    at:
        Times at which to report survival (in the time column's unit).
    """
    from lifelines import KaplanMeierFitter
    from lifelines.statistics import multivariate_logrank_test
    from lifelines.utils import median_survival_times

    for t in at:
        if isinstance(t, bool) or not isinstance(t, int | float) or t < 0:
            raise InvalidInputError("at", t, "times >= 0")
    counts = cohort.counts
    if counts.empty:
        raise InvalidInputError("cohort", "no usable rows", "at least one row with time and event present")
    grouped = (
        counts.groupby(cohort.group_column, sort=True, observed=True) if cohort.group_column else [("all", counts)]
    )
    groups, fitters = [], {}
    for name, part in grouped:
        label = str(name[0] if isinstance(name, tuple) else name)
        kmf = KaplanMeierFitter(label=label)
        kmf.fit(part[cohort.time_column], part[cohort.event_column], weights=part[COUNT])
        fitters[label] = kmf
        median_ci = median_survival_times(kmf.confidence_interval_)
        survival = []
        for t in at:
            lower, upper = _interval_at(kmf.confidence_interval_, t)
            survival.append(
                SurvivalAt(time=t, survival=float(kmf.survival_function_at_times(t).iloc[0]), lower=lower, upper=upper)
            )
        groups.append(
            GroupSurvival(
                group=label,
                n=int(part[COUNT].sum()),
                events=int((part[COUNT] * part[cohort.event_column]).sum()),
                median=_finite(kmf.median_survival_time_),
                median_lower=_finite(median_ci.iloc[0, 0]),
                median_upper=_finite(median_ci.iloc[0, 1]),
                survival_at=survival,
            )
        )
    logrank = None
    if len(groups) > 1:
        test = multivariate_logrank_test(
            counts[cohort.time_column], counts[cohort.group_column], counts[cohort.event_column], weights=counts[COUNT]
        )
        logrank = LogRank(
            statistic=float(test.test_statistic), degrees_of_freedom=len(groups) - 1, p_value=float(test.p_value)
        )
    reasons, caveats = _common_evidence(cohort)
    reasons.append(
        Reason(
            rule="cohort.kaplan_meier",
            text="Kaplan-Meier estimator with 95% confidence intervals.",
            sources=("lifelines",),
        )
    )
    if logrank:
        reasons.append(Reason(rule="cohort.logrank", text="Log-rank test across the groups.", sources=("lifelines",)))
    result = CohortSurvival(
        time_column=cohort.time_column,
        event_column=cohort.event_column,
        group_column=cohort.group_column,
        rows_read=cohort.rows_read,
        rows_used=cohort.rows_used,
        excluded=cohort.excluded,
        groups=groups,
        logrank=logrank,
        reasons=reasons,
        caveats=caveats,
    )
    result._fitters = fitters
    return result


class CoxTerm(BaseModel):
    """One Cox model term: log hazard ratio, hazard ratio with 95% CI, and p-value."""

    term: str
    coefficient: float
    hazard_ratio: float
    lower: float
    upper: float
    p_value: float


class CoxModel(Evidenced):
    """A Cox proportional-hazards model of a cohort."""

    time_column: str
    event_column: str
    rows_used: int
    excluded: list[ExcludedRows]
    terms: list[CoxTerm]
    concordance: float
    log_likelihood: float


def cox_model(cohort: Cohort) -> CoxModel:
    """Fit a Cox model on the group column (as indicators against the first level) and the covariates.

    Efron ties computed over each tie group's full count (:mod:`metastasis.predict.cox_efron`), so the fit on
    aggregated counts equals lifelines' ``CoxPHFitter`` on the raw rows (tests: to 1e-8). The concordance is
    lifelines' ``concordance_index`` over the aggregated rows (as lifelines computes it for a weighted fit).
    """
    from lifelines.utils import concordance_index

    from metastasis.predict.cox_efron import fit_efron

    predictors = [*([cohort.group_column] if cohort.group_column else []), *cohort.covariates]
    if not predictors:
        raise InvalidInputError("covariates", "none", "a grouping column (by) or at least one covariate")
    categorical = [*([cohort.group_column] if cohort.group_column else [])]
    categorical += [c for c in cohort.covariates if _is_categorical(cohort.counts[c])]
    design = pd.get_dummies(cohort.counts, columns=categorical, drop_first=True, dtype=float)
    columns = [c for c in design.columns if c not in (cohort.time_column, cohort.event_column, COUNT)]
    x = design[columns].to_numpy(dtype=float)
    times = design[cohort.time_column].to_numpy(dtype=float)
    events = design[cohort.event_column].to_numpy()
    if not x.shape[1]:  # one group and no covariate that varies: nothing to compare
        raise InvalidInputError("covariates", predictors, "a grouping column with two or more groups, or a covariate")
    if not events.astype(bool).any():
        raise InvalidInputError("cohort", "no events", "at least one event to fit a Cox model")
    fit = fit_efron(x, times, events, design[COUNT].to_numpy(dtype=float))
    z = NormalDist().inv_cdf(0.975)
    se = fit.standard_errors
    terms = [
        CoxTerm(
            term=str(term),
            coefficient=float(b),
            hazard_ratio=float(np.exp(b)),
            lower=float(np.exp(b - z * e)),
            upper=float(np.exp(b + z * e)),
            p_value=math.erfc(abs(b / e) / math.sqrt(2.0)),
        )
        for term, b, e in zip(columns, fit.coefficients, se, strict=True)
    ]
    concordance = concordance_index(times, -(x @ fit.coefficients), events)
    reasons, caveats = _common_evidence(cohort)
    reasons.append(
        Reason(
            rule="cohort.cox",
            text="Cox proportional-hazards model (Efron ties, each tie group counted in full, so the fit on counts "
            "equals the row-level fit); categories are compared with their first level.",
            sources=("lifelines",),
        )
    )
    caveats.append("Hazard ratios assume proportional hazards; check that assumption before relying on them.")
    return CoxModel(
        time_column=cohort.time_column,
        event_column=cohort.event_column,
        rows_used=cohort.rows_used,
        excluded=cohort.excluded,
        terms=terms,
        concordance=float(concordance),
        log_likelihood=fit.log_likelihood,
        reasons=reasons,
        caveats=caveats,
    )


def _is_categorical(series: pd.Series) -> bool:
    return not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series)
