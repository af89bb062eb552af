"""EOD 2018 items are not derived into T, N and M; a tumour that lacks TNM but has EOD codes is told why."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from metastasis.batch.codes import item_columns, map_tumours
from metastasis.batch.naaccr import read_naaccr

DATA = Path(__file__).parent / "data"


def _one(**codes: str | None) -> dict:
    row = {c: [codes.get(c)] for c in item_columns()}
    return map_tumours(pa.table(row, schema=pa.schema([(c, pa.string()) for c in item_columns()]))).to_pylist()[0]


def test_eod_codes_without_tnm_are_named_with_the_reason():
    row = _one(eod_primary_tumor="300", eod_regional_nodes="150", eod_mets="00", tnm_clin_n="c1")
    assert row["t"] is None and row["n"] == "cN1"
    assert row["eod_note"].startswith("EOD Primary Tumor 300, Regional Nodes 150, Mets 00 recorded; T, N and M")
    assert "Tumor Size Summary (#756)" in row["eod_note"] and "#3882" in row["eod_note"]


def test_no_eod_note_when_tnm_is_complete_or_eod_is_blank():
    complete = _one(tnm_path_t="p2", tnm_path_n="p1A", tnm_clin_m="c0", eod_primary_tumor="200")
    assert complete["eod_note"] is None
    assert _one(eod_primary_tumor="", eod_mets=None)["eod_note"] is None


def test_the_registry_sample_keeps_its_eod_codes_and_says_they_are_not_derived():
    table = pa.Table.from_batches(list(read_naaccr(DATA / "naaccr-xml-sample-v250-incidence-10.xml.gz")))
    rows = map_tumours(table).to_pylist()
    # in the file: EOD 400/500/70 and 500/200/99, no TNM items
    assert [(r["eod_primary_tumor"], r["eod_regional_nodes"], r["eod_mets"]) for r in rows] == [
        ("400", "500", "70"),
        ("500", "200", "99"),
    ]
    assert all(r["t"] is None and "not derived from EOD 2018" in r["eod_note"] for r in rows)
