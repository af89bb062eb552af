"""Columnar staging equals the one-case engine row for row, on every combination the exhaustive staging tests use,
on a wider grid of prefixes and markers, and on random rows (valid and invalid)."""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from metastasis.errors import InvalidInputError
from metastasis.staging import batch, stage_breast
from metastasis.staging.batch import INPUTS, rule_reasons, stage_breast_batch
from tests.staging.test_tables_exhaustive import ALL_N, ALL_T, M_CODES, N_CLINICAL, N_PATHOLOGICAL, STATUS, T_CODES

FIELDS = (*INPUTS, "system", "basis")


def _scalar(row: dict[str, Any]) -> tuple[str | None, str | None, str | None, str | None, tuple[str, ...]]:
    kwargs = {k: row[k] for k in FIELDS if k in row}
    try:
        r = stage_breast(**kwargs)
    except InvalidInputError as exc:
        return None, None, None, str(exc), ()
    return r.anatomic_stage, r.prognostic_stage, r.basis, None, tuple(x.rule for x in r.reasons)


def _none(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def _assert_rows_equal(rows: list[dict[str, Any]], out: pd.DataFrame) -> None:
    assert len(out) == len(rows)
    columns = [out[name].astype(object).tolist() for name in ("anatomic_stage", "prognostic_stage", "basis", "error")]
    rules = out["rule"].astype(object).tolist()
    for i, row in enumerate(rows):
        anatomic, prognostic, basis, error, reasons = _scalar(row)
        assert tuple(_none(col[i]) for col in columns) == (anatomic, prognostic, basis, error), row
        if error is None:
            assert tuple(r.rule for r in rule_reasons(int(rules[i]))) == reasons, row
        else:
            assert pd.isna(rules[i])


def _grid_rows() -> list[dict[str, Any]]:
    """Every combination of tests/staging/test_tables_exhaustive.py, as rows."""
    rows = []
    for basis, prefix, n_codes in (("clinical", "c", N_CLINICAL), ("pathological", "p", N_PATHOLOGICAL)):
        for t, n, m in itertools.product(T_CODES.values(), n_codes.values(), M_CODES.items()):
            m_prefix = "c" if m[0] != "1" else prefix
            for grade, er, pr, her2 in itertools.product("123", "10", "10", "10"):
                rows.append(
                    {
                        "t": prefix + t, "n": prefix + n, "m": m_prefix + m[1], "grade": int(grade),
                        "er": STATUS[er], "pr": STATUS[pr], "her2": STATUS[her2], "oncotype_rs": None, "basis": basis,
                    }
                )  # fmt: skip
    for system in ("ajcc8", "uicc8"):
        for t, n, m in itertools.product(ALL_T, ALL_N, ("M0", "M0(i+)", "M1")):
            n_text = f"p{n}" if "(" in n or n[-1] in "abc" else n
            rows.append(
                {
                    "t": f"p{t}", "n": n_text, "m": f"c{m}", "grade": None, "er": None, "pr": None, "her2": None,
                    "oncotype_rs": None, "system": system, "basis": None,
                }
            )  # fmt: skip
    return rows


def test_every_exhaustive_staging_combination_equals_the_one_case_engine():
    rows = _grid_rows()
    assert len(rows) == 17 * 11 * 3 * 24 + 17 * 16 * 3 * 24 + 2 * len(ALL_T) * len(ALL_N) * 3
    for row in rows:
        row.setdefault("system", "ajcc8")
    _assert_rows_equal(rows, stage_breast_batch(pd.DataFrame(rows, dtype=object)))


PREFIXES = ("", "c", "p", "yc", "yp", "r", "rp")
WIDE_T = ("TX", "T0", "Tis", "Tis(LCIS)", "T1mi", "T2", "T3", "T4d")
WIDE_N = ("NX", "N0", "N0(i+)", "N1mi", "N1a", "N2", "N3c")
WIDE_M = ("cM0", "M0(i+)", "cM1", "pM1", "ypM1")
MARKERS = (
    (2, "positive", "negative", "negative", 8.0),
    (1, "positive", "positive", "equivocal", 10.99),
    (3, "negative", "unknown", "positive", 11),
    ("G2", "+", "-", "-", None),
)


def test_every_prefix_kind_system_and_basis_equals_the_one_case_engine():
    rows = []
    for (tp, t), (np_, n), m in itertools.product(
        itertools.product(PREFIXES, WIDE_T), itertools.product(PREFIXES, WIDE_N), WIDE_M
    ):
        k = len(rows)
        grade, er, pr, her2, rs = MARKERS[k % len(MARKERS)]
        system = ("ajcc8", "uicc8")[k % 2]
        basis = (None, "clinical", "pathological", None, None)[k % 5]
        rows.append(
            {
                "t": tp + t, "n": np_ + n, "m": m, "grade": grade, "er": er, "pr": pr, "her2": her2,
                "oncotype_rs": rs, "system": system, "basis": basis,
            }
        )  # fmt: skip
    _assert_rows_equal(rows, stage_breast_batch(pd.DataFrame(rows, dtype=object)))


def test_the_row_by_row_path_equals_the_precomposed_one(monkeypatch):
    """Files with more distinct input combinations than the combined look-up holds take the two-table path."""
    rows = [{**row, "system": row.get("system", "ajcc8")} for row in _grid_rows()]
    frame = pd.DataFrame(rows, dtype=object)
    frame["oncotype_rs"] = [(None, 5.0, 10.5, 11.0, 200.0)[i % 5] for i in range(len(frame))]
    fast = stage_breast_batch(frame)
    monkeypatch.setattr(batch, "_FULL_LIMIT", 1)
    monkeypatch.setattr(batch, "_GROUP_LIMIT", 40)  # several groups per key
    slow = stage_breast_batch(frame)
    for name in ("anatomic_stage", "prognostic_stage", "basis", "rule", "error"):
        assert fast[name].astype(object).fillna("-").tolist() == slow[name].astype(object).fillna("-").tolist(), name
    assert slow["error"].notna().sum() == len(frame) // 5  # the scores of 200


def test_oncotype_rule_on_both_sides_of_the_cut_off_with_arrow_numbers():
    scores = [None, 0.0, 5.0, 10.0, 10.999, 11.0, 11.5, 100.0, -1.0, 100.5, float("nan"), float("inf")]
    rows = [
        {"t": t, "n": "pN0", "m": "cM0", "grade": 2, "er": "positive", "pr": pr, "her2": "negative", "oncotype_rs": rs}
        for t in ("pT1c", "pT2", "pT3", "cT1c")
        for pr in ("positive", "negative")
        for rs in scores
    ]
    table = pa.Table.from_pylist(rows)
    assert table.column("oncotype_rs").null_count == 8  # None is null; NaN is a value, refused like the engine does
    out = stage_breast_batch(table).to_pandas()
    _assert_rows_equal(rows, out)
    low = out["t"].eq("pT1c") & pd.Series([r["oncotype_rs"] == 5.0 for r in rows])
    assert set(out.loc[low, "prognostic_stage"]) == {"IA"}  # pT1c pN0 cM0 G2 ER+ HER2- with RS 5


def test_rows_in_equal_rows_out_order_and_extra_columns_kept_arrow():
    table = pa.table(
        {
            "record": ["b", "a", "c"],
            "t": ["pT2", "pT9", "cT1"],
            "n": ["pN1a", "pN0", "cN0"],
            "m": ["cM0", "cM0", "cM1"],
            "grade": pa.array([2, 2, None], pa.int64()),
            "er": ["+", "+", None],
            "pr": ["-", "-", None],
            "her2": ["-", "-", None],
            "oncotype_rs": pa.array([None, None, None], pa.float64()),
            "site": ["C501", "C502", "C509"],
        }
    )
    out = stage_breast_batch(table)
    assert out.column_names == [*table.column_names, "anatomic_stage", "prognostic_stage", "basis", "rule", "error"]
    assert out.column("record").to_pylist() == ["b", "a", "c"]
    assert out.column("site").to_pylist() == ["C501", "C502", "C509"]
    assert out.column("anatomic_stage").to_pylist() == ["IIB", None, "IV"]
    assert out.column("prognostic_stage").to_pylist() == ["IIB", None, "IV"]
    assert out.column("basis").to_pylist() == ["pathological", None, "clinical"]
    errors = out.column("error").to_pylist()
    assert errors[0] is None and errors[2] is None
    assert errors[1].startswith("invalid t: 'pT9'") and "allowed: an optional prefix" in errors[1]
    assert out.column("rule").null_count == 1


def test_a_pandas_grade_column_with_a_gap_is_read_as_whole_grades():
    # pandas keeps a grade column with a missing value as float64 (2.0): 2.0 is grade 2, 2.5 is no grade
    frame = pd.DataFrame({"t": ["pT2", "pT1c", "pT2"], "n": ["pN1a", "pN0", "pN1a"], "m": ["cM0"] * 3,
                          "grade": [2, None, 2.5], "er": ["+"] * 3, "pr": ["-", "+", "-"], "her2": ["-"] * 3,
                          "oncotype_rs": [None] * 3})  # fmt: skip
    out = pa.Table.from_pandas(stage_breast_batch(frame))
    assert out.column("prognostic_stage").to_pylist() == ["IIB", None, None]  # AJCC 8th: pT2 pN1a G2 ER+ PR- HER2-
    assert out.column("anatomic_stage").to_pylist() == ["IIB", "IA", None]
    errors = out.column("error").to_pylist()
    assert errors[:2] == [None, None] and errors[2].startswith("invalid grade: 2.5")


def test_dictionary_and_categorical_columns_give_the_same_answer():
    rows = [
        {"t": t, "n": n, "m": "cM0", "grade": 3, "er": "negative", "pr": "negative", "her2": "positive",
         "oncotype_rs": None}
        for t in ("pT1a", "pT3", "T5", None) for n in ("pN2a", "N1mi", "pN0(i+)")
    ]  # fmt: skip
    plain = pa.Table.from_pylist(rows)
    encoded = pa.table(
        {name: (col.dictionary_encode() if pa.types.is_string(col.type) else col) for name, col in
         zip(plain.column_names, plain.columns, strict=True)}
    )  # fmt: skip
    categorical = pd.DataFrame(rows).astype({"t": "category", "n": "category", "er": "category"})
    a = stage_breast_batch(plain).to_pandas()
    b = stage_breast_batch(encoded).to_pandas()
    c = stage_breast_batch(categorical)
    for name in ("anatomic_stage", "prognostic_stage", "basis", "error", "rule"):
        seen = [[None if pd.isna(v) else v for v in frame[name].tolist()] for frame in (a, b, c)]
        assert seen[0] == seen[1] == seen[2], name
    _assert_rows_equal(rows, c)


def test_chunks_with_different_dictionaries_are_staged_as_one_column():
    first = pa.Table.from_pylist([{"t": "pT2", "n": "pN0", "m": "cM0"}]).select(["t", "n", "m"])
    second = pa.Table.from_pylist([{"t": "cT4b", "n": "cN3", "m": "cM0"}]).select(["t", "n", "m"])
    parts = [pa.table({k: part.column(k).dictionary_encode() for k in ("t", "n", "m")}) for part in (first, second)]
    table = pa.concat_tables(parts)
    for name in ("grade", "er", "pr", "her2"):
        table = table.append_column(name, pa.array([None, None], pa.string()))
    table = table.append_column("oncotype_rs", pa.array([None, None], pa.float64()))
    out = stage_breast_batch(table)
    assert out.column("anatomic_stage").to_pylist() == ["IIA", "IIIC"]


def test_a_missing_column_is_an_input_error_naming_it():
    with pytest.raises(InvalidInputError) as info:
        stage_breast_batch(pd.DataFrame({"t": ["pT1"], "n": ["pN0"]}))
    assert info.value.field == "columns" and "missing ['m', 'grade', 'er', 'pr', 'her2', 'oncotype_rs']" in str(
        info.value
    )


def test_anything_other_than_a_table_is_refused():
    with pytest.raises(InvalidInputError, match="invalid table: 'list'"):
        stage_breast_batch([{"t": "pT1"}])


@pytest.mark.parametrize("bad", [-1, 10**13, True, "7", 1.5])
def test_rule_reasons_refuses_what_is_not_a_rule_id(bad):
    with pytest.raises(InvalidInputError, match="invalid rule"):
        rule_reasons(bad)


def test_an_empty_table_gives_an_empty_result():
    frame = pd.DataFrame({name: pd.Series([], dtype=object) for name in INPUTS})
    out = stage_breast_batch(frame)
    assert len(out) == 0 and list(out.columns[-5:]) == ["anatomic_stage", "prognostic_stage", "basis", "rule", "error"]


def test_many_rows_cross_the_inner_chunk_size():
    rows = 3 * (1 << 14) + 7
    frame = pd.DataFrame(
        {
            "t": np.where(np.arange(rows) % 3 == 0, "pT2", "cT9"), "n": "pN1a", "m": "cM0", "grade": 2, "er": "+",
            "pr": "-", "her2": "-", "oncotype_rs": np.nan,
        }
    )  # fmt: skip
    out = stage_breast_batch(frame)
    assert out["anatomic_stage"].isna().sum() == rows - len(range(0, rows, 3))
    assert (out.loc[::3, "prognostic_stage"] == "IIB").all()


# --- random rows, valid and invalid ---------------------------------------------------------------------------

_T = st.sampled_from([p + t for p in PREFIXES for t in (*WIDE_T, "T1c", "T4b", "Tis(DCIS)", "T5", "")])
_N = st.sampled_from([p + n for p in PREFIXES for n in (*WIDE_N, "N1", "N2b", "N3a", "N1b", "N4", "NX1")])
_M = st.sampled_from(["cM0", "pM0", "M1", "pM1", "cM0(i+)", "MX", "M2", "ycM0", "rpM1"])
_TEXT_OR_JUNK = st.one_of(st.none(), st.integers(-2, 5), st.sampled_from(["G1", "g3", "GX", "unknown", "4", "", " 2 "]))
_RECEPTOR = st.one_of(
    st.none(), st.booleans(), st.sampled_from(["positive", "NEG", "+", "-", "unknown", "equivocal", "maybe", ""])
)
_SCORE = st.one_of(st.none(), st.floats(-5, 120, allow_nan=False), st.integers(-3, 105), st.just("ten"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.fixed_dictionaries(
            {
                "t": st.one_of(_T, st.none(), st.integers(0, 3)),
                "n": _N,
                "m": _M,
                "grade": _TEXT_OR_JUNK,
                "er": _RECEPTOR,
                "pr": _RECEPTOR,
                "her2": _RECEPTOR,
                "oncotype_rs": _SCORE,
                "system": st.sampled_from(["ajcc8", "uicc8", "UICC8 ", "ajcc7"]),
                "basis": st.sampled_from([None, "clinical", "Pathological", "both"]),
            }
        ),
        min_size=1,
        max_size=60,
    )
)
def test_random_rows_equal_the_one_case_engine(rows):
    frame = pd.DataFrame(rows, dtype=object)
    _assert_rows_equal(rows, stage_breast_batch(frame))
