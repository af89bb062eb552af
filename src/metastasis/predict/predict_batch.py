"""PREDICT Breast over arrays: one row per patient, for registries and trial planning.

Columns are numeric codes rather than words so that millions of rows stay in numpy:

==================  ==========================================================================
column              values
==================  ==========================================================================
age                 25-85 (years)
size_mm             > 0 and <= 500
nodes               0-100 positive nodes (whole numbers)
grade               1, 2, 3; NaN = unknown
er                  1 positive, 0 negative
her2, ki67, pr      1 positive, 0 negative, NaN unknown (optional; default unknown)
screen              1 screen-detected, 0 clinical, NaN unknown (optional; default unknown)
chemo               0 none, 2 second generation, 3 third generation (optional; default 0)
hormone_years       0, 5, 10 (optional; default 0)
trastuzumab, bisphosphonates, radiotherapy, micrometastases_only   0/1 (optional; default 0)
heart_dose_gy       mean heart dose, version 3 (optional; default 2)
smoker              1 current, 0 not, NaN unknown (version 3; optional; default unknown)
==================  ==========================================================================

Example
-------
>>> import numpy as np
>>> out = predict_breast_batch({"age": np.array([55.0, 70.0]), "size_mm": np.array([22.0, 10.0]),
...                             "nodes": np.array([1, 0]), "grade": np.array([2.0, np.nan]),
...                             "er": np.array([1, 1]), "hormone_years": np.array([5, 5])})
>>> sorted(out)[:3]
['benefit_10', 'benefit_15', 'benefit_5']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from metastasis.errors import InvalidInputError
from metastasis.predict import predict_kernel as kernel

CHUNK_ROWS = 1 << 15
REQUIRED = ("age", "size_mm", "nodes", "grade", "er")
OPTIONAL_DEFAULTS: dict[str, float] = {
    "her2": np.nan,
    "ki67": np.nan,
    "pr": np.nan,
    "screen": np.nan,
    "chemo": 0,
    "hormone_years": 0,
    "trastuzumab": 0,
    "bisphosphonates": 0,
    "radiotherapy": 0,
    "micrometastases_only": 0,
    "heart_dose_gy": np.nan,
    "smoker": np.nan,
}


def _column(data: Mapping[str, Any], name: str, rows: int | None) -> np.ndarray:
    if name in data:
        values = np.asarray(data[name], dtype=float)
        if values.ndim != 1 or (rows is not None and values.shape[0] != rows):
            raise InvalidInputError(name, f"shape {values.shape}", f"a one-dimensional column of {rows} rows")
        return values
    if name in REQUIRED:
        raise InvalidInputError(name, "missing", f"a column named {name!r}", detail="required column")
    return np.full(rows or 0, OPTIONAL_DEFAULTS[name])


def _check(name: str, values: np.ndarray, bad: np.ndarray, allowed: str) -> None:
    if bad.any():
        rows = np.flatnonzero(bad)
        shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if rows.size > 10 else "")
        raise InvalidInputError(name, values[rows[0]], allowed, detail=f"{rows.size} bad rows: {shown}")


def _status(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), -1, values).astype(np.int8)


def predict_breast_batch(
    data: Mapping[str, Any], *, version: str = "2.1", years: Sequence[int] = (5, 10, 15)
) -> dict[str, np.ndarray]:
    """Overall survival with surgery only and with the given treatments, and the benefit, for every row.

    Parameters
    ----------
    data:
        A mapping of column name to 1-D array (a dict of numpy arrays, a pandas DataFrame, a pyarrow table
        converted with ``to_pydict`` ...), coded as in the module docstring.
    version:
        ``"2.1"``, ``"2.2"``, ``"3.1"`` or ``"3.2"``.
    years:
        Years (1-15) to report.

    Returns
    -------
    dict
        ``overall_survival_surgery_<y>``, ``overall_survival_treated_<y>``, ``benefit_<y>``,
        ``breast_cancer_death_treated_<y>`` and ``other_death_treated_<y>`` arrays (fractions), one element
        per row, for each requested year.

    Raises
    ------
    InvalidInputError
        Naming the column, the first bad value and the rows that are wrong.
    """
    if version not in kernel.VERSIONS:
        raise InvalidInputError("version", version, kernel.VERSIONS)
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1 <= year <= 15:
            raise InvalidInputError("years", year, "whole numbers of years from 1 to 15")
    age = _column(data, "age", None)
    rows = age.shape[0]
    col = {name: _column(data, name, rows) for name in (*REQUIRED, *OPTIONAL_DEFAULTS)}
    coding = kernel.parameters()["input_coding"]
    (age_lo, age_hi), (_, size_hi), (_, nodes_hi) = coding["age_range"], coding["size_mm_range"], coding["nodes_range"]

    def not_in(values: np.ndarray, allowed: tuple[float, ...], nan_ok: bool = False) -> np.ndarray:
        ok = np.isin(values, allowed) | (np.isnan(values) if nan_ok else False)
        return ~ok

    _check("age", age, ~((age >= age_lo) & (age <= age_hi)), f"{age_lo}-{age_hi} years")
    size = col["size_mm"]
    _check("size_mm", size, ~((size > 0) & (size <= size_hi)), f"> 0 and <= {size_hi} mm")
    nodes = col["nodes"]
    _check("nodes", nodes, ~((nodes >= 0) & (nodes <= nodes_hi) & (nodes == np.round(nodes))), f"0-{nodes_hi}")
    _check("grade", col["grade"], not_in(col["grade"], (1, 2, 3), nan_ok=True), "1, 2, 3 or NaN (unknown)")
    _check("er", col["er"], not_in(col["er"], (0, 1)), "1 (positive) or 0 (negative)")
    for name in ("her2", "ki67", "pr", "screen", "smoker"):
        _check(name, col[name], not_in(col[name], (0, 1), nan_ok=True), "1, 0 or NaN (unknown)")
    for name in ("trastuzumab", "bisphosphonates", "radiotherapy", "micrometastases_only"):
        _check(name, col[name], not_in(col[name], (0, 1)), "1 (yes) or 0 (no)")
    _check("chemo", col["chemo"], not_in(col["chemo"], (0, 2, 3)), "0 (none), 2 or 3 (generation)")
    _check("hormone_years", col["hormone_years"], not_in(col["hormone_years"], (0, 5, 10)), "0, 5 or 10")
    micro = col["micrometastases_only"] == 1
    _check("micrometastases_only", col["micrometastases_only"], micro & (nodes != 1), "1 only where nodes is 1")
    heart = np.where(
        np.isnan(col["heart_dose_gy"]),
        kernel.parameters()["version_3"]["radiotherapy_assumed_heart_gy"],
        col["heart_dose_gy"],
    )
    heart_lo, heart_hi = coding["heart_dose_gy_range"]
    _check("heart_dose_gy", heart, ~((heart >= heart_lo) & (heart <= heart_hi)), f"{heart_lo}-{heart_hi} Gy or NaN")

    er = col["er"] == 1
    radiotherapy = col["radiotherapy"] == 1
    cov = kernel.Covariates(
        age=age,
        size_mm=size,
        nodes=np.where(micro, coding["micrometastases_only_nodes"], nodes),
        grade=np.where(np.isnan(col["grade"]), coding["unknown_grade"], col["grade"]),
        screen=np.where(np.isnan(col["screen"]), coding["detection"]["unknown"], col["screen"]),
        er=er,
        her2=_status(col["her2"]),
        ki67=_status(col["ki67"]),
        pr=_status(col["pr"]) if version != "2.1" else np.full(rows, -1, np.int8),
        smoker=_status(col["smoker"]) if version.startswith("3") else np.full(rows, -1, np.int8),
        radiotherapy_model=radiotherapy | version.startswith("3"),
    )
    zeros = np.zeros(rows)
    surgery = kernel.Arms(
        radiotherapy=zeros.astype(bool),
        hormone_years=zeros,
        chemo=zeros,
        trastuzumab=zeros.astype(bool),
        bisphosphonates=zeros.astype(bool),
        heart_gy=zeros,
        bound=zeros,
        bound_only=zeros - 1,
    )
    treated = kernel.Arms(
        radiotherapy=radiotherapy,
        hormone_years=col["hormone_years"],
        chemo=col["chemo"],
        trastuzumab=col["trastuzumab"] == 1,
        bisphosphonates=col["bisphosphonates"] == 1,
        heart_gy=np.where(radiotherapy, heart, 0.0),
        bound=zeros,
        bound_only=zeros - 1,
    )
    wanted = tuple(int(y) for y in years)
    names = ("overall_survival_surgery", "overall_survival_treated", "benefit", "breast_cancer_death_treated",
             "other_death_treated")  # fmt: skip
    out = {f"{name}_{year}": np.empty(rows) for name in names for year in wanted}
    # Chunks keep every temporary in cache; the arithmetic is row-wise, so chunking changes no result.
    for start in range(0, rows, CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        cov_part = kernel.Covariates(**{k: v[part] for k, v in vars(cov).items()})
        base = kernel.mortality(cov_part, _rows(surgery, part), version, years=wanted)
        rx = kernel.mortality(cov_part, _rows(treated, part), version, years=wanted)
        for i, year in enumerate(wanted):
            out[f"overall_survival_surgery_{year}"][part] = 1.0 - base.all_causes[:, i]
            out[f"overall_survival_treated_{year}"][part] = 1.0 - rx.all_causes[:, i]
            out[f"benefit_{year}"][part] = base.all_causes[:, i] - rx.all_causes[:, i]
            out[f"breast_cancer_death_treated_{year}"][part] = rx.breast[:, i]
            out[f"other_death_treated_{year}"][part] = rx.other[:, i]
    return out


def _rows(arms: kernel.Arms, part: slice) -> kernel.Arms:
    return kernel.Arms(**{k: v[part] for k, v in vars(arms).items()})
