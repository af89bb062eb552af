"""Columns of any type as dictionary codes: an integer index per row into a short list of distinct values.

Validation and look-ups then run once per distinct value, and rows are handled by indexing. Arrow dictionary
columns (as Parquet stores text) and pandas categoricals are used as they are, without a pass over the rows;
other columns are dictionary-encoded first. A missing value (Arrow null; pandas ``None``/``NaN``/``NA``) gets
the index ``len(values)``: one past the distinct values, where every look-up array keeps its entry for ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc


@dataclass(frozen=True)
class Coded:
    """One column as ``indices`` (numpy integers; ``len(values)`` for missing) into ``values`` (Python objects)."""

    indices: np.ndarray
    values: list[Any]


def _arrow_coded(array: pa.Array) -> Coded:
    if not pa.types.is_dictionary(array.type):
        array = pc.dictionary_encode(array)
    indices, values = array.indices, array.dictionary.to_pylist()
    if indices.null_count:
        indices = pc.fill_null(indices, len(values))
    return Coded(indices.to_numpy(zero_copy_only=False), values)


def _missing_last(codes: np.ndarray, count: int) -> np.ndarray:
    missing = codes < 0
    if not missing.any():
        return codes
    if count >= np.iinfo(codes.dtype).max:
        codes = codes.astype(np.int64)
    return np.where(missing, count, codes).astype(codes.dtype, copy=False)


def coded(column: Any) -> Coded:
    """Dictionary codes of an Arrow array/chunked array or a pandas Series.

    Example
    -------
    >>> import pyarrow as pa
    >>> c = coded(pa.array(["pT1", None, "pT1"]))
    >>> c.indices.tolist(), c.values
    ([0, 1, 0], ['pT1'])
    """
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks() if column.num_chunks != 1 else column.chunk(0)
    if isinstance(column, pa.Array):
        return _arrow_coded(column)
    import pandas as pd

    if isinstance(column.dtype, pd.CategoricalDtype):
        values = [_plain(v) for v in column.cat.categories]
        return Coded(_missing_last(np.asarray(column.cat.codes), len(values)), values)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = [_plain(v) for v in uniques]
    return Coded(_missing_last(codes, len(values)), values)


def _plain(value: Any) -> Any:
    """A numpy scalar as the Python value a caller of the one-case engine would pass."""
    return value.item() if isinstance(value, np.generic) else value
