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

With ``errors="column"`` a bad row does not stop the batch: its outputs are NaN and ``out["error"]`` holds the
message :class:`~metastasis.errors.InvalidInputError` would give for its first bad value (``None`` elsewhere).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Literal

import numpy as np

from metastasis.errors import InvalidInputError
from metastasis.predict import predict_kernel as kernel

CHUNK_ROWS = 1 << 13
"""Rows per chunk: every temporary of a chunk (about 30 vectors) stays in a core's L2 cache."""
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
COLUMNS = (*REQUIRED, *OPTIONAL_DEFAULTS)
_FILLER = {"age": 50.0, "size_mm": 10.0, "nodes": 0.0, "grade": 1.0, "er": 1.0}
"""Valid stand-ins for the inputs of bad rows (errors="column"); their outputs are replaced by NaN."""
_OUTPUTS = ("overall_survival_surgery", "overall_survival_treated", "benefit", "breast_cancer_death_treated",
            "other_death_treated")  # fmt: skip

Rule = tuple[str, str, Callable[[dict[str, np.ndarray]], np.ndarray]]
"""(column, what is allowed, chunk columns -> mask of bad rows), in the order the checks are reported."""


def _column(data: Mapping[str, Any], name: str, rows: int | None) -> np.ndarray:
    """A column as a 1-D numeric array (not yet float: conversion happens chunk by chunk)."""
    if name not in data:
        if name in REQUIRED:
            raise InvalidInputError(name, "missing", f"a column named {name!r}", detail="required column")
        return np.full(rows or 0, OPTIONAL_DEFAULTS[name])
    values = np.asarray(data[name])
    if values.dtype.kind not in "biuf":
        try:
            values = np.asarray(data[name], dtype=float)
        except (TypeError, ValueError):
            raise InvalidInputError(name, f"dtype {values.dtype}", "numbers (a numeric column)") from None
    if values.ndim != 1 or (rows is not None and values.shape[0] != rows):
        raise InvalidInputError(name, f"shape {values.shape}", f"a one-dimensional column of {rows} rows")
    return values


def _one_of(name: str, allowed: tuple[float, ...], nan_ok: bool = False) -> Callable[..., np.ndarray]:
    def bad(c: dict[str, np.ndarray]) -> np.ndarray:
        v = c[name]
        ok = np.isnan(v) if nan_ok else np.zeros(v.shape, dtype=bool)
        for a in allowed:
            ok |= v == a
        return ~ok

    return bad


def _rules() -> list[Rule]:
    coding = kernel.parameters()["input_coding"]
    (age_lo, age_hi), (_, size_hi), (_, nodes_hi) = coding["age_range"], coding["size_mm_range"], coding["nodes_range"]
    heart_lo, heart_hi = coding["heart_dose_gy_range"]

    def heart_bad(c: dict[str, np.ndarray]) -> np.ndarray:
        h = c["heart_dose_gy"]
        return ~(((h >= heart_lo) & (h <= heart_hi)) | np.isnan(h))

    def nodes_bad(c: dict[str, np.ndarray]) -> np.ndarray:
        n = c["nodes"]
        return ~((n >= 0) & (n <= nodes_hi) & (n == np.floor(n)))

    rules: list[Rule] = [
        ("age", f"{age_lo}-{age_hi} years", lambda c: ~((c["age"] >= age_lo) & (c["age"] <= age_hi))),
        ("size_mm", f"> 0 and <= {size_hi} mm", lambda c: ~((c["size_mm"] > 0) & (c["size_mm"] <= size_hi))),
        ("nodes", f"0-{nodes_hi}", nodes_bad),
        ("grade", "1, 2, 3 or NaN (unknown)", _one_of("grade", (1, 2, 3), nan_ok=True)),
        ("er", "1 (positive) or 0 (negative)", _one_of("er", (0, 1))),
    ]
    rules += [(name, "1, 0 or NaN (unknown)", _one_of(name, (0, 1), nan_ok=True))
              for name in ("her2", "ki67", "pr", "screen", "smoker")]  # fmt: skip
    rules += [(name, "1 (yes) or 0 (no)", _one_of(name, (0, 1)))
              for name in ("trastuzumab", "bisphosphonates", "radiotherapy", "micrometastases_only")]  # fmt: skip
    rules += [
        ("chemo", "0 (none), 2 or 3 (generation)", _one_of("chemo", (0, 2, 3))),
        ("hormone_years", "0, 5 or 10", _one_of("hormone_years", (0, 5, 10))),
        ("micrometastases_only", "1 only where nodes is 1",
         lambda c: (c["micrometastases_only"] == 1) & (c["nodes"] != 1)),
        ("heart_dose_gy", f"{heart_lo}-{heart_hi} Gy or NaN",
         heart_bad),
    ]  # fmt: skip
    return rules


def _raise_first(rules: list[Rule], columns: dict[str, np.ndarray], bad_masks: list[np.ndarray]) -> None:
    """Raise for the first rule (in order) with a bad row, naming up to ten of its rows."""
    for (name, allowed, _), bad in zip(rules, bad_masks, strict=True):
        if bad.any():
            rows = np.flatnonzero(bad)
            shown = ", ".join(str(r) for r in rows[:10]) + (" ..." if rows.size > 10 else "")
            raise InvalidInputError(name, columns[name][rows[0]], allowed, detail=f"{rows.size} bad rows: {shown}")


def predict_breast_batch(
    data: Mapping[str, Any],
    *,
    version: str = "2.1",
    years: Sequence[int] = (5, 10, 15),
    errors: Literal["raise", "column"] = "raise",
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
    errors:
        ``"raise"`` (default): the first bad column raises. ``"column"``: bad rows get NaN outputs and an
        ``error`` message; the others are computed (rows in = rows out).

    Returns
    -------
    dict
        ``overall_survival_surgery_<y>``, ``overall_survival_treated_<y>``, ``benefit_<y>``,
        ``breast_cancer_death_treated_<y>`` and ``other_death_treated_<y>`` arrays (fractions), one element
        per row, for each requested year; with ``errors="column"`` also ``error`` (object array, ``None`` for
        good rows).

    Raises
    ------
    InvalidInputError
        Naming the column, the first bad value and the rows that are wrong (bad options, missing or
        non-numeric columns raise in both modes).
    """
    if version not in kernel.VERSIONS:
        raise InvalidInputError("version", version, kernel.VERSIONS)
    if errors not in ("raise", "column"):
        raise InvalidInputError("errors", errors, ("raise", "column"))
    for year in years:
        if isinstance(year, bool) or not isinstance(year, int | np.integer) or not 1 <= year <= 15:
            raise InvalidInputError("years", year, "whole numbers of years from 1 to 15")
    age = _column(data, "age", None)
    rows = age.shape[0]
    col = {"age": age} | {name: _column(data, name, rows) for name in COLUMNS[1:]}
    wanted = tuple(int(y) for y in years)
    out = {f"{name}_{year}": np.empty(rows) for name in _OUTPUTS for year in wanted}
    error = np.full(rows, None, dtype=object) if errors == "column" else None
    rules = _rules()
    # Chunks keep every temporary in cache; the arithmetic is row-wise, so chunking changes no result.
    for start in range(0, rows, CHUNK_ROWS):
        part = slice(start, start + CHUNK_ROWS)
        chunk = {name: values[part].astype(float, copy=False) for name, values in col.items()}
        bad_masks = [check(chunk) for _, _, check in rules]
        bad = np.logical_or.reduce(bad_masks)
        if bad.any():
            if error is None:  # name the first bad column over all rows, as a whole-column check would
                whole = {name: values.astype(float, copy=False) for name, values in col.items()}
                _raise_first(rules, whole, [check(whole) for _, _, check in rules])
            chunk = _stand_in(chunk, bad, rules, bad_masks, error, start)
        _predict_chunk(chunk, version, wanted, {k: v[part] for k, v in out.items()})
        if bad.any():
            for values in out.values():
                values[part][bad] = np.nan
    if error is not None:
        out["error"] = error
    return out


def _stand_in(
    chunk: dict[str, np.ndarray],
    bad: np.ndarray,
    rules: list[Rule],
    bad_masks: list[np.ndarray],
    error: np.ndarray,
    offset: int,
) -> dict[str, np.ndarray]:
    """Record each bad row's first error, and give the chunk valid stand-in values in those rows."""
    for row in np.flatnonzero(bad):
        name, allowed = next((n, a) for (n, a, _), m in zip(rules, bad_masks, strict=True) if m[row])
        error[offset + row] = str(InvalidInputError(name, float(chunk[name][row]), allowed))
    fixed = {name: values.copy() for name, values in chunk.items()}
    for name, values in fixed.items():
        values[bad] = _FILLER.get(name, OPTIONAL_DEFAULTS.get(name, np.nan))
    return fixed


def _predict_chunk(c: dict[str, np.ndarray], version: str, wanted: tuple[int, ...], out: dict[str, np.ndarray]) -> None:
    """Both arms of one chunk of valid rows, written into ``out`` (views of the result columns)."""
    params = kernel.parameters()
    coding = params["input_coding"]
    rows = c["age"].shape[0]
    micro = c["micrometastases_only"] == 1
    er = c["er"] == 1
    radiotherapy = c["radiotherapy"] == 1
    unknown = np.full(rows, -1, np.int8)
    cov = kernel.Covariates(
        age=c["age"],
        size_mm=c["size_mm"],
        nodes=np.where(micro, coding["micrometastases_only_nodes"], c["nodes"]),
        grade=np.where(np.isnan(c["grade"]), coding["unknown_grade"], c["grade"]),
        screen=np.where(np.isnan(c["screen"]), coding["detection"]["unknown"], c["screen"]),
        er=er,
        her2=_status(c["her2"]),
        ki67=_status(c["ki67"]),
        pr=_status(c["pr"]) if version != "2.1" else unknown,
        smoker=_status(c["smoker"]) if version.startswith("3") else unknown,
        radiotherapy_model=radiotherapy | version.startswith("3"),
    )
    heart = np.where(np.isnan(c["heart_dose_gy"]), params["version_3"]["radiotherapy_assumed_heart_gy"],
                     c["heart_dose_gy"])  # fmt: skip
    zeros = np.zeros(rows)
    no = np.zeros(rows, dtype=bool)
    surgery = kernel.Arms(no, zeros, zeros, no, no, zeros, zeros, zeros - 1)
    treated = kernel.Arms(
        radiotherapy=radiotherapy,
        hormone_years=c["hormone_years"],
        chemo=c["chemo"],
        trastuzumab=c["trastuzumab"] == 1,
        bisphosphonates=c["bisphosphonates"] == 1,
        heart_gy=np.where(radiotherapy, heart, 0.0),
        bound=zeros,
        bound_only=zeros - 1,
    )
    indices = kernel.constant_indices(cov, version)  # shared by both arms
    base = kernel.all_cause_mortality(cov, surgery, version, years=wanted, indices=indices)
    rx = kernel.mortality(cov, treated, version, years=wanted, indices=indices)
    for i, year in enumerate(wanted):
        np.subtract(1.0, base[:, i], out=out[f"overall_survival_surgery_{year}"])
        np.subtract(1.0, rx.all_causes[:, i], out=out[f"overall_survival_treated_{year}"])
        np.subtract(base[:, i], rx.all_causes[:, i], out=out[f"benefit_{year}"])
        out[f"breast_cancer_death_treated_{year}"][:] = rx.breast[:, i]
        out[f"other_death_treated_{year}"][:] = rx.other[:, i]


def _status(values: np.ndarray) -> np.ndarray:
    return np.where(np.isnan(values), -1, values).astype(np.int8)
