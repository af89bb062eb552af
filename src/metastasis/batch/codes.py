"""NAACCR items and registry codes mapped to the staging engine's inputs, from ``batch/data/naaccr.yaml``.

The mapping runs once per distinct code (or pair of codes), then per row by indexing. Codes that stand for no
value (``88``, ``99``, blanks, "results not in the chart") give a missing input with a note that says what the
registry recorded; codes the file does not list reach the engine unchanged, which refuses them in its own words
(except Oncotype DX, whose unknown codes are noted and left out: the column is numeric).

Example
-------
>>> import pyarrow as pa
>>> raw = pa.table({c: pa.array([""], pa.string()) for c in item_columns()})
>>> raw = raw.set_column(raw.column_names.index("tnm_path_t"), "tnm_path_t", pa.array(["p1C"]))
>>> mapped = map_tumours(raw)
>>> mapped.column("t").to_pylist(), mapped.column("n_note").to_pylist()
(['pT1C'], ['TNM Path N not recorded; TNM Clin N not recorded'])
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from metastasis._yaml import load_data
from metastasis.errors import DataIntegrityError
from metastasis.evidence import check_cited

_PARENTS = ("Patient", "Tumor")
_CODE_TABLES = ("grade", "receptor", "her2", "oncotype")
MAPPED: tuple[str, ...] = ("t", "n", "m", "grade", "er", "pr", "her2", "oncotype_rs", "ki67_percent")
"""Columns :func:`map_tumours` adds, each (but ``ki67_percent``) with a ``<name>_note`` column beside it; then
``eod_note``."""
_EOD = {"eod_primary_tumor": "Primary Tumor", "eod_regional_nodes": "Regional Nodes", "eod_mets": "Mets"}
_LABELS = {
    "tnm_path_t": "TNM Path T",
    "tnm_path_n": "TNM Path N",
    "tnm_path_m": "TNM Path M",
    "tnm_clin_t": "TNM Clin T",
    "tnm_clin_n": "TNM Clin N",
    "tnm_clin_m": "TNM Clin M",
    "grade_pathological": "Grade Pathological",
    "grade_clinical": "Grade Clinical",
    "er_summary": "ER Summary",
    "pr_summary": "PR Summary",
    "her2_summary": "HER2 Overall Summary",
    "oncotype_dx_invasive": "Oncotype Dx Recurrence Score-Invasive",
    "ki67": "Ki-67",
}


@dataclass(frozen=True)
class Item:
    """One NAACCR XML item read by the batch reader."""

    column: str
    naaccr_id: str
    number: int
    parent: str


@cache
def mapping() -> dict[str, Any]:
    """The parsed ``naaccr.yaml``, checked (sources cited, items unique, every code table complete)."""
    text = resources.files("metastasis.batch").joinpath("data", "naaccr.yaml").read_text(encoding="utf-8")
    data = load_data(text)
    check_cited(data["sources"])
    ids = [item["naaccr_id"] for item in data["items"].values()]
    numbers = [item["number"] for item in data["items"].values()]
    if len(set(ids)) != len(ids) or len(set(numbers)) != len(numbers):
        raise DataIntegrityError("naaccr.yaml: every item must have its own id and number")
    for column, item in data["items"].items():
        if item["parent"] not in _PARENTS or not isinstance(item["number"], int):
            raise DataIntegrityError(f"naaccr.yaml items.{column}: parent must be Patient or Tumor, number an int")
    if set(data["codes"]) != set(_CODE_TABLES):
        raise DataIntegrityError(f"naaccr.yaml codes: expected {_CODE_TABLES}")
    for table, codes in {**data["codes"], "tnm": data["tnm"]["not_categories"]}.items():
        for code, entry in codes.items():
            keys = set(entry)
            if not isinstance(code, str) or not keys or keys - {"value", "meaning"}:
                raise DataIntegrityError(f"naaccr.yaml {table}.{code!r}: give a value and/or a meaning")
        if "" not in codes:
            raise DataIntegrityError(f"naaccr.yaml {table}: say what a blank means")
    return data


def items() -> tuple[Item, ...]:
    """The items read from each tumour (and its patient), in file order of ``naaccr.yaml``."""
    return tuple(Item(column, **entry) for column, entry in mapping()["items"].items())


def item_columns() -> tuple[str, ...]:
    """The raw columns the reader gives, one per item."""
    return tuple(item.column for item in items())


def is_breast(site: str | None) -> bool:
    """Whether an ICD-O-3 primary site code is a breast primary (C50x)."""
    return bool(site) and site.strip().upper().startswith(mapping()["breast_site_prefix"])


# --- per distinct code ----------------------------------------------------------------------------------------

Mapped = tuple[Any, str | None]


def _tnm(axis: str, path: str, clin: str, path_col: str, clin_col: str) -> Mapped:
    spec = mapping()["tnm"]
    notes = []
    for column, code in ((path_col, path), (clin_col, clin)):
        entry = spec["not_categories"].get(code.strip())
        if entry is None:
            match = re.fullmatch(f"([{spec['prefix_letters']}]*)(.*)", code.strip())
            assert match is not None  # the pattern matches any text
            return f"{match[1]}{axis}{match[2]}", None
        notes.append(f"{_LABELS[column]} {entry['meaning']}")
    return None, "; ".join(notes)


def _coded(table: str, code: str, column: str) -> tuple[bool, Mapped]:
    """``(listed, (value, note))``: a listed code's value or meaning, else the raw code (for the engine)."""
    entry = mapping()["codes"][table].get(code.strip())
    if entry is None:
        return False, (code, None)
    note = f"{_LABELS[column]} {code.strip()}: {entry['meaning']}" if "meaning" in entry else None
    if not code.strip():
        note = f"{_LABELS[column]} not recorded"
    if "value" in entry:
        return True, (str(entry["value"]), None)
    return True, (None, note)


def _grade(path: str, clin: str) -> Mapped:
    listed_path, (value_path, note_path) = _coded("grade", path, "grade_pathological")
    listed_clin, (value_clin, note_clin) = _coded("grade", clin, "grade_clinical")
    for listed, value in ((listed_path, value_path), (listed_clin, value_clin)):
        if listed and value is not None:
            return value, None
    for listed, value in ((listed_path, value_path), (listed_clin, value_clin)):
        if not listed:
            return value, None  # refused by the engine, naming the code
    return None, f"{note_path}; {note_clin}"


def _single(table: str, column: str) -> Callable[[str], Mapped]:
    def convert(code: str) -> Mapped:
        return _coded(table, code, column)[1]

    return convert


def _oncotype(code: str) -> Mapped:
    text = code.strip()
    if re.fullmatch(r"\d{3}", text) and int(text) <= 100:
        return float(int(text)), None
    listed, mapped = _coded("oncotype", code, "oncotype_dx_invasive")
    if listed:
        return mapped
    return None, f"{_LABELS['oncotype_dx_invasive']} {text}: not a score from 000 to 100 nor a listed code; not used"


def _eod_note(*codes: str) -> Mapped:
    """Why T, N or M is missing although EOD 2018 codes are recorded (tumours without a TNM category on an axis)."""
    tnm, eod = codes[:6], codes[6:]
    not_categories = mapping()["tnm"]["not_categories"]
    missing_axis = any(
        tnm[2 * axis].strip() in not_categories and tnm[2 * axis + 1].strip() in not_categories for axis in range(3)
    )
    recorded = [f"{label} {code.strip()}" for label, code in zip(_EOD.values(), eod, strict=True) if code.strip()]
    if not (missing_axis and recorded):
        return None, None
    return None, f"EOD {', '.join(recorded)} recorded; {mapping()['eod_not_derived']}"


def _ki67(code: str) -> Mapped:
    text = code.strip()
    if re.fullmatch(r"\d{1,3}(\.\d)?", text) and float(text) <= 100:
        return float(text), None
    return None, f"Ki-67 {text or 'not recorded'}: not a percentage; not used"


# --- per row --------------------------------------------------------------------------------------------------


def _distinct(columns: list[pa.Array], convert: Callable[..., Mapped], kind: pa.DataType) -> tuple[pa.Array, ...]:
    """``convert`` once per distinct combination of the columns; the values and notes for every row."""
    filled = [pc.fill_null(c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c, "") for c in columns]
    # U+001F cannot occur in XML 1.0 text, so it separates the codes of a pair safely
    joined = filled[0] if len(filled) == 1 else pc.binary_join_element_wise(*filled, "\x1f")
    encoded = pc.dictionary_encode(joined)
    results = [convert(*key.split("\x1f")) for key in encoded.dictionary.to_pylist()]
    values = pa.array([v for v, _ in results], kind)
    notes = pa.array([n for _, n in results], pa.string())
    return pc.take(values, encoded.indices), pc.take(notes, encoded.indices)


def map_tumours(raw: pa.Table | pa.RecordBatch) -> pa.Table:
    """Add the engine's inputs (``t, n, m, grade, er, pr, her2, oncotype_rs``), ``ki67_percent`` and a
    ``<name>_note`` per input to a table of raw NAACCR items (the reader's columns).

    Parameters
    ----------
    raw:
        Columns named as :func:`item_columns` (text; missing items null or blank).

    Returns
    -------
    pyarrow.Table
        The raw columns, then the mapped ones.
    """
    table = raw if isinstance(raw, pa.Table) else pa.Table.from_batches([raw])
    col = table.column
    out: dict[str, tuple[pa.Array, pa.Array]] = {}
    for axis in ("T", "N", "M"):
        path_col, clin_col = f"tnm_path_{axis.lower()}", f"tnm_clin_{axis.lower()}"

        def convert(path: str, clin: str, axis: str = axis, p: str = path_col, c: str = clin_col) -> Mapped:
            return _tnm(axis, path, clin, p, c)

        out[axis.lower()] = _distinct([col(path_col), col(clin_col)], convert, pa.string())
    out["grade"] = _distinct([col("grade_pathological"), col("grade_clinical")], _grade, pa.string())
    out["er"] = _distinct([col("er_summary")], _single("receptor", "er_summary"), pa.string())
    out["pr"] = _distinct([col("pr_summary")], _single("receptor", "pr_summary"), pa.string())
    out["her2"] = _distinct([col("her2_summary")], _single("her2", "her2_summary"), pa.string())
    out["oncotype_rs"] = _distinct([col("oncotype_dx_invasive")], _oncotype, pa.float64())
    out["ki67_percent"] = _distinct([col("ki67")], _ki67, pa.float64())
    for name in MAPPED:
        values, notes = out[name]
        table = table.append_column(name, values)
        if name != "ki67_percent":
            table = table.append_column(f"{name}_note", notes)
    axes = [col(f"tnm_{kind}_{axis}") for axis in "tnm" for kind in ("path", "clin")]
    _, eod = _distinct([*axes, *(col(c) for c in _EOD)], _eod_note, pa.string())
    return table.append_column("eod_note", eod)
