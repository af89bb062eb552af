"""PREDICT Breast as array arithmetic: one row per patient (or per patient x treatment arm), 15 annual steps.

Both the one-patient API (:func:`metastasis.predict.predict_breast`) and the registry-scale batch API call these
functions, so there is one implementation of the model. Inputs are already coded numbers (see
:class:`Covariates`); validation and spelling live at the boundary, not here.

The arithmetic follows the PREDICT specification (research note prognosis.md section 1.2): a competing-risks
model with a breast-cancer prognostic index ``pi`` and an other-cause index ``mi``, fractional-polynomial
baseline cumulative hazards on an annual grid, and all-cause deaths split between the causes in proportion to
the annual marginal risks.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np

from metastasis.predict._data import data_file

YEARS = np.arange(1, 16, dtype=float)
Indices = tuple[np.ndarray, np.ndarray]
"""The time-constant prognostic indices ``pi`` and ``mi`` of a set of rows."""
VERSIONS = ("2.1", "2.2", "3.1", "3.2")
TREATMENTS = ("radiotherapy", "hormone", "chemo", "trastuzumab", "bisphosphonates")
"""Treatments in the order the reference tool adds them when it reports incremental benefits."""


def parameters() -> dict[str, Any]:
    """The PREDICT data file (coefficients, coding, treatment effects), parsed once."""
    return data_file("predict_breast.yaml")


@dataclass(frozen=True)
class Covariates:
    """Coded inputs, one array element per row.

    ``grade`` is 1, 2, 3 or the unknown code; ``screen`` the detection code; ``er`` a boolean array;
    ``her2``, ``ki67``, ``pr`` and ``smoker`` are +1 (positive / current smoker), 0 (negative / not) or -1 (unknown);
    ``radiotherapy_model`` says whether the model's radiotherapy baseline adjustment is on (always in version 3;
    in version 2 only when radiotherapy is chosen, as in the reference tool).
    """

    age: np.ndarray
    size_mm: np.ndarray
    nodes: np.ndarray
    grade: np.ndarray
    screen: np.ndarray
    er: np.ndarray
    her2: np.ndarray
    ki67: np.ndarray
    pr: np.ndarray
    smoker: np.ndarray
    radiotherapy_model: np.ndarray


@dataclass(frozen=True)
class Arms:
    """Which treatments each row receives: per-row arrays (booleans, or codes for chemo and hormone).

    ``chemo``: 0 none, 2 second generation, 3 third generation. ``hormone_years``: 0, 5 or 10.
    ``bound``: 0 point estimate, -1 the bound with more benefit, +1 the bound with less benefit (the reference
    tool's 95% interval, combined over treatments assuming independent log hazard ratios).
    ``bound_only``: -1 moves every given treatment to its bound; an index into :data:`TREATMENTS` moves only
    that treatment (the interval of one treatment's incremental benefit).
    """

    radiotherapy: np.ndarray
    hormone_years: np.ndarray
    chemo: np.ndarray
    trastuzumab: np.ndarray
    bisphosphonates: np.ndarray
    heart_gy: np.ndarray
    bound: np.ndarray
    bound_only: np.ndarray


def _pick(code: np.ndarray, positive: Any, negative: Any) -> np.ndarray:
    """+1 -> positive, 0 -> negative, -1 (unknown) -> 0; works for scalars and per-year vectors."""
    pos = np.asarray(positive, dtype=float)
    neg = np.asarray(negative, dtype=float)
    c = code[:, None] if pos.ndim else code
    return np.where(c == 1, pos, np.where(c == 0, neg, 0.0))


def _pr_beta(cov: Covariates) -> np.ndarray:
    pr = parameters()["progesterone_receptor"]
    positive = _pick(cov.pr, pr["er_positive"]["positive"], pr["er_positive"]["negative"])
    negative = _pick(cov.pr, pr["er_negative"]["positive"], pr["er_negative"]["negative"])
    return np.where(cov.er, positive, negative)


def _ki67_beta(cov: Covariates) -> np.ndarray:
    ki = parameters()["ki67"]
    return np.where(cov.er, _pick(cov.ki67, ki["positive"], ki["negative"]), 0.0)


def pi_v2_er_positive(age, size, nodes, grade, screen) -> np.ndarray:
    """Version 2 ER-positive prognostic index before HER2, Ki67, PR and radiotherapy terms."""
    p = parameters()["version_2"]["er_positive"]
    a = age / 10.0
    return (
        p["age_inverse_square"] * (a**-2 - p["age_inverse_square_centre"])
        + p["age_inverse_square_log"] * (a**-2 * np.log(a) - p["age_inverse_square_log_centre"])
        + p["size_log"] * (np.log(size / 100.0) + p["size_log_centre"])
        + p["nodes_log"] * (np.log((nodes + 1.0) / 10.0) + p["nodes_log_centre"])
        + p["grade"] * grade
        + p["screen"] * screen
    )


def pi_v2_er_negative(age, size, nodes, grade) -> np.ndarray:
    """Version 2 ER-negative prognostic index before HER2, PR and radiotherapy terms (no detection term)."""
    p = parameters()["version_2"]["er_negative"]
    grade_high = np.isin(grade, (2.0, 3.0)).astype(float)  # unknown grade (2.13) counts as low, as in v2.1/2.2
    return (
        p["age"] * (age - p["age_centre"])
        + p["size_sqrt"] * ((size / 100.0) ** 0.5 - p["size_sqrt_centre"])
        + p["nodes_log"] * (np.log((nodes + 1.0) / 10.0) + p["nodes_log_centre"])
        + p["grade_high"] * grade_high
    )


def _pi_v3(cov: Covariates) -> np.ndarray:
    """Version 3 prognostic index without the time-varying ER-positive HER2 term (see :func:`her2_profiles`)."""
    p = parameters()["version_3"]
    year = p["calendar_year"] - 2000
    a = (cov.age - p["age_offset"]) / 100.0
    pos, neg = p["er_positive"], p["er_negative"]
    positive = (
        pos["age_inverse_sqrt"] * a**-0.5
        + pos["age_square"] * a**2
        + pos["size_saturating"] * (1.0 - np.exp(-cov.size_mm / 20.0))
        + pos["nodes_log"] * np.log(cov.nodes + 1.0)
        + pos["grade"] * cov.grade
        + pos["screen"] * cov.screen
        + pos["year"] * year
    )
    negative = (
        neg["age_linear"] * a
        + neg["age_log"] * a * np.log(a)
        + neg["size_log"] * np.log(cov.size_mm)
        + neg["nodes_log"] * np.log(cov.nodes + 1.0)
        + neg["grade"] * cov.grade
        + neg["screen"] * cov.screen
        + neg["year"] * year
    )
    her2_neg = _pick(cov.her2, p["her2_er_negative"]["positive"], p["her2_er_negative"]["negative"])
    return np.where(cov.er, positive, negative + her2_neg)


def her2_profiles(version: str) -> np.ndarray:
    """Time-varying HER2 log hazard ratios, rows: none, HER2-positive, HER2-negative (3 x 15).

    Only version 3 in ER-positive disease has a time-varying HER2 term; elsewhere the rows are zero and HER2
    is part of the constant prognostic index.
    """
    table = np.zeros((3, 15))
    if version.startswith("3"):
        her2 = parameters()["version_3"]["her2_er_positive"]
        table[1], table[2] = her2["positive"], her2["negative"]
    return table


def _her2_key(cov: Covariates, version: str) -> np.ndarray:
    """Row index into :func:`her2_profiles` for each patient."""
    if not version.startswith("3"):
        return np.zeros(cov.her2.shape, dtype=np.intp)
    return np.where(cov.er & (cov.her2 == 1), 1, np.where(cov.er & (cov.her2 == 0), 2, 0)).astype(np.intp)


def radiotherapy_baseline(version: str, er: np.ndarray) -> tuple[np.ndarray, float]:
    """The model's radiotherapy baseline adjustments (breast, other) when the radiotherapy model is on."""
    if version == "3.2":
        b = parameters()["version_3"]["v32_baseline"]
        return np.where(er, b["breast_er_positive"], b["breast_er_negative"]), b["other"]
    if version.startswith("2"):
        r = parameters()["version_2"]["radiotherapy"]
        other_hr = r["other_hr"]
    else:
        v3 = parameters()["version_3"]
        r = v3["radiotherapy"]
        other_hr = v3["radiotherapy_heart_hr_per_gy"] ** v3["radiotherapy_assumed_heart_gy"]
    share = r["proportion_treated"]
    breast = np.log(1.0 / ((1.0 - share) + share * r["breast_hr"]))
    other = float(np.log(1.0 / ((1.0 - share) + share * other_hr)))
    return np.full(er.shape, breast), other


def prognostic_indices(cov: Covariates, version: str) -> tuple[np.ndarray, np.ndarray]:
    """``pi`` (rows x 15: constant over years except version 3's ER-positive HER2 term) and ``mi`` (rows)."""
    pi, mi = constant_indices(cov, version)
    return pi[:, None] + her2_profiles(version)[_her2_key(cov, version)], mi


def constant_indices(cov: Covariates, version: str) -> Indices:
    """The time-constant part of ``pi`` and ``mi`` (rows): the same for every treatment arm of these rows."""
    if version.startswith("2"):
        v2 = parameters()["version_2"]
        pi = np.where(
            cov.er,
            pi_v2_er_positive(cov.age, cov.size_mm, cov.nodes, cov.grade, cov.screen) + _ki67_beta(cov),
            pi_v2_er_negative(cov.age, cov.size_mm, cov.nodes, cov.grade),
        )
        pi = pi + _pick(cov.her2, v2["her2"]["positive"], v2["her2"]["negative"])
        if version == "2.2":
            pi = pi + _pr_beta(cov)
        mi = v2["other_age"] * ((cov.age / 10.0) ** 2 - v2["other_age_centre"])
    else:
        v3 = parameters()["version_3"]
        pi = _pi_v3(cov) + _ki67_beta(cov) + _pr_beta(cov)
        a = (cov.age - v3["age_offset"]) / 100.0
        mi = (
            v3["other_age_cubic"] * a**3
            + v3["other_age_cubic_log"] * a**3 * np.log(a)
            + v3["other_year"] * (v3["calendar_year"] - 2000)
        )
        s = v3["smoking"]
        average = s["prevalence"] * (
            s["smoking_related_fraction"] * s["relative_risk"] + 1 - s["smoking_related_fraction"]
        )
        average += 1 - s["prevalence"]
        current = s["smoking_related_fraction"] * s["relative_risk"] + 1 - s["smoking_related_fraction"]
        mi = mi + np.where(
            cov.smoker == 1, np.log(current / average), np.where(cov.smoker == 0, np.log(1 / average), 0)
        )
    base_br, base_oth = radiotherapy_baseline(version, cov.er)
    on = cov.radiotherapy_model
    return pi + np.where(on, base_br, 0.0), mi + np.where(on, base_oth, 0.0)


def baseline_cumulative_breast(t: np.ndarray, er_positive: bool, version: str) -> np.ndarray:
    """Baseline cumulative breast-cancer hazard H0_br(t)."""
    if version.startswith("2"):
        v2 = parameters()["version_2"]
        if er_positive:
            a, b, c = v2["baseline_breast_er_positive"]
            return np.exp(a + b / np.sqrt(t) + c * np.log(t) / np.sqrt(t))
        a, b, c = v2["baseline_breast_er_negative"]
        return np.exp(a + b / t**2 + c / t)
    v3 = parameters()["version_3"]
    a, b, c = v3["baseline_breast_er_positive" if er_positive else "baseline_breast_er_negative"]
    g = (t / 10.0) ** (-0.5 if er_positive else -1.0)
    return np.exp(a + b * g + c * g * np.log(t / 10.0))


def baseline_cumulative_other(t: np.ndarray, version: str) -> np.ndarray:
    """Baseline cumulative other-cause hazard H0_oth(t)."""
    if version.startswith("2"):
        a, b, c = parameters()["version_2"]["baseline_other"]
        return np.exp(a + b * np.log(t) + c * np.sqrt(t))
    a, b, c = parameters()["version_3"]["baseline_other"]
    return np.exp(a + b * np.log(t / 10.0) + c * (t / 10.0))


@cache
def _baseline_increments(version: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Annual baseline increments h0(t) = H0(t) - H0(t-1): breast ER+, breast ER-, other (each length 15)."""
    family = "2" if version.startswith("2") else "3"
    pos = np.diff(baseline_cumulative_breast(YEARS, True, family), prepend=0.0)
    neg = np.diff(baseline_cumulative_breast(YEARS, False, family), prepend=0.0)
    oth = np.diff(baseline_cumulative_other(YEARS, family), prepend=0.0)
    return pos, neg, oth


def _bounded_sum(
    effect: Callable[[int, int], np.ndarray], count: int, bound: np.ndarray, bound_only: np.ndarray
) -> np.ndarray:
    """Sum of per-row log hazard ratios, moved to a combined 95% bound where ``bound`` is -1 or +1.

    ``effect(i, k)`` is treatment ``i``'s log hazard ratio per row, ``k`` = 0 more-benefit bound, 1 point,
    2 less-benefit bound, zero where the treatment is not given; the half-widths add in quadrature
    (independent log hazard ratios, as in the PREDICT mathematics note). Bounds are worked out only when a row
    asks for one (a batch of point estimates needs only the points).
    """
    point = sum(effect(i, 1) for i in range(count))
    if not bound.any():
        return point
    effects = [(effect(i, 0), effect(i, 1), effect(i, 2)) for i in range(count)]
    bounded = [(bound_only < 0) | (bound_only == k) for k in range(count)]
    more = np.sqrt(sum(np.where(b, (e[1] - e[0]) ** 2, 0.0) for e, b in zip(effects, bounded, strict=True)))
    less = np.sqrt(sum(np.where(b, (e[2] - e[1]) ** 2, 0.0) for e, b in zip(effects, bounded, strict=True)))
    return point + np.where(bound < 0, -more, np.where(bound > 0, less, 0.0))


def treatment_terms(
    cov: Covariates, arms: Arms, version: str, extended_hormone_log_hr: float | None = None
) -> tuple[np.ndarray, np.ndarray, float, np.ndarray]:
    """Treatment effects per row: the constant breast-cancer log hazard ratio, whether the extended-hormone
    term applies in years 11-15, that term's value, and the other-cause log hazard ratio (harms).

    ``extended_hormone_log_hr`` overrides the version's extra log hazard ratio for years 11-15 of 10-year
    endocrine therapy (the official v2.1 test vector was generated with -0.342).
    """
    tx = parameters()["treatments"]
    given = [
        arms.radiotherapy,
        (arms.hormone_years > 0) & cov.er,
        None,  # chemo: by generation, below
        arms.trastuzumab & (cov.her2 == 1),
        arms.bisphosphonates,
    ]
    triples = [tx["radiotherapy"], tx["hormone"], None, tx["trastuzumab"], tx["bisphosphonates"]]
    second, third = tx["chemo"]["second_generation"], tx["chemo"]["third_generation"]

    def effect(i: int, k: int) -> np.ndarray:
        if i == 2:
            return np.where(arms.chemo == 3, third[k], np.where(arms.chemo == 2, second[k], 0.0))
        return np.where(given[i], triples[i][k], 0.0)

    constant = _bounded_sum(effect, len(TREATMENTS), arms.bound, arms.bound_only)
    family = parameters()["version_2" if version.startswith("2") else "version_3"]
    h_plus = family["extended_hormone_log_hr"] if extended_hormone_log_hr is None else extended_hormone_log_hr
    extended = (arms.hormone_years == 10) & cov.er
    if version.startswith("2"):
        rx_oth = np.where(arms.radiotherapy, np.log(family["radiotherapy"]["other_hr"]), 0.0)
    else:
        rx_oth = np.where(arms.radiotherapy, np.log(family["radiotherapy_heart_hr_per_gy"]) * arms.heart_gy, 0.0)
        rx_oth = rx_oth + np.where(arms.chemo > 0, np.log(family["chemo_other_hr"]), 0.0)
    return constant, extended, float(h_plus), rx_oth


@dataclass(frozen=True)
class Mortality:
    """By requested year (rows x years): cumulative mortality from all causes, breast cancer and other causes,
    and the cause-specific survivals S_br and S_oth."""

    all_causes: np.ndarray
    breast: np.ndarray
    other: np.ndarray
    breast_survival: np.ndarray
    other_survival: np.ndarray


@cache
def _breast_profiles(version: str, h_plus: float) -> np.ndarray:
    """Cumulative baseline breast-cancer hazard with the time-varying terms folded in (15 years x 12).

    Column = 6 * ER-positive + 2 * HER2 profile + extended hormone; only these few combinations vary over time,
    so each patient's cumulative hazard is exp(constant log rate) x one column of this table. Read-only (cached).
    """
    h_pos, h_neg, _ = _baseline_increments(version)
    h0 = np.stack([h_neg, h_pos])[:, None, None, :]
    her2 = her2_profiles(version)[None, :, None, :]
    late = np.array([0.0, 1.0])[None, None, :, None] * np.where(YEARS > 10, h_plus, 0.0)
    table = np.ascontiguousarray(np.cumsum(h0 * np.exp(her2 + late), axis=-1).reshape(12, 15).T)
    table.flags.writeable = False
    return table


@cache
def _cumulative_other(version: str) -> np.ndarray:
    """Cumulative baseline other-cause hazard at years 1..15 (read-only, cached)."""
    table = np.cumsum(_baseline_increments(version)[2])
    table.flags.writeable = False
    return table


def _rates(
    cov: Covariates, arms: Arms, version: str, extended_hormone_log_hr: float | None, indices: Indices | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per row: minus the breast-cancer and other-cause rates, the profile column and that arm's profile table."""
    pi, mi = constant_indices(cov, version) if indices is None else indices
    rx_br, extended, h_plus, rx_oth = treatment_terms(cov, arms, version, extended_hormone_log_hr)
    key = cov.er.astype(np.intp) * 6 + _her2_key(cov, version) * 2 + extended.astype(np.intp)
    neg_br = np.exp(pi + rx_br)
    np.negative(neg_br, out=neg_br)
    neg_oth = np.exp(mi + rx_oth)
    np.negative(neg_oth, out=neg_oth)
    return neg_br, neg_oth, key, _breast_profiles(version, h_plus)


def all_cause_mortality(
    cov: Covariates,
    arms: Arms,
    version: str,
    extended_hormone_log_hr: float | None = None,
    years: tuple[int, ...] = tuple(range(1, 16)),
    indices: Indices | None = None,
) -> np.ndarray:
    """Cumulative all-cause mortality only (rows x years): 1 - S_br(t) S_oth(t), at the requested years alone.

    The same numbers as ``mortality(...).all_causes``; the cause split, which needs every year, is skipped.
    ``indices`` are :func:`constant_indices` of ``cov`` when the caller already has them (several arms, one
    patient set).
    """
    neg_br, neg_oth, key, profile = _rates(cov, arms, version, extended_hormone_log_hr, indices)
    cum_oth = _cumulative_other(version)
    out = np.empty((len(years), neg_br.shape[0]))
    s_oth = np.empty(neg_br.shape[0])
    for c, year in enumerate(years):
        row = out[c]
        np.take(profile[year - 1], key, out=row)
        np.multiply(row, neg_br, out=row)
        np.exp(row, out=row)
        np.multiply(neg_oth, cum_oth[year - 1], out=s_oth)
        np.exp(s_oth, out=s_oth)
        np.multiply(row, s_oth, out=row)
        np.subtract(1.0, row, out=row)
    return out.T


def mortality(
    cov: Covariates,
    arms: Arms,
    version: str,
    extended_hormone_log_hr: float | None = None,
    years: tuple[int, ...] = tuple(range(1, 16)),
    indices: Indices | None = None,
) -> Mortality:
    """Cumulative all-cause, breast-cancer and other-cause mortality for every row at the requested years.

    Works year by year over row vectors in preallocated buffers (no rows x 15 temporaries), so millions of rows
    stay fast; ``indices`` as in :func:`all_cause_mortality`.
    """
    neg_br, neg_oth, key, profile = _rates(cov, arms, version, extended_hormone_log_hr, indices)
    cum_oth = _cumulative_other(version)
    n = neg_br.shape[0]
    # Outputs are year-major so that each year writes one contiguous row; the transposes below are views.
    out = {name: np.empty((len(years), n)) for name in ("all", "breast", "s_br", "s_oth")}
    wanted = {year - 1: column for column, year in enumerate(years)}
    s_br, s_oth, both, q_br, q_all, step = (np.empty(n) for _ in range(6))
    prev_br, prev_oth, prev_both, bc = np.ones(n), np.ones(n), np.ones(n), np.zeros(n)
    for t in range(max(years)):
        np.take(profile[t], key, out=s_br)
        np.multiply(s_br, neg_br, out=s_br)
        np.exp(s_br, out=s_br)
        np.multiply(neg_oth, cum_oth[t], out=s_oth)
        np.exp(s_oth, out=s_oth)
        np.multiply(s_br, s_oth, out=both)
        np.subtract(prev_br, s_br, out=q_br)
        np.subtract(prev_oth, s_oth, out=q_all)
        np.add(q_all, q_br, out=q_all)
        np.maximum(q_all, 1e-300, out=q_all)
        # all-cause deaths this year, split in proportion to the cause-specific marginal risks
        np.subtract(prev_both, both, out=step)
        np.multiply(step, q_br, out=step)
        np.divide(step, q_all, out=step)
        np.add(bc, step, out=bc)
        if t in wanted:
            c = wanted[t]
            np.subtract(1.0, both, out=out["all"][c])
            out["breast"][c], out["s_br"][c], out["s_oth"][c] = bc, s_br, s_oth
        prev_br, s_br = s_br, prev_br
        prev_oth, s_oth = s_oth, prev_oth
        prev_both, both = both, prev_both
    all_causes = out["all"].T
    return Mortality(all_causes, out["breast"].T, all_causes - out["breast"].T, out["s_br"].T, out["s_oth"].T)
