"""A fast reader for NAACCR XML in the plain form registry software writes; anything else is left to lxml.

Building an element for every ``Item`` (``lxml.iterparse``), or even a regular-expression match, costs more
than the budget of 100,000 tumours a second. Files written by registry software (the NAACCR XML library and
its peers) use a few fixed spellings: ``<Patient>``, ``<Tumor>``, ``<Item naaccrId="...">text</Item>`` and
``<Item naaccrId="..."/>`` in the default namespace. This reader takes blocks of whole patients and, with
array operations over the bytes (numpy), proves that every ``<`` of the block starts one of those spellings,
that no text holds a reference (``&``), ``]]>`` or a control character, that the bytes are UTF-8, and that the
nesting is NaaccrData > Patient > Tumor; only then does it take the wanted items (the last of each id wins, as
in the tree reader; a patient's items apply to each of its tumours wherever they stand in the patient).

A block that cannot be proved plain raises :class:`NotPlain`; :func:`metastasis.batch.naaccr.read_naaccr`
then reads the file again with ``lxml`` (skipping the rows already given), so an unusual or broken file gets
exactly the tree parser's result or error. The declaration and root element are parsed with ``lxml`` too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from lxml import etree

from metastasis.batch.codes import is_breast
from metastasis.errors import DataIntegrityError

NS = "http://naaccr.org/naaccrxml"
BLOCK_BYTES = 1 << 22
_ROOT = f"{{{NS}}}NaaccrData"
_PATIENT_START, _PATIENT_END = b"<Patient>", b"</Patient>"
_TAIL = re.compile(rb"[ \t\r\n]*</NaaccrData>[ \t\r\n]*")  # XML white space only
_PLAIN_ENCODINGS = {"UTF-8", "UTF8", "ASCII", "US-ASCII"}
_ORDINARY = bytes(b for b in range(32, 128) if b not in b"&]") + b"\t\n"
"""Bytes that need no second look; a plain ASCII block without "]" has nothing else."""
_NOT_CHARACTER = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f&]")
"""Control characters (not XML 1.0 characters; carriage returns are normalised first) and references."""
_PAD = 48
_MASKS = np.array([(1 << (8 * n)) - 1 for n in range(9)], dtype=np.uint64)


def _word(text: bytes) -> np.uint64:
    """The first (up to) 8 bytes of ``text`` as the little-endian word the byte view gives."""
    return np.uint64(int.from_bytes(text[:8].ljust(8, b"\0"), "little"))


_P_OPEN, _P_CLOSE, _T_OPEN, _T_CLOSE, _I_TEXT, _I_EMPTY, _I_CLOSE = range(7)
_ITEM_OPEN = (_word(b"<Item na"), _word(b'accrId="'))


class NotPlain(Exception):
    """The file is not in the plain form this reader proves; read it with the tree parser instead."""


def _head(stream: IO[bytes], info: Any) -> bytes:
    """Read and check the declaration and root start tag; return the bytes read after them."""
    buffer = b""
    while _PATIENT_START not in buffer:
        data = stream.read(BLOCK_BYTES)
        if not data or len(buffer) > BLOCK_BYTES:  # no patient, or a long preamble: not the plain form
            raise NotPlain
        buffer += data
    at = buffer.index(_PATIENT_START)
    head = buffer[:at].replace(b"\r\n", b"\n").replace(b"\r", b"\n")  # XML end-of-line handling
    if b"<!" in head or b"&" in head:  # DOCTYPE, comments, references: the tree parser's job
        raise NotPlain
    try:
        root = etree.fromstring(head + b"</NaaccrData>", etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise NotPlain from None
    encoding = (root.getroottree().docinfo.encoding or "UTF-8").upper()
    if root.tag != _ROOT or root.prefix is not None or encoding not in _PLAIN_ENCODINGS:
        raise NotPlain
    info.base_dictionary_uri = root.get("baseDictionaryUri", "")
    info.record_type = root.get("recordType", "")
    info.specification_version = root.get("specificationVersion", "")
    info.attributes = dict(root.attrib)
    return buffer[at:]


def _blocks(stream: IO[bytes], rest: bytes) -> Iterator[bytes]:
    """Whole patients, a few MB at a time; the end of the file is checked."""
    buffer = rest
    while True:
        data = stream.read(BLOCK_BYTES)
        if data:
            buffer += data
        cut = buffer.rfind(_PATIENT_END)
        if cut >= 0:
            cut += len(_PATIENT_END)
            block, buffer = buffer[:cut], buffer[cut:]
            if b"\r" in block:  # XML end-of-line handling, before anything else reads the text
                block = block.replace(b"\r\n", b"\n").replace(b"\r", b"\n")
            yield block
        if not data:
            if not _TAIL.fullmatch(buffer):
                raise NotPlain
            return


def _check_text(block: bytes) -> bool:
    """Refuse references, ``]]>``, control characters and bad UTF-8; return whether the block is pure ASCII."""
    unusual = block.translate(None, _ORDINARY)
    if not unusual:
        return True
    if _NOT_CHARACTER.search(unusual) or (b"]" in unusual and b"]]>" in block):
        raise NotPlain
    if max(unusual) < 128:
        return True
    try:
        block.decode("utf-8")
    except UnicodeDecodeError:
        raise NotPlain from None
    if b"\xef\xbf\xbe" in block or b"\xef\xbf\xbf" in block:  # U+FFFE, U+FFFF: not characters
        raise NotPlain
    return False


class _Ids:
    """Wanted item ids as byte words, to find each item's slot with array look-ups."""

    def __init__(self, slots: dict[str, int]) -> None:
        encoded = sorted((name.encode(), slot) for name, slot in slots.items())
        self.longest = max(len(name) for name, _ in encoded)
        self.words = -(-self.longest // 8)
        table = np.zeros((len(encoded), self.words), dtype=np.uint64)
        for row, (name, _) in enumerate(encoded):
            for k in range(self.words):
                table[row, k] = _word(name[8 * k : 8 * k + 8])
        # ids are found by their first 8 bytes and length, then checked whole
        self.key = np.array([table[r, 0] ^ np.uint64(len(n) << 58) for r, (n, _) in enumerate(encoded)])
        if np.unique(self.key).size != self.key.size:
            raise DataIntegrityError("naaccr.yaml: item ids must differ in their first 8 bytes or their length")
        order = np.argsort(self.key)
        self.key, self.table = self.key[order], table[order]
        self.lengths = np.array([len(n) for n, _ in encoded], dtype=np.int64)[order]
        self.slots = np.array([s for _, s in encoded], dtype=np.int64)[order]

    def slot(self, words: np.ndarray, start: np.ndarray, length: np.ndarray) -> np.ndarray:
        """Slot of each id (its bytes at ``start``, ``length`` long), -1 where it is not wanted."""
        first = words[start] & _MASKS[np.minimum(length, 8)]
        key = first ^ (np.minimum(length, 63).astype(np.uint64) << np.uint64(58))
        at = np.minimum(np.searchsorted(self.key, key), self.key.size - 1)
        found = (self.key[at] == key) & (self.lengths[at] == length)
        for k in range(1, self.words):
            check = np.flatnonzero(found & (length > 8 * k))
            if not check.size:
                break
            valid = np.clip(length[check] - 8 * k, 0, 8)
            same = (words[start[check] + 8 * k] & _MASKS[valid]) == self.table[at[check], k]
            found[check[~same]] = False
        return np.where(found, self.slots[at], -1)


_FIRST7 = {  # the first 7 bytes of each spelling, then the bytes that must follow them
    _P_OPEN: (b"<Patien", b"t>"),
    _P_CLOSE: (b"</Patie", b"nt>"),
    _T_OPEN: (b"<Tumor>", b""),
    _T_CLOSE: (b"</Tumor", b">"),
    _I_CLOSE: (b"</Item>", b""),
    _I_TEXT: (b"<Item n", b'aaccrId="'),
}
_KEYS = np.array(sorted(_word(first) for first, _ in _FIRST7.values()), dtype=np.uint64)
_KIND_OF_KEY = np.array(
    [next(k for k, (first, _) in _FIRST7.items() if _word(first) == key) for key in _KEYS], dtype=np.int8
)


def _kinds(data: np.ndarray, words: np.ndarray, lt: np.ndarray) -> np.ndarray:
    """What each ``<`` starts (-1: nothing plain). Items are told apart later (text or empty)."""
    key = words[lt] & _MASKS[7]
    at = np.minimum(np.searchsorted(_KEYS, key), _KEYS.size - 1)
    kind = np.where(_KEYS[at] == key, _KIND_OF_KEY[at], -1).astype(np.int8)
    for k, (_, rest) in _FIRST7.items():
        if not rest:
            continue
        where = np.flatnonzero(kind == k)
        start = lt[where] + 7
        ok = np.ones(where.size, dtype=bool)
        for offset in range(0, len(rest), 8):
            part = rest[offset : offset + 8]
            ok &= (words[start + offset] & _MASKS[len(part)]) == _word(part)
        kind[where[~ok]] = -1
    return kind


def _block_columns(block: bytes, ids: _Ids, parent: np.ndarray, size: int) -> tuple[list[pa.Array], int, int]:
    """The item columns of every tumour of a plain block, its patient count and tumour count."""
    ascii_only = _check_text(block)
    data = np.frombuffer(block + b"\0" * _PAD, dtype=np.uint8)
    words = np.ndarray(shape=(data.size - 7,), dtype="<u8", buffer=data, strides=(1,))
    lt = np.flatnonzero(data == 60)
    kind = _kinds(data, words, lt)
    following = np.append(lt[1:], len(block))  # where the text after each "<" ends
    items = np.flatnonzero(kind == _I_TEXT)
    quotes = np.flatnonzero(data == 34)
    id_start = lt[items] + 16
    at = np.searchsorted(quotes, id_start)
    if at.size and at[-1] >= quotes.size:
        raise NotPlain
    id_end = quotes[at]
    after = data[id_end + 1]
    empty = (after == 47) & (data[id_end + 2] == 62)  # "/>"
    text = after == 62  # ">"
    token_end = id_end + np.where(empty, 2, 1)  # the ">" that closes the start tag
    if not (text | empty).all() or (id_end <= id_start).any() or (token_end >= following[items]).any():
        raise NotPlain  # other attributes, an empty id, or a "<" inside the start tag
    kind[items[empty]] = _I_EMPTY
    closers = items[text] + 1
    if closers.size != np.count_nonzero(kind == _I_CLOSE) or (closers.size and (kind[closers] != _I_CLOSE).any()):
        raise NotPlain  # each item with text ends with its own </Item>, and no </Item> stands alone
    if (kind < 0).any():
        raise NotPlain
    step = np.zeros(lt.size, dtype=np.int8)
    step[(kind == _P_OPEN) | (kind == _T_OPEN)] = 1
    step[(kind == _P_CLOSE) | (kind == _T_CLOSE)] = -1
    depth = np.cumsum(step, dtype=np.int64) - step  # depth before each "<"
    need = {_P_OPEN: 0, _T_OPEN: 1, _T_CLOSE: 2, _P_CLOSE: 1}
    for k, d in need.items():
        if (depth[kind == k] != d).any():
            raise NotPlain
    if depth.size and depth[-1] + step[-1] != 0:
        raise NotPlain
    patient_no = np.cumsum(kind == _P_OPEN) - 1
    tumour_no = np.cumsum(kind == _T_OPEN) - 1
    patients, tumours = int(patient_no[-1]) + 1 if lt.size else 0, int(tumour_no[-1]) + 1 if lt.size else 0

    slot = ids.slot(words, id_start, id_end - id_start)
    owner_depth = depth[items]
    keep = (slot >= 0) & (owner_depth == parent[np.maximum(slot, 0)])
    slot, kept_items = slot[keep], items[keep]
    starts = np.where(text[keep], id_end[keep] + 2, 0)
    ends = np.where(text[keep], following[kept_items], 0)
    in_tumour = owner_depth[keep] == 2
    cells = np.full((size, tumours), -1, dtype=np.int64)  # column-major: each column is one slice
    cells.reshape(-1)[slot[in_tumour] * tumours + tumour_no[kept_items][in_tumour]] = np.flatnonzero(in_tumour)
    patient_cells = np.full((size, patients), -1, dtype=np.int64)
    at_patient = ~in_tumour
    where = slot[at_patient] * patients + patient_no[kept_items][at_patient]
    patient_cells.reshape(-1)[where] = np.flatnonzero(at_patient)
    shared = np.flatnonzero(parent == 1)
    cells[shared] = patient_cells[shared][:, patient_no[kind == _T_OPEN]]
    flat = cells.reshape(-1)
    present = flat >= 0
    source = np.where(present, flat, 0)
    values = _values(
        data, np.where(present, starts[source], 0), np.where(present, ends[source], 0), present, ascii_only
    )
    columns = [values.slice(k * tumours, tumours) for k in range(size)]
    return columns, patients, tumours


def _values(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, present: np.ndarray, ascii_only: bool) -> pa.Array:
    """The texts data[start:end] as one Arrow string array, null where not ``present`` (one gather)."""
    lengths = ends - starts
    offsets = np.zeros(lengths.size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    index = np.repeat(starts - offsets[:-1], lengths) + np.arange(offsets[-1], dtype=np.int64)
    validity = pa.py_buffer(np.packbits(present, bitorder="little"))
    buffers = [validity, pa.py_buffer(offsets.astype(np.int32)), pa.py_buffer(data[index].tobytes())]
    binary = pa.Array.from_buffers(pa.binary(), lengths.size, buffers, null_count=int(lengths.size - present.sum()))
    return binary.view(pa.string()) if ascii_only else binary.cast(pa.string())


def scan_tumours(
    stream: IO[bytes],
    info: Any,
    patient_slots: dict[str, int],
    tumour_slots: dict[str, int],
    site_slot: int,
    all_sites: bool,
    batch_rows: int,
    schema: pa.Schema,
) -> Iterator[pa.RecordBatch]:
    """The wanted tumours as record batches of ``schema`` (at most ``batch_rows`` rows each).

    Raises :class:`NotPlain` as soon as the file leaves the plain form; batches already given stay valid (a
    block is given out only once all of it is proven).
    """
    size = len(schema)
    ids = _Ids({**patient_slots, **tumour_slots})
    parent = np.zeros(size, dtype=np.int64)
    parent[list(patient_slots.values())] = 1
    parent[list(tumour_slots.values())] = 2
    breast: dict[str, bool] = {}
    rest = _head(stream, info)
    given = 0
    for block in _blocks(stream, rest):
        columns, patients, tumours = _block_columns(block, ids, parent, size)
        info.patients += patients
        info.tumours += tumours
        table = pa.Table.from_arrays(columns, schema=schema)
        if not all_sites:
            table = table.filter(_breast_mask(table.column(site_slot), breast))
        info.breast_tumours += table.num_rows
        for batch in table.to_batches(max_chunksize=batch_rows):
            given += batch.num_rows
            yield batch
    if given == 0:
        yield pa.RecordBatch.from_pylist([], schema=schema)


def _breast_mask(sites: pa.ChunkedArray, known: dict[str, bool]) -> pa.ChunkedArray:
    """Whether each primary site is a breast primary (C50x), decided once per distinct code."""
    for site in pc.unique(sites).to_pylist():
        if site is not None and site not in known:
            known[site] = is_breast(site)
    breast = pa.array([site for site, yes in known.items() if yes], pa.string())
    return pc.fill_null(pc.is_in(sites, value_set=breast), False)
