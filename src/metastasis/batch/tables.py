"""CSV and Parquet read and written in record batches (pyarrow), so a file of any size streams through.

Text columns of Parquet files are read as dictionary arrays (how Parquet stores them), which the columnar
staging uses without a pass over the rows; CSV text is dictionary-encoded by the reader. An empty CSV field is
a missing value. A file that cannot be read raises :class:`InvalidInputError` naming it.

Example
-------
>>> import pyarrow as pa, tempfile, os
>>> path = os.path.join(tempfile.mkdtemp(), "x.parquet")
>>> with TableWriter(path, "parquet") as w:
...     w.write(pa.record_batch({"t": ["pT1"]}))
>>> [b.num_rows for b in read_table(path)]
[1]
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from metastasis.errors import InvalidInputError

FORMATS: tuple[str, ...] = ("parquet", "csv", "naaccr-xml")
BATCH_ROWS = 1 << 20
_NUMERIC = {"oncotype_rs": pa.float64()}
_ALLOWED = "a readable CSV, Parquet or NAACCR XML file"


def format_of(path: Path | str) -> str:
    """The format a file name says: ``.parquet``/``.pq``, ``.csv`` (``.gz`` allowed), ``.xml`` (``.gz``).

    Example
    -------
    >>> format_of("cases.csv.gz"), format_of("registry.XML")
    ('csv', 'naaccr-xml')
    """
    name = str(path).lower().removesuffix(".gz")
    for suffix, kind in ((".parquet", "parquet"), (".pq", "parquet"), (".csv", "csv"), (".xml", "naaccr-xml")):
        if name.endswith(suffix):
            return kind
    raise InvalidInputError("format", str(path), "a file ending in .parquet, .pq, .csv or .xml (optionally .gz)")


def _unreadable(path: Path | str, exc: Exception) -> InvalidInputError:
    return InvalidInputError("input", str(path), _ALLOWED, detail=str(exc).splitlines()[0][:200] if str(exc) else None)


def _check_schema(path: Path | str, schema: pa.Schema) -> None:
    """Refuse what would break a run later: a column name twice, CSV text that is not UTF-8."""
    names = schema.names
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InvalidInputError("input", str(path), "a table with each column named once", detail=f"twice: {twice}")
    binary = [f.name for f in schema if pa.types.is_binary(getattr(f.type, "value_type", f.type))]
    if binary:
        raise InvalidInputError("input", str(path), "a CSV file in UTF-8", detail=f"not UTF-8 text in {binary}")


def count_rows(path: Path | str) -> int | None:
    """Rows of a Parquet file from its metadata; ``None`` for other formats (unknown until read)."""
    if format_of(path) != "parquet":
        return None
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(path, exc) from None


def read_table(path: Path | str, *, batch_rows: int = BATCH_ROWS, raw: Any = None) -> Iterator[pa.RecordBatch]:
    """Stream a CSV or Parquet file as record batches.

    Parameters
    ----------
    path:
        The file.
    batch_rows:
        Rows per batch (Parquet; CSV batches follow the reader's block size).
    raw:
        An open binary stream of a CSV ``path`` to read instead (its position tells the progress).

    Returns
    -------
    iterator of pyarrow.RecordBatch

    Raises
    ------
    InvalidInputError
        When the file cannot be opened or parsed.
    """
    kind = format_of(path)
    try:
        if kind == "parquet":
            file = pq.ParquetFile(path)
            text = [f.name for f in file.schema_arrow if pa.types.is_string(f.type) or pa.types.is_large_string(f.type)]
            file = pq.ParquetFile(path, read_dictionary=text)
            _check_schema(path, pa.schema([f for f in file.schema_arrow if not pa.types.is_binary(f.type)]))
            yield from file.iter_batches(batch_size=batch_rows)
            return
        if kind != "csv":
            raise InvalidInputError("input", str(path), "a CSV or Parquet file", detail=f"this is {kind}")
        source: Any = path if raw is None else raw
        if raw is not None and str(path).lower().endswith(".gz"):
            source = pa.CompressedInputStream(pa.PythonFile(raw, mode="r"), "gzip")
        reader = pacsv.open_csv(
            source,
            read_options=pacsv.ReadOptions(block_size=1 << 24),
            convert_options=pacsv.ConvertOptions(
                column_types=_NUMERIC,
                strings_can_be_null=True,
                auto_dict_encode=True,
                auto_dict_max_cardinality=1 << 16,
            ),
        )
        _check_schema(path, reader.schema)
        yield from reader
    except (OSError, pa.ArrowException) as exc:
        raise _unreadable(path, exc) from None


def _plain(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Dictionary columns as plain ones (the CSV writer takes no dictionaries)."""
    arrays = [pc.cast(c, c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in batch.columns]
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


def _stable(batch: pa.RecordBatch) -> pa.RecordBatch:
    """Batches of one file share a schema: text as plain strings, null-only columns as strings."""
    arrays = []
    for column in batch.columns:
        if pa.types.is_dictionary(column.type):
            column = pc.cast(column, pa.string()) if pa.types.is_string(column.type.value_type) else column
        elif pa.types.is_null(column.type):
            column = pa.nulls(len(column), pa.string())
        arrays.append(column)
    return pa.RecordBatch.from_arrays(arrays, names=batch.schema.names)


class TableWriter:
    """Write record batches to one CSV or Parquet file as they come (the schema is the first batch's)."""

    def __init__(self, path: Path | str, kind: str) -> None:
        if kind not in ("parquet", "csv"):
            raise InvalidInputError("format", kind, "parquet, csv")
        self.path, self.kind = Path(path), kind
        self._writer: Any = None
        self.rows = 0

    def write(self, batch: pa.RecordBatch) -> None:
        """Append one batch."""
        batch = _stable(batch)
        if self.kind == "csv":
            batch = _plain(batch)
        if self._writer is None:
            if self.kind == "parquet":
                self._writer = pq.ParquetWriter(self.path, batch.schema, compression="zstd")
            else:
                self._writer = pacsv.CSVWriter(self.path, batch.schema)
        self._writer.write_batch(batch)
        self.rows += batch.num_rows

    def close(self) -> None:
        """Finish the file (an empty input still gives a file)."""
        if self._writer is None:
            self.path.write_bytes(b"") if self.kind == "csv" else pq.write_table(pa.table({}), self.path)
            return
        self._writer.close()

    def __enter__(self) -> TableWriter:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()
        if kind is not None:  # a run that failed part-way leaves no file that looks complete but lacks rows
            self.path.unlink(missing_ok=True)
