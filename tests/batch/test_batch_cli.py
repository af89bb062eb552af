"""``metastasis batch stage``: exit 0 with a summary even when rows have errors; exit 2 only for a bad file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

DATA = Path(__file__).parent / "data"
CSV = (
    "id,t,n,m,grade,er,pr,her2,oncotype_rs\n1,pT2,pN1a,cM0,2,+,-,-,\n2,pT9,pN0,cM0,2,+,-,-,\n3,cT1,cN0,cM0,1,+,+,bad,\n"
)


def _run(app, *args: str):
    return CliRunner().invoke(app, ["batch", "stage", *args])


def test_row_errors_exit_0_with_a_summary_by_field(app, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    result = _run(app, str(source), "-o", str(tmp_path / "out.parquet"))
    assert result.exit_code == 0, result.output
    assert "Rows" in result.output and "Staged (anatomic group)" in result.output
    assert "error in t" in result.output and "error in her2" in result.output
    assert "not a medical device" in result.output
    out = pd.read_parquet(tmp_path / "out.parquet")
    assert out["id"].tolist() == [1, 2, 3] and out["anatomic_stage"].tolist()[0] == "IIB"


def test_format_option_overrides_the_name(app, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    result = _run(app, str(source), "-o", str(tmp_path / "out.data"), "--format", "csv")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.data").read_text().startswith('"id","t"')


def test_naaccr_xml_to_naaccr_xml(app, tmp_path):
    result = _run(app, str(DATA / "naaccr-xml-sample-v250-incidence-10.xml.gz"), "-o", str(tmp_path / "o.xml"))
    assert result.exit_code == 0, result.output
    assert "Tumours in the file" in result.output
    assert b"metastasisStageError" in (tmp_path / "o.xml").read_bytes()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv"], "invalid input"),
        (["cases.csv", "--format", "xlsx"], "invalid format: 'xlsx'"),
        (["cases.csv", "--engine", "spark"], "invalid engine: 'spark'"),
        (["garbage.parquet"], "invalid input"),
        (["cases.csv", "--engine", "dask", "--format", "csv"], "invalid format: 'csv'"),
    ],
)
def test_a_bad_file_or_option_exits_2_with_one_line(app, tmp_path, args, message):
    (tmp_path / "cases.csv").write_text(CSV)
    (tmp_path / "garbage.parquet").write_bytes(b"PAR1 not parquet")
    args = [str(tmp_path / args[0]), *args[1:]]
    result = _run(app, *args, "-o", str(tmp_path / "out.parquet"))
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out.parquet").exists()


def test_an_output_folder_that_does_not_exist_exits_2(app, tmp_path):
    source = tmp_path / "cases.csv"
    source.write_text(CSV)
    result = _run(app, str(source), "-o", str(tmp_path / "nowhere" / "out.parquet"))
    assert result.exit_code == 2 and "no such folder" in result.output
