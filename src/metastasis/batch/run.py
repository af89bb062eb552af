"""Stage a whole file on this machine: read in batches, stage each, write each, count what happened.

CSV and Parquet hold the engine's input columns; NAACCR XML is read item by item and mapped to them
(:mod:`metastasis.batch.codes`). Output is Parquet, CSV, or NAACCR XML (only from NAACCR XML input: the file is
copied with the results added to each breast tumour, from a temporary Parquet file of results, so memory stays
flat).
"""

from __future__ import annotations

import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import pyarrow as pa
import pyarrow.compute as pc

from metastasis.batch.codes import map_tumours
from metastasis.batch.naaccr import NaaccrInfo, read_naaccr, write_naaccr
from metastasis.batch.tables import TableWriter, format_of, read_table
from metastasis.errors import InvalidInputError
from metastasis.staging.batch import stage_breast_batch

Progress = Callable[[int, int], None]
"""Called after each batch with (rows so far, bytes of the input read so far; Parquet: not counted)."""
_FIELD = re.compile(r"^invalid ([\w ]+?): ")


@dataclass
class Summary:
    """What a batch run did: rows in (= rows out), rows with a stage group, rows with an error by field."""

    rows: int = 0
    staged: int = 0
    no_group: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    tumours_read: int | None = None
    """NAACCR XML only: every tumour in the file (non-breast tumours are not staged)."""

    def add(self, result: pa.RecordBatch | pa.Table) -> None:
        """Count one staged batch."""
        self.rows += result.num_rows
        anatomic = result.column("anatomic_stage")
        error = result.column("error")
        bad = error.null_count
        self.staged += result.num_rows - anatomic.null_count
        self.no_group += anatomic.null_count - (result.num_rows - bad)
        counts = pc.value_counts(error.dictionary.take(error.indices) if pa.types.is_dictionary(error.type) else error)
        for entry in counts.to_pylist():
            if entry["values"] is not None:
                match = _FIELD.match(entry["values"])
                self.errors[match[1] if match else "other"] += entry["counts"]


def _batches(path: Path, summary: Summary, raw: IO[bytes]) -> Iterator[pa.RecordBatch]:
    """Input batches holding the engine's columns (NAACCR XML mapped)."""
    kind = format_of(path)
    if kind == "naaccr-xml":
        info = NaaccrInfo()
        for items in read_naaccr(path, info=info, raw=raw):
            summary.tumours_read = info.tumours
            yield from map_tumours(items).to_batches()
        summary.tumours_read = info.tumours
        return
    yield from read_table(path, raw=raw if kind == "csv" else None)


def stage_file(source: Path | str, target: Path | str, kind: str, progress: Progress | None = None) -> Summary:
    """Stage every row of ``source`` and write ``target`` in format ``kind``.

    Parameters
    ----------
    source:
        CSV, Parquet or NAACCR XML (format from the name).
    target:
        The output file.
    kind:
        ``parquet``, ``csv`` or ``naaccr-xml`` (the last needs NAACCR XML input).
    progress:
        Called after each batch.

    Returns
    -------
    Summary

    Raises
    ------
    InvalidInputError
        An unreadable input, or an output format the input cannot give.
    """
    source, target = Path(source), Path(target)
    summary = Summary()
    if kind == "naaccr-xml":
        if format_of(source) != "naaccr-xml":
            raise InvalidInputError("format", kind, "parquet or csv (NAACCR XML output needs NAACCR XML input)")
        with tempfile.TemporaryDirectory() as folder:
            results = Path(folder) / "results.parquet"
            with TableWriter(results, "parquet") as writer:
                for batch in _staged(source, summary, progress):
                    writer.write(batch.select(["patient_id", "tumor_record_number", *_DERIVED]))
            with target.open("wb") as out:
                write_naaccr(source, out, read_table(results, batch_rows=1 << 14))
        return summary
    with TableWriter(target, kind) as writer:
        for batch in _staged(source, summary, progress):
            writer.write(batch)
    return summary


_DERIVED = ("anatomic_stage", "prognostic_stage", "basis", "rule", "error")


def _staged(source: Path, summary: Summary, progress: Progress | None) -> Iterator[pa.RecordBatch]:
    try:
        raw = source.open("rb")
    except OSError as exc:
        allowed = "a readable CSV, Parquet or NAACCR XML file"
        raise InvalidInputError("input", str(source), allowed, detail=exc.strerror) from None
    with raw:
        for batch in _batches(source, summary, raw):
            result = stage_breast_batch(batch)
            summary.add(result)
            if progress is not None:
                progress(summary.rows, raw.tell())
            yield result
