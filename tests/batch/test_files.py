"""Whole files through the local engine: CSV and Parquet in and out, rows and ids kept, unreadable files refused."""

from __future__ import annotations

import gzip
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from metastasis.batch.run import stage_file
from metastasis.batch.tables import TableWriter, format_of, read_table
from metastasis.errors import InvalidInputError

DATA = Path(__file__).parent / "data"
CSV = """record,t,n,m,grade,er,pr,her2,oncotype_rs,site
r1,pT2,pN1a,cM0,2,positive,negative,negative,,left
r2,pT9,pN0,cM0,2,positive,negative,negative,,right
r3,cT1c,cN0,cM0,1,+,+,-,,left
r4,pT1c,pN0,cM0,2,positive,positive,negative,5,left
r5,cT2,cN1,cM1,,,,,,right
"""
EXPECTED = [  # typed: AJCC 8th anatomic and prognostic stage of each row above
    ("r1", "IIB", "IIB", None),
    ("r2", None, None, "t"),
    ("r3", "IA", "IA", None),
    ("r4", "IA", "IA", None),
    ("r5", "IV", "IV", None),
]


def _check(frame: pd.DataFrame) -> None:
    assert frame["record"].tolist() == [r for r, *_ in EXPECTED]
    assert frame["site"].tolist() == ["left", "right", "left", "left", "right"]
    for (record, anatomic, prognostic, error_field), (_, row) in zip(EXPECTED, frame.iterrows(), strict=True):
        assert (None if pd.isna(row["anatomic_stage"]) else row["anatomic_stage"]) == anatomic, record
        assert (None if pd.isna(row["prognostic_stage"]) else row["prognostic_stage"]) == prognostic, record
        assert pd.isna(row["error"]) == (error_field is None)
        if error_field:
            assert row["error"].startswith(f"invalid {error_field}: 'pT9'")


@pytest.mark.parametrize(("kind", "name"), [("csv", "cases.csv"), ("parquet", "cases.csv"), ("csv", "cases.csv.gz")])
def test_csv_in_any_format_out(tmp_path, kind, name):
    source = tmp_path / name
    source.write_bytes(gzip.compress(CSV.encode()) if name.endswith(".gz") else CSV.encode())
    target = tmp_path / f"out.{kind}"
    summary = stage_file(source, target, kind)
    assert (summary.rows, summary.staged, summary.no_group, dict(summary.errors)) == (5, 4, 0, {"t": 1})
    frame = pd.read_csv(target) if kind == "csv" else pd.read_parquet(target)
    _check(frame)


def test_parquet_in_parquet_out_in_many_batches(tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    table = pa.concat_tables([next(iter([pa.Table.from_batches(list(read_table(source)))]))] * 3)
    table = table.cast(pa.schema([(f.name, pa.string() if f.name != "oncotype_rs" else pa.float64()) for f in
                                  table.schema]))  # fmt: skip
    parquet = tmp_path / "cases.parquet"
    pq.write_table(table, parquet, row_group_size=4)
    seen = []
    summary = stage_file(parquet, tmp_path / "out.parquet", "parquet", lambda rows, _: seen.append(rows))
    assert summary.rows == 15 and seen == [4, 8, 12, 15]  # one batch per row group: streamed
    out = pd.read_parquet(tmp_path / "out.parquet")
    _check(out.iloc[:5].reset_index(drop=True))
    assert out["record"].tolist() == [r for r, *_ in EXPECTED] * 3


def test_naaccr_xml_in_naaccr_xml_out(tmp_path):
    target = tmp_path / "out.xml"
    summary = stage_file(DATA / "naaccr-xml-sample-v230-incidence-100.xml.gz", target, "naaccr-xml")
    assert (summary.tumours_read, summary.rows, summary.staged) == (100, 17, 1)
    assert target.read_bytes().count(b'naaccrId="metastasisAnatomicStage">IIIC<') == 1


def test_naaccr_xml_output_needs_naaccr_xml_input(tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    with pytest.raises(InvalidInputError, match="invalid format: 'naaccr-xml'"):
        stage_file(source, tmp_path / "out.xml", "naaccr-xml")


@pytest.mark.parametrize(("name", "content"), [("bad.parquet", b"PAR1 garbage"), ("bad.csv", b'a,"b\n1')])
def test_an_unreadable_file_is_an_input_error(tmp_path, name, content):
    source = tmp_path / name
    source.write_bytes(content)
    with pytest.raises(InvalidInputError) as info:
        stage_file(source, tmp_path / "out.parquet", "parquet")
    assert info.value.field in ("input", "columns")


def test_format_from_name():
    assert [format_of(n) for n in ("a.parquet", "b.pq", "c.CSV.gz", "d.xml.gz")] == [
        "parquet", "parquet", "csv", "naaccr-xml"
    ]  # fmt: skip
    with pytest.raises(InvalidInputError, match="invalid format"):
        format_of("cases.xlsx")


@pytest.mark.parametrize("name", ["dup.csv", "dup.parquet"])
def test_a_column_named_twice_is_an_input_error_not_a_crash(tmp_path, name):
    source = tmp_path / name
    if name.endswith(".csv"):
        source.write_text("t,t,n,m,grade,er,pr,her2,oncotype_rs\npT2,pT2,pN1a,cM0,2,+,-,-,\n")
    else:
        columns = ["t", "t", "n", "m", "grade", "er", "pr", "her2", "oncotype_rs"]
        values = ["pT2", "pT2", "pN1a", "cM0", "2", "+", "-", "-", None]
        pq.write_table(pa.Table.from_arrays([pa.array([v], pa.string()) for v in values], names=columns), source)
    with pytest.raises(InvalidInputError, match=r"twice: \['t'\]") as info:
        stage_file(source, tmp_path / "out.parquet", "parquet")
    assert info.value.field == "input"
    assert not (tmp_path / "out.parquet").exists()


def test_csv_text_that_is_not_utf8_is_an_input_error_not_a_crash(tmp_path):
    source = tmp_path / "latin1.csv"
    source.write_bytes(CSV.replace("left", "Jos\u00e9").encode("latin-1"))
    with pytest.raises(InvalidInputError, match=r"not UTF-8 text in \['site'\]") as info:
        stage_file(source, tmp_path / "out.csv", "csv")
    assert info.value.field == "input"
    assert not (tmp_path / "out.csv").exists()


def test_a_run_that_fails_part_way_leaves_no_short_file(tmp_path):
    target = tmp_path / "out.parquet"

    def write_then_fail() -> None:
        with TableWriter(target, "parquet") as writer:
            writer.write(pa.record_batch({"t": ["pT1"]}))
            raise RuntimeError("the input broke after the first batch")

    with pytest.raises(RuntimeError):
        write_then_fail()
    assert not target.exists()
