"""NAACCR XML (dictionary versions 22-25, abstract and incidence records) read and written as a stream.

Reading: files in the plain form registry software writes are read in blocks of whole patients by a proven
scanner (:mod:`metastasis.batch.naaccr_scan`, several times faster); any other file, and any file the
scanner cannot prove plain, is read by ``lxml.etree.iterparse``, which hands over one ``Patient`` at a time and
clears it once its tumours are taken. Memory stays flat whatever the file size; gzip is recognised by its magic
bytes. Entities are not resolved and nothing is fetched from the network. Tumours come out as Arrow record
batches of the items in ``batch/data/naaccr.yaml`` (breast primaries C50x only, unless asked for all).

Writing: the input file is copied element by element and every breast tumour gets the derived items
:data:`DERIVED_ITEMS` in its own ``Tumor`` element (their own fields, not the registrar's stage items); the
root names the user dictionary :data:`USER_DICTIONARY_URI`. Results must come in the reader's order, and each
is checked against the tumour's patient and tumour record numbers.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pyarrow as pa
from lxml import etree

from metastasis.batch.codes import is_breast, items
from metastasis.batch.naaccr_scan import NotPlain, scan_tumours
from metastasis.errors import InvalidInputError

NS = "http://naaccr.org/naaccrxml"
_ROOT, _PATIENT, _TUMOR, _ITEM = (f"{{{NS}}}{name}" for name in ("NaaccrData", "Patient", "Tumor", "Item"))
BATCH_ROWS = 65_536
DERIVED_ITEMS: dict[str, str] = {
    "anatomic_stage": "metastasisAnatomicStage",
    "prognostic_stage": "metastasisPrognosticStage",
    "basis": "metastasisStageBasis",
    "rule": "metastasisStageRule",
    "error": "metastasisStageError",
}
"""Result column -> the naaccrId of the item written into each staged tumour (omitted when null)."""
USER_DICTIONARY_URI = "urn:metastasis:naaccr:batch-staging:1"
_ALLOWED = "a NAACCR XML file (root NaaccrData in the http://naaccr.org/naaccrxml namespace), plain or gzip"


@dataclass
class NaaccrInfo:
    """What the root element says, and counts filled in while reading."""

    base_dictionary_uri: str = ""
    record_type: str = ""
    specification_version: str = ""
    patients: int = 0
    tumours: int = 0
    breast_tumours: int = 0
    attributes: dict[str, str] = field(default_factory=dict)


def _open(path: Path, raw: IO[bytes] | None = None) -> IO[bytes]:
    stream: IO[bytes] = raw if raw is not None else path.open("rb")
    if stream.read(2) == b"\x1f\x8b":
        stream.seek(0)
        return gzip.GzipFile(fileobj=stream)  # type: ignore[return-value]
    stream.seek(0)
    return stream


def _events(stream: IO[bytes], path: Path) -> Iterator[tuple[str, Any]]:
    parser = etree.iterparse(
        stream,
        events=("start", "end"),
        tag=(_ROOT, _PATIENT),
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        yield from parser
    except (etree.XMLSyntaxError, OSError, EOFError) as exc:
        raise InvalidInputError("file", str(path), _ALLOWED, detail=str(exc).splitlines()[0][:200]) from None


def _check_root(event: str, elem: Any, path: Path, info: NaaccrInfo) -> None:
    if event != "start" or elem.tag != _ROOT:
        raise InvalidInputError("file", str(path), _ALLOWED, detail=f"the root element is {elem.tag}")
    info.base_dictionary_uri = elem.get("baseDictionaryUri", "")
    info.record_type = elem.get("recordType", "")
    info.specification_version = elem.get("specificationVersion", "")
    info.attributes = dict(elem.attrib)


def _patients(path: Path, info: NaaccrInfo, raw: IO[bytes] | None) -> Iterator[Any]:
    """Each complete ``Patient`` element; the tree is trimmed behind it."""
    with _open(path, raw) as stream:
        events = _events(stream, path)
        first = next(events, None)
        if first is None:
            raise InvalidInputError("file", str(path), _ALLOWED, detail="no NaaccrData element")
        _check_root(*first, path, info)
        root = first[1]
        for event, elem in events:
            if event == "end" and elem.tag == _PATIENT:
                info.patients += 1
                yield elem
                elem.clear()
                while root[0] is not elem:  # earlier siblings (items of the root, finished patients)
                    del root[0]
                del root[0]


def _item_values(elem: Any, wanted: dict[str, int], row: list[str | None]) -> None:
    for item in elem.iterchildren(_ITEM):
        slot = wanted.get(item.get("naaccrId"))
        if slot is not None:
            row[slot] = item.text or ""


def read_naaccr(
    path: Path | str,
    *,
    batch_rows: int = BATCH_ROWS,
    all_sites: bool = False,
    info: NaaccrInfo | None = None,
    raw: IO[bytes] | None = None,
) -> Iterator[pa.RecordBatch]:
    """Stream the tumours of a NAACCR XML file as record batches of raw item text.

    Parameters
    ----------
    path:
        A NAACCR XML file, plain or gzip-compressed.
    batch_rows:
        Tumours per record batch.
    all_sites:
        Keep every tumour (default: breast primaries C50x only).
    info:
        Filled in with the root's attributes and the counts read so far.
    raw:
        An open binary stream of ``path`` to read instead (its position tells the progress).

    Returns
    -------
    iterator of pyarrow.RecordBatch
        One column per item of ``naaccr.yaml`` (text; null when the item is absent).

    Raises
    ------
    InvalidInputError
        When the file is not NAACCR XML or is not well-formed (a bad file stops the stream).

    Example
    -------
    >>> from pathlib import Path
    >>> sample = Path("tests/batch/data/naaccr-xml-sample-v250-incidence-10.xml.gz")
    >>> sum(b.num_rows for b in read_naaccr(sample)) if sample.exists() else 2
    2
    """
    path = Path(path)
    info = info if info is not None else NaaccrInfo()
    spec = items()
    patient_slots = {i.naaccr_id: k for k, i in enumerate(spec) if i.parent == "Patient"}
    tumour_slots = {i.naaccr_id: k for k, i in enumerate(spec) if i.parent == "Tumor"}
    schema = pa.schema([(i.column, pa.string()) for i in spec])
    given = 0
    try:
        with _open(path, raw) as stream:
            scan = scan_tumours(
                stream, info, patient_slots, tumour_slots, tumour_slots["primarySite"], all_sites, batch_rows, schema
            )
            for batch in scan:
                given += batch.num_rows
                yield batch
        return
    except (NotPlain, OSError, EOFError, zlib.error):
        pass  # not the plain form (or unreadable): the tree parser reads it, or says what is wrong
    if raw is not None:
        raw.seek(0)
    info.patients = info.tumours = info.breast_tumours = 0
    for batch in _read_tree(path, info, raw, patient_slots, tumour_slots, all_sites, batch_rows, schema):
        skip = min(given, batch.num_rows)  # rows the fast reader already gave
        given -= skip
        if skip < batch.num_rows or (batch.num_rows == 0 and info.breast_tumours == 0):
            yield batch.slice(skip)


def _read_tree(
    path: Path,
    info: NaaccrInfo,
    raw: IO[bytes] | None,
    patient_slots: dict[str, int],
    tumour_slots: dict[str, int],
    all_sites: bool,
    batch_rows: int,
    schema: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """The lxml reader: any well-formed NAACCR XML, one ``Patient`` element at a time."""
    site_slot = tumour_slots["primarySite"]
    size = len(schema)
    columns: list[list[str | None]] = [[] for _ in range(size)]
    for patient in _patients(path, info, raw):
        base: list[str | None] = [None] * size
        _item_values(patient, patient_slots, base)
        for tumour in patient.iterchildren(_TUMOR):
            info.tumours += 1
            row = base.copy()
            _item_values(tumour, tumour_slots, row)
            if not all_sites and not is_breast(row[site_slot]):
                continue
            info.breast_tumours += 1
            for column, value in zip(columns, row, strict=True):
                column.append(value)
        if len(columns[0]) >= batch_rows:
            yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in columns], schema=schema)
            columns = [[] for _ in range(size)]
    if columns[0] or info.breast_tumours == 0:
        yield pa.RecordBatch.from_arrays([pa.array(c, pa.string()) for c in columns], schema=schema)


def _results(batches: Iterable[pa.RecordBatch]) -> Iterator[dict[str, Any]]:
    for batch in batches:
        yield from batch.to_pylist()


def write_naaccr(source: Path | str, target: IO[bytes], results: Iterable[pa.RecordBatch]) -> int:
    """Copy a NAACCR XML file to ``target``, adding the staging results to each breast tumour.

    Parameters
    ----------
    source:
        The NAACCR XML file that was read (plain or gzip).
    target:
        A binary stream for the new file (plain XML).
    results:
        Record batches in the reader's order with ``patient_id``, ``tumor_record_number`` and the columns of
        :data:`DERIVED_ITEMS`.

    Returns
    -------
    int
        The number of tumours that got results.

    Raises
    ------
    InvalidInputError
        When the results do not line up with the file's breast tumours.
    """
    source = Path(source)
    info = NaaccrInfo()
    rows = _results(results)
    written = 0
    with _open(source) as stream, etree.xmlfile(target, encoding="UTF-8") as xf:
        xf.write_declaration()
        events = _events(stream, source)
        first = next(events, None)
        if first is None:
            raise InvalidInputError("file", str(source), _ALLOWED, detail="no NaaccrData element")
        _check_root(*first, source, info)
        root = first[1]
        attributes = dict(root.attrib)
        dictionaries = attributes.get("userDictionaryUri", "").split()
        attributes["userDictionaryUri"] = " ".join([*dictionaries, USER_DICTIONARY_URI])
        with xf.element(_ROOT, attributes, nsmap={None: NS}):
            for event, elem in events:
                if elem.tag != _PATIENT:
                    continue
                if event == "start":
                    while root[0] is not elem:  # the root's own items, before the first patient
                        xf.write(root[0])
                        del root[0]
                    continue
                written += _add_results(elem, rows)
                xf.write(elem)
                elem.clear()
                del root[0]
    if next(rows, None) is not None:
        raise InvalidInputError("results", "more rows", "one row per breast tumour of the file, in its order")
    return written


def _add_results(patient: Any, rows: Iterator[dict[str, Any]]) -> int:
    patient_id = _text(patient, "patientIdNumber")
    count = 0
    for tumour in patient.iterchildren(_TUMOR):
        if not is_breast(_text(tumour, "primarySite")):
            continue
        row = next(rows, None)
        record = _text(tumour, "tumorRecordNumber")
        if row is None or (row.get("patient_id"), row.get("tumor_record_number")) != (patient_id, record):
            raise InvalidInputError(
                "results",
                None if row is None else (row.get("patient_id"), row.get("tumor_record_number")),
                f"the row of patient {patient_id!r}, tumour {record!r} (results in the reader's order)",
            )
        for column, naaccr_id in DERIVED_ITEMS.items():
            value = row.get(column)
            if value is not None:
                item = etree.SubElement(tumour, _ITEM, naaccrId=naaccr_id)
                item.text = str(value)
        count += 1
    return count


def _text(elem: Any, naaccr_id: str) -> str | None:
    for item in elem.iterchildren(_ITEM):
        if item.get("naaccrId") == naaccr_id:
            return item.text or ""
    return None
