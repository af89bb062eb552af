"""Columnar breast staging: a table of cases in, the same table with stage columns out.

Each distinct value of a column is checked once by the one-case engine's own parsers (so a value is accepted, or
refused with the same words, exactly as :func:`~metastasis.staging.stage_breast` would); rows are then staged by
indexing dense tables built from the same data files (:mod:`metastasis.batch.lookup`). Rows in = rows out: a bad
row gets null outputs and an ``error`` that names the field, the value and what is allowed.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"id": [7, 8], "t": ["pT2", "T5"], "n": ["pN1a", "N0"], "m": ["cM0", "cM0"], "grade": [2, 2],
...                    "er": ["positive"] * 2, "pr": ["negative"] * 2, "her2": ["negative"] * 2,
...                    "oncotype_rs": [None, None]})
>>> out = stage_breast_batch(df)
>>> out["anatomic_stage"].tolist(), out["prognostic_stage"].tolist()[0], out["basis"].tolist()[0]
(['IIB', nan], 'IIB', 'pathological')
>>> out["error"][1].split(";")[0]
"invalid t: 'T5'"
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pyarrow as pa

from metastasis.batch import lookup as lk
from metastasis.batch.columns import Coded, coded
from metastasis.domain.biomarkers import histologic_grade, receptor_status
from metastasis.errors import InvalidInputError
from metastasis.evidence import Reason
from metastasis.staging.engine import _BASES, _SYSTEMS, _check_post_therapy_prefixes, _choice, _oncotype, stage_breast
from metastasis.staging.tables import STAGES
from metastasis.staging.tnm import parse_m, parse_n, parse_t

INPUTS: tuple[str, ...] = ("t", "n", "m", "grade", "er", "pr", "her2", "oncotype_rs")
"""Columns every table must have; ``system`` and ``basis`` are optional (``ajcc8``; basis from the prefixes)."""
OPTIONAL: tuple[str, ...] = ("system", "basis")
OUTPUTS: tuple[str, ...] = ("anatomic_stage", "prognostic_stage", "basis", "rule", "error")
"""Columns added (or replaced in place when the input has them), in this order."""
CHUNK_ROWS = 1 << 16
"""Rows per inner step: the intermediate arrays stay in the processor's cache."""

# The one-case engine checks its inputs in this order; a row's error names the first that fails.
_ORDER: tuple[str, ...] = ("system", "t", "n", "m", "mix", "grade", "er", "pr", "her2", "oncotype_rs", "basis")

Table = Any  # pyarrow.Table | pyarrow.RecordBatch | pandas.DataFrame


def _entry(check: Callable[[Any], int], value: Any) -> tuple[int, str | None]:
    try:
        return check(value), None
    except InvalidInputError as exc:
        return lk.BAD, str(exc)


def _t(value: Any) -> int:
    cat = parse_t(value)
    t_class = lk.T_CLASSES.index("Tis(LCIS)" if cat.code == "Tis(LCIS)" else cat.group)
    return (t_class * len(lk.KIND_PREFIX) + lk.PREFIX_KIND[cat.prefix]) * lk.S_T


def _n(value: Any) -> int:
    cat = parse_n(value)
    return (lk.N_GROUPS.index(cat.group) * len(lk.KIND_PREFIX) + lk.PREFIX_KIND[cat.prefix]) * lk.S_N


def _m(value: Any) -> int:
    cat = parse_m(value)
    return (lk.M_GROUPS.index(cat.group) * 2 + int(cat.is_pathological)) * lk.S_M


def _grade(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():  # a grade column with a gap is float64 in pandas
        value = int(value)
    return lk.GRADES.index(histologic_grade(value)) * lk.S_GRADE


def _receptor(field: str, stride: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        return lk.RECEPTORS.index(receptor_status(value, field=field).value) * stride

    return check


def _her2(value: Any) -> int:
    return lk.HER2S.index(receptor_status(value, field="her2", equivocal_allowed=True).value) * lk.S_HER2


def _oncotype_class(value: Any) -> int:
    score = _oncotype(value)
    return 0 if score is None else _below_class(score)


def _below_class(score: float) -> int:
    return 1 if score < lk_below() else 2


@lru_cache(maxsize=1)
def lk_below() -> float:
    from metastasis.staging.tables import rules

    return float(rules()["oncotype"]["below"])


def _system(value: Any) -> int:
    return lk.SYSTEMS.index(_choice(value, "system", _SYSTEMS)) * lk.S_SYSTEM


def _basis(value: Any) -> int:
    return 0 if value is None else lk.BASIS_OVERRIDES.index(_choice(value, "basis", _BASES))


_CHECKS: dict[str, Callable[[Any], int]] = {
    "t": _t,
    "n": _n,
    "m": _m,
    "grade": _grade,
    "er": _receptor("er", lk.S_ER),
    "pr": _receptor("pr", lk.S_PR),
    "her2": _her2,
    "oncotype_rs": _oncotype_class,
    "system": _system,
    "basis": _basis,
}


@dataclass
class _Column:
    """A coded input column with each distinct value's contribution to the key (BAD if refused) and message."""

    name: str
    code: Coded
    contrib: np.ndarray
    messages: list[str | None]

    @classmethod
    def build(cls, name: str, column: Any) -> _Column:
        code = coded(column)
        entries = [_entry(_CHECKS[name], v) for v in [*code.values, None]]
        contrib = np.fromiter((c for c, _ in entries), dtype=np.int64, count=len(entries))
        return cls(name, code, contrib, [m for _, m in entries])

    def chunk(self, rows: slice) -> np.ndarray:
        return self.code.indices[rows]

    def row_key(self, rows: np.ndarray) -> np.ndarray:
        return self.code.indices[rows].astype(np.int64)

    def refused(self, rows: np.ndarray) -> np.ndarray:
        return self.contrib[self.code.indices[rows]] < 0

    def message(self, row: int) -> str | None:
        return self.messages[self.code.indices[row]]


@dataclass
class _NumericOncotype:
    """An Oncotype DX column of numbers, classed by comparisons instead of by distinct value.

    Class codes: 0 below 0 or not a number, 1 below the cut-off, 2 from the cut-off to 100, 3 above 100, 4-7
    missing (the missing flag is added as 4, whatever lies under it).
    """

    values: np.ndarray
    missing: np.ndarray | None
    python: Callable[[int], Any]
    contrib = np.array([lk.BAD, 1 * lk.S_ONCO, 2 * lk.S_ONCO, lk.BAD, 0, 0, 0, 0], dtype=np.int64)

    def chunk(self, rows: slice) -> np.ndarray:
        v = self.values[rows]
        with np.errstate(invalid="ignore"):
            code = (v >= 0).view(np.int8).copy()
            code += (v >= lk_below()).view(np.int8)
            code += (v > 100).view(np.int8)
        if self.missing is not None:  # the value under a missing one is undefined: 4-7 all mean missing
            code |= self.missing[rows].view(np.int8) << np.int8(2)
        return code

    def row_key(self, rows: np.ndarray) -> np.ndarray:
        return self.values[rows].astype(np.float64).view(np.int64)

    def refused(self, rows: np.ndarray) -> np.ndarray:
        v = self.values[rows]
        with np.errstate(invalid="ignore"):
            ok = (v >= 0) & (v <= 100)
        if self.missing is not None:
            ok |= self.missing[rows]
        return ~ok

    def message(self, row: int) -> str | None:
        if self.missing is not None and self.missing[row]:
            return None
        return _entry(_oncotype_class, self.python(row))[1]


_GROUP_LIMIT = 1 << 18
"""Most cells in one combined look-up: columns are grouped so that one index per group stages a row."""


@dataclass
class _Group:
    """Columns whose indices combine into one index of a look-up array of their summed contributions."""

    cols: list[Any]
    lut: np.ndarray

    @classmethod
    def build(cls, cols: list[Any]) -> _Group:
        lut = np.zeros(1, np.int64)
        for col in cols:
            lut = (lut[:, None] + col.contrib[None, :]).reshape(-1)
        # a refused value anywhere makes the key negative (BAD outweighs every valid contribution)
        return cls(cols, np.where(lut < 0, lk.BAD, lut).astype(np.int32))

    def key(self, rows: slice) -> np.ndarray:
        index = self.cols[0].chunk(rows).astype(np.intp)
        for col in self.cols[1:]:
            index *= len(col.contrib)
            index += col.chunk(rows)
        return np.take(self.lut, index)


def _groups(cols: list[Any]) -> list[_Group]:
    groups: list[list[Any]] = [[]]
    size = 1
    for col in cols:
        if groups[-1] and size * len(col.contrib) > _GROUP_LIMIT:
            groups.append([])
            size = 1
        groups[-1].append(col)
        size *= len(col.contrib)
    return [_Group.build(g) for g in groups]


def _sum_keys(groups: list[_Group], rows: slice) -> np.ndarray:
    key = groups[0].key(rows)
    for group in groups[1:]:
        key += group.key(rows)
    return key


def _arrow_numbers(array: pa.Array) -> tuple[np.ndarray, np.ndarray | None]:
    """The values (zero-copy) and missing flags of a numeric Arrow array."""
    validity, data = array.buffers()[:2]
    dtype = array.type.to_pandas_dtype()
    values = np.frombuffer(data, dtype=dtype)[array.offset : array.offset + len(array)]
    if not array.null_count or validity is None:
        return values, None
    bits = np.unpackbits(np.frombuffer(validity, np.uint8), bitorder="little")
    return values, bits[array.offset : array.offset + len(array)] == 0


def _numeric_oncotype(column: Any) -> _NumericOncotype | None:
    """The numeric fast path for an Arrow or pandas column of numbers; ``None`` for any other column."""
    if isinstance(column, pa.ChunkedArray | pa.Array):
        if not (pa.types.is_floating(column.type) or pa.types.is_integer(column.type)):
            return None
        array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        return _NumericOncotype(*_arrow_numbers(array), lambda i: array[i].as_py())
    import pandas as pd

    dtype = column.dtype
    if pd.api.types.is_bool_dtype(dtype) or not pd.api.types.is_numeric_dtype(dtype):
        return None
    mask = column.isna().to_numpy()
    values = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return _NumericOncotype(values, mask if mask.any() else None, lambda i: column.iloc[i].item())


@dataclass
class StagedColumns:
    """The outputs as codes: ``anatomic``/``prognostic`` index :data:`STAGES`, ``basis`` indexes
    ``("clinical", "pathological")``, -1 = null; ``rule`` with ``bad`` marking rows whose outputs are null;
    ``error`` indexes ``messages`` (-1 = no error)."""

    anatomic: np.ndarray
    prognostic: np.ndarray
    basis: np.ndarray
    rule: np.ndarray
    bad: np.ndarray
    error: np.ndarray
    messages: list[str]


def _columns(get: Callable[[str], Any], names: set[str], n_rows: int) -> dict[str, Any]:
    missing = [c for c in INPUTS if c not in names]
    if missing:
        raise InvalidInputError(
            "columns", sorted(names), f"a table with the columns {', '.join(INPUTS)}", detail=f"missing {missing}"
        )
    cols: dict[str, Any] = {}
    for name in (*INPUTS, *OPTIONAL):
        if name not in names:
            continue
        column = get(name)
        fast = _numeric_oncotype(column) if name == "oncotype_rs" else None
        cols[name] = fast or _Column.build(name, column)
    return cols


def stage_columns(get: Callable[[str], Any], names: set[str], n_rows: int) -> StagedColumns:
    """Stage the columns that ``get(name)`` returns (Arrow arrays or pandas Series) as codes.

    Parameters
    ----------
    get:
        Returns the column of a name in :data:`INPUTS` or :data:`OPTIONAL`.
    names:
        The column names the table has.
    n_rows:
        The number of rows.

    Returns
    -------
    StagedColumns
        The output codes; :func:`stage_breast_batch` turns them into table columns.
    """
    cols = _columns(get, names, n_rows)
    a_cols = [cols[c] for c in ("t", "n", "m", "system", "basis") if c in cols]
    b_cols = [cols[c] for c in ("grade", "er", "pr", "her2", "oncotype_rs")]
    out = StagedColumns(
        anatomic=np.empty(n_rows, np.int8),
        prognostic=np.empty(n_rows, np.int8),
        basis=np.empty(n_rows, np.int8),
        rule=np.empty(n_rows, np.int32),
        bad=np.empty(n_rows, np.bool_),
        error=np.empty(0, np.int32),
        messages=[],
    )
    if math.prod(len(c.contrib) for c in (*a_cols, *b_cols)) <= _FULL_LIMIT:
        _stage_precomposed(a_cols, b_cols, out, n_rows)
    else:
        _stage_by_keys(a_cols, b_cols, out, n_rows)
    bad_rows = np.flatnonzero(out.bad)
    for codes in (out.anatomic, out.prognostic, out.basis):
        codes[bad_rows] = -1
    out.error, out.messages = _errors(cols, bad_rows, n_rows)
    return out


_FULL_LIMIT = 1 << 20
"""Most distinct input combinations for which every output is looked up by one combined index per row."""


def _outputs(key_a: np.ndarray, key_b: np.ndarray) -> tuple[np.ndarray, ...]:
    """Anatomic, prognostic and basis codes (-1 = null), rule ids and bad flags from the two keys."""
    cell = np.take(lk.table_a(), key_a, mode="clip")
    bad = (key_a < 0) | (key_b < 0) | ((cell & (1 << lk.MIX_BIT)) != 0)
    index_b = (cell >> lk.MODE_SHIFT).astype(np.intp) * lk.KEY_B_SIZE + key_b
    prognostic = np.take(lk.table_b(), index_b, mode="clip") - np.int8(1)
    anatomic = ((cell & lk.ANATOMIC_MASK) - 1).astype(np.int8)
    basis = ((cell >> lk.BASIS_BIT) & 1).astype(np.int8)
    rule = (key_a.astype(np.int64) * lk.KEY_B_SIZE + key_b).astype(np.int32)
    return anatomic, prognostic, basis, rule, bad


def _stage_by_keys(a_cols: list[Any], b_cols: list[Any], out: StagedColumns, n_rows: int) -> None:
    """Many distinct inputs: sum each row's key contributions, then index the two dense tables."""
    groups_a, groups_b = _groups(a_cols), _groups(b_cols)
    for start in range(0, n_rows, CHUNK_ROWS):
        rows = slice(start, min(start + CHUNK_ROWS, n_rows))
        results = _outputs(_sum_keys(groups_a, rows), _sum_keys(groups_b, rows))
        for target, values in zip((out.anatomic, out.prognostic, out.basis, out.rule, out.bad), results, strict=True):
            target[rows] = values


def _stage_precomposed(a_cols: list[Any], b_cols: list[Any], out: StagedColumns, n_rows: int) -> None:
    """Few distinct inputs (the usual registry file): stage every combination once, then index per row."""
    cols = [*a_cols, *b_cols]
    shape = [len(c.contrib) for c in cols]
    key_a = np.zeros(shape, np.int64)
    key_b = np.zeros(shape, np.int64)
    for axis, col in enumerate(cols):
        view = [1] * len(cols)
        view[axis] = -1
        target = key_a if axis < len(a_cols) else key_b
        target += col.contrib.reshape(view)
    anatomic, prognostic, basis, rule, bad = _outputs(
        np.maximum(key_a.reshape(-1), lk.BAD), np.maximum(key_b.reshape(-1), lk.BAD)
    )
    rule[bad] = -1  # rule ids are never negative: the sign marks a bad row
    luts = (anatomic, prognostic, basis, rule)
    targets = (out.anatomic, out.prognostic, out.basis, out.rule)
    # The combined index fits 32 bits (few combinations): built in int32, half the memory traffic of intp
    small = np.int32 if key_a.size < 2**31 else np.intp
    for start in range(0, n_rows, CHUNK_ROWS):
        rows = slice(start, min(start + CHUNK_ROWS, n_rows))
        index = cols[0].chunk(rows).astype(small)
        for col in cols[1:]:
            index *= len(col.contrib)
            index += col.chunk(rows)
        index = index.astype(np.intp, copy=False)
        for target, lut in zip(targets, luts, strict=True):
            np.take(lut, index, out=target[rows], mode="clip")  # in range by construction; "raise" buffers out
    np.less(out.rule, 0, out=out.bad)


def _mix_message(cols: dict[str, Any], row: int) -> str | None:
    t, n = cols["t"], cols["n"]
    t_value, n_value = [*t.code.values, None], [*n.code.values, None]
    ti, ni = t.code.indices[row], n.code.indices[row]
    try:
        _check_post_therapy_prefixes(parse_t(t_value[ti]), parse_n(n_value[ni]))
    except InvalidInputError as exc:
        return str(exc)
    return None


def _errors(cols: dict[str, Any], rows: np.ndarray, n_rows: int) -> tuple[np.ndarray, list[str]]:
    """Error codes per row (-1 = none) and the distinct messages, worked out for the bad ``rows`` only.

    A row's error is its first refused input in the engine's order; rows whose first refused input has the same
    value share one message, worked out once.
    """
    if not len(rows):
        return np.full(n_rows, -1, np.int8), []
    names = [name for name in _ORDER if name in cols or name == "mix"]
    flags = np.stack([_mix_flags(cols, rows) if n == "mix" else cols[n].refused(rows) for n in names], axis=1)
    first = np.argmax(flags, axis=1)
    entry = np.zeros(len(rows), np.int64)
    for position, name in enumerate(names):
        mine = first == position
        if not mine.any():
            continue
        if name == "mix":
            n_size = len(cols["n"].contrib)
            entry[mine] = cols["t"].row_key(rows[mine]) * n_size + cols["n"].row_key(rows[mine])
        else:
            entry[mine] = cols[name].row_key(rows[mine])
    _, where, inverse = np.unique(np.stack([first, entry], axis=1), axis=0, return_index=True, return_inverse=True)
    messages: list[str] = []
    index: dict[str, int] = {}
    per_key = np.empty(len(where), np.int32)
    for k, (position, row) in enumerate(zip(first[where], rows[where], strict=True)):
        name = names[position]
        text = _mix_message(cols, int(row)) if name == "mix" else cols[name].message(int(row))
        assert text is not None  # the flag said refused
        per_key[k] = index.setdefault(text, len(messages))
        if per_key[k] == len(messages):
            messages.append(text)
    kind = np.int8 if len(messages) < 127 else np.int16 if len(messages) < 32767 else np.int32
    error = np.full(n_rows, -1, kind)
    error[rows] = per_key[inverse.reshape(-1)]
    return error, messages


def _post_kinds(column: _Column) -> np.ndarray:
    """Per distinct T or N value: -1 no prefix or refused, 0 a prefix other than y, 1 a post-therapy (y) prefix."""
    kinds = []
    for value in [*column.code.values, None]:
        try:
            cat = (parse_t if column.name == "t" else parse_n)(value)
        except InvalidInputError:
            kinds.append(-1)
            continue
        kinds.append(-1 if not cat.prefix else int(cat.is_post_therapy))
    return np.array(kinds, np.int8)


def _mix_flags(cols: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    t = _post_kinds(cols["t"])[cols["t"].code.indices[rows]]
    n = _post_kinds(cols["n"])[cols["n"].code.indices[rows]]
    return (t >= 0) & (n >= 0) & (t != n)


@lru_cache(maxsize=65536)
def rule_reasons(rule: int) -> tuple[Reason, ...]:
    """The reasons of a rule id: the one-case engine's reasons for a representative input of that id.

    Every row with the same rule id went through the same decision steps (the same reason rules, tables and
    stage groups). Texts that quote a row's own input (the category labels behind the basis, the Oncotype DX
    score) show the representative's; stage the row with :func:`stage_breast` for its own words.

    Parameters
    ----------
    rule:
        A value of the ``rule`` column.

    Returns
    -------
    tuple of Reason
        The reasons, each with its rule id, text and sources.

    Example
    -------
    >>> [r.rule for r in rule_reasons(0)]
    ['basis.prefix', 'edge.tx']
    """
    last = lk.KEY_A_SIZE * lk.KEY_B_SIZE - 1
    if isinstance(rule, bool) or not isinstance(rule, int | np.integer) or not 0 <= rule <= last:
        raise InvalidInputError("rule", rule, f"a rule id from 0 to {last}")
    return tuple(stage_breast(**lk.representative(int(rule))).reasons)


def _with_nulls(values: np.ndarray, null: np.ndarray) -> pa.Array:
    """An Arrow array over ``values`` (no copy) with ``null`` rows marked missing."""
    count = int(np.count_nonzero(null))
    bitmap = pa.py_buffer(np.packbits(~null, bitorder="little")) if count else None
    kind = pa.from_numpy_dtype(values.dtype)
    return pa.Array.from_buffers(kind, len(values), [bitmap, pa.py_buffer(values)], null_count=count)


def _arrow_outputs(staged: StagedColumns) -> dict[str, pa.Array]:
    stages = pa.array(STAGES)

    def dictionary(codes: np.ndarray, values: pa.Array) -> pa.Array:
        return pa.DictionaryArray.from_arrays(_with_nulls(codes, codes < 0), values, safe=False)  # codes in range

    return {
        "anatomic_stage": dictionary(staged.anatomic, stages),
        "prognostic_stage": dictionary(staged.prognostic, stages),
        "basis": dictionary(staged.basis, pa.array(lk.BASES)),
        "rule": _with_nulls(staged.rule, staged.bad),
        "error": dictionary(staged.error, pa.array(staged.messages, pa.string())),
    }


def _pandas_outputs(staged: StagedColumns) -> dict[str, Any]:
    import pandas as pd

    return {
        "anatomic_stage": pd.Categorical.from_codes(staged.anatomic, categories=list(STAGES)),
        "prognostic_stage": pd.Categorical.from_codes(staged.prognostic, categories=list(STAGES)),
        "basis": pd.Categorical.from_codes(staged.basis, categories=list(lk.BASES)),
        "rule": pd.arrays.IntegerArray(staged.rule, staged.bad.copy()),
        "error": pd.Categorical.from_codes(staged.error, categories=pd.Index(staged.messages, dtype=object)),
    }


def stage_breast_batch(table: Table) -> Table:
    """Stage every row of a table of breast cancers (AJCC 8th anatomic and prognostic, or UICC 8th).

    Parameters
    ----------
    table:
        A ``pyarrow.Table``, ``pyarrow.RecordBatch`` or ``pandas.DataFrame`` with the columns ``t, n, m, grade,
        er, pr, her2, oncotype_rs`` and optionally ``system`` and ``basis``, holding what
        :func:`~metastasis.staging.stage_breast` takes (missing values mean ``None``). Other columns (record ids)
        are kept as they are.

    Returns
    -------
    the same type
        The input rows in their order, with ``anatomic_stage``, ``prognostic_stage``, ``basis`` (the one used),
        ``rule`` (see :func:`rule_reasons`) and ``error`` (null, or the message of the input error, as
        :class:`InvalidInputError` words it). Existing columns of those names are replaced in place.

    Raises
    ------
    InvalidInputError
        When a required column is missing (a bad value in a row never raises: it fills ``error``).

    Example
    -------
    >>> import pyarrow as pa
    >>> t = pa.table({"t": ["cT1c"], "n": ["cN0"], "m": ["cM0"], "grade": [1], "er": ["+"], "pr": ["+"],
    ...               "her2": ["-"], "oncotype_rs": pa.array([None], pa.float64())})
    >>> stage_breast_batch(t).column("prognostic_stage").to_pylist()
    ['IA']
    """
    if isinstance(table, pa.Table | pa.RecordBatch):
        names = set(table.column_names)
        staged = stage_columns(table.column, names, table.num_rows)
        out = _arrow_outputs(staged)
        result = table
        for name in OUTPUTS:
            if name in names:
                result = result.set_column(result.column_names.index(name), name, out[name])
            else:
                result = result.append_column(name, out[name])
        return result
    import pandas as pd

    if not isinstance(table, pd.DataFrame):
        raise InvalidInputError("table", type(table).__name__, "a pyarrow Table or RecordBatch, or a pandas DataFrame")
    staged = stage_columns(table.__getitem__, set(table.columns), len(table))
    result = table.copy(deep=False)
    for name, values in _pandas_outputs(staged).items():
        result[name] = values
    return result
