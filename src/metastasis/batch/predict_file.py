"""PREDICT Breast over a whole CSV or Parquet file: read in batches, predict each, write each.

The file holds the numeric columns of :mod:`metastasis.predict.predict_batch` (``age``, ``size_mm``, ``nodes``,
``grade``, ``er`` and the optional ones); every other column is kept. Rows in = rows out: a bad row gets empty
outputs and an ``error`` (the words of :class:`~metastasis.errors.InvalidInputError`); an empty field is a
missing value (unknown where the column allows it).

Example
-------
>>> import pyarrow as pa, tempfile, os
>>> folder = tempfile.mkdtemp()
>>> source, target = os.path.join(folder, "in.parquet"), os.path.join(folder, "out.parquet")
>>> from metastasis.batch.tables import TableWriter
>>> with TableWriter(source, "parquet") as w:
...     w.write(pa.record_batch({"id": ["a", "b"], "age": [55.0, 20.0], "size_mm": [22.0, 10.0],
...                              "nodes": [1, 0], "grade": [2, 1], "er": [1, 1]}))
>>> s = predict_file(source, target, "parquet", version="3.2", years=(10,))
>>> (s.rows, s.predicted, dict(s.errors))
(2, 1, {'age': 1})
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from metastasis.batch.tables import TableWriter, format_of, read_table
from metastasis.errors import InvalidInputError
from metastasis.predict.predict_batch import COLUMNS, predict_breast_batch

Progress = Callable[[int, int], None]
"""Called after each batch with (rows so far, bytes of the input read so far; Parquet: not counted)."""
_FIELD = re.compile(r"^invalid ([\w ]+?): ")


@dataclass
class PredictSummary:
    """What a run did: rows in (= rows out), rows predicted, rows with an error by field."""

    rows: int = 0
    predicted: int = 0
    errors: Counter[str] = field(default_factory=Counter)


def _numbers(column: pa.ChunkedArray | pa.Array, name: str, errors: np.ndarray) -> np.ndarray:
    """A column as float64 with NaN for missing; text that is not a number gives that row an error."""
    if pa.types.is_dictionary(column.type):
        column = pc.cast(column, column.type.value_type)
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type) or pa.types.is_boolean(column.type):
        return np.asarray(pc.cast(column, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)
    values = np.full(len(column), np.nan)
    for row, value in enumerate(column.to_pylist()):  # the rare path: a column the reader could not read as numbers
        if value is None or value == "":
            continue
        try:
            values[row] = float(value)
        except (TypeError, ValueError):
            if errors[row] is None:
                errors[row] = str(InvalidInputError(name, value, "a number"))
    return values


def predict_batches(
    batches: Iterator[pa.RecordBatch], version: str, years: Sequence[int], summary: PredictSummary
) -> Iterator[pa.RecordBatch]:
    """Each input batch with the PREDICT outputs and ``error`` added (replacing columns of those names)."""
    for batch in batches:
        rows = batch.num_rows
        text_errors = np.full(rows, None, dtype=object)
        data = {n: _numbers(batch.column(n), n, text_errors) for n in COLUMNS if n in batch.schema.names}
        if not rows:
            data = {n: np.empty(0) for n in data}
        out = predict_breast_batch(data, version=version, years=years, errors="column")
        error = out.pop("error")
        text = np.array([e is not None for e in text_errors], dtype=bool)
        if text.any():  # text that is not a number is reported before any range check of the same row
            error[text] = text_errors[text]
            for values in out.values():
                values[text] = np.nan
        failed = np.array([e is not None for e in error], dtype=bool)
        summary.rows += rows
        summary.predicted += int(rows - failed.sum())
        for message in error[failed]:
            match = _FIELD.match(message)
            summary.errors[match[1] if match else "other"] += 1
        kept = [n for n in batch.schema.names if n not in out and n != "error"]
        arrays = [batch.column(n) for n in kept]
        arrays += [pa.array(values, mask=failed) for values in out.values()]
        arrays.append(pa.array(error, type=pa.string()))
        yield pa.RecordBatch.from_arrays(arrays, names=[*kept, *out, "error"])


def predict_file(
    source: Path | str,
    target: Path | str,
    kind: str,
    *,
    version: str = "2.1",
    years: Sequence[int] = (5, 10, 15),
    progress: Progress | None = None,
) -> PredictSummary:
    """Predict every row of a CSV or Parquet ``source`` and write ``target`` (``parquet`` or ``csv``).

    Parameters
    ----------
    source:
        CSV or Parquet file with the PREDICT input columns.
    target:
        The output file.
    kind:
        ``parquet`` or ``csv``.
    version, years:
        As :func:`metastasis.predict.predict_breast_batch`.
    progress:
        Called after each batch.

    Returns
    -------
    PredictSummary

    Raises
    ------
    InvalidInputError
        An unreadable input, a missing required column, a bad option.
    """
    source, target = Path(source), Path(target)
    if format_of(source) not in ("csv", "parquet"):
        raise InvalidInputError("input", str(source), "a CSV or Parquet file of PREDICT inputs")
    if kind not in ("csv", "parquet"):
        raise InvalidInputError("format", kind, ("parquet", "csv"))
    summary = PredictSummary()
    try:
        raw = source.open("rb")
    except OSError as exc:
        raise InvalidInputError("input", str(source), "a readable CSV or Parquet file", detail=exc.strerror) from None
    with raw, TableWriter(target, kind) as writer:
        batches = read_table(source, raw=raw if format_of(source) == "csv" else None)
        for batch in predict_batches(batches, version, years, summary):
            writer.write(batch)
            if progress is not None:
                progress(summary.rows, raw.tell())
    return summary
