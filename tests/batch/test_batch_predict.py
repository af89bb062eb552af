"""``metastasis batch predict``: rows in = rows out, each row's numbers equal the one-patient PREDICT, bad rows
get an error and empty outputs, exit 0; a bad file or option exits 2 with one line."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from metastasis.batch.predict_file import predict_file
from metastasis.predict import predict_breast

CSV = (
    "id,age,size_mm,nodes,grade,er,her2,pr,chemo,hormone_years,radiotherapy\n"
    "a,55,22,1,2,1,0,1,3,5,1\n"
    "b,20,10,0,,1,,,0,0,0\n"
    "c,60,abc,2,3,0,1,,2,0,0\n"
    "d,70,15,0,,1,,0,0,10,0\n"
)


def _run(app, *args: str):
    return CliRunner().invoke(app, ["batch", "predict", *args])


def test_rows_in_equal_rows_out_with_errors_and_one_patient_numbers(app, tmp_path):
    source = tmp_path / "patients.csv"
    source.write_text(CSV)
    target = tmp_path / "out.parquet"
    result = _run(app, str(source), "-o", str(target), "--version", "3.2", "--years", "5,10")
    assert result.exit_code == 0, result.output
    assert "Predicted" in result.output and "error in size_mm" in result.output
    table = pd.read_parquet(target)
    assert list(table["id"]) == ["a", "b", "c", "d"]
    assert table["error"][1] == "invalid age: 20.0; allowed: 25-85 years"
    assert table["error"][2] == "invalid size_mm: 'abc'; allowed: a number"
    assert table["overall_survival_treated_10"][[1, 2]].isna().all()
    a = predict_breast(age=55, size_mm=22, nodes=1, grade=2, er="positive", her2="negative", pr="positive",
                       chemo="third_generation", hormone_years=5, radiotherapy=True, version="3.2")  # fmt: skip
    d = predict_breast(age=70, size_mm=15, nodes=0, grade=None, er="positive", pr="negative", hormone_years=10,
                       version="3.2")  # fmt: skip
    for row, r in ((0, a), (3, d)):
        assert pd.isna(table["error"][row])
        for year in (5, 10):
            assert table[f"overall_survival_surgery_{year}"][row] == pytest.approx(
                r.overall_survival(year, ()), abs=1e-12
            )
            assert table[f"benefit_{year}"][row] == pytest.approx(r.benefit(year), abs=1e-12)
            assert table[f"other_death_treated_{year}"][row] == pytest.approx(r.other_mortality(year), abs=1e-12)


def test_csv_out_and_many_batches(tmp_path):
    frame = pd.DataFrame({"age": [40.0, 50.0, 90.0] * 7, "size_mm": [10.0] * 21, "nodes": [0] * 21,
                          "grade": [1] * 21, "er": [1] * 21})  # fmt: skip
    source = tmp_path / "p.parquet"
    frame.to_parquet(source, row_group_size=5)
    target = tmp_path / "out.csv"
    summary = predict_file(source, target, "csv", version="2.1", years=(10,))
    assert (summary.rows, summary.predicted, dict(summary.errors)) == (21, 14, {"age": 7})
    out = pd.read_csv(target)
    assert len(out) == 21 and out["error"].notna().sum() == 7
    one = predict_breast(age=40, size_mm=10, nodes=0, grade=1, er="positive")
    assert out["overall_survival_surgery_10"][0] == pytest.approx(one.overall_survival(10, ()), abs=1e-12)


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--version", "4"], "version"), (["--years", "0,5"], "years"), (["--years", "x"], "years"),
     (["--format", "xml"], "format")],
)  # fmt: skip
def test_bad_options_exit_2_with_one_line(app, tmp_path, args, field):
    source = tmp_path / "patients.csv"
    source.write_text(CSV)
    result = _run(app, str(source), "-o", str(tmp_path / "out.parquet"), *args)
    assert result.exit_code == 2
    assert f"invalid {field}" in result.output


def test_missing_required_column_and_missing_file_exit_2(app, tmp_path):
    source = tmp_path / "patients.csv"
    source.write_text("age,size_mm,nodes,grade\n55,22,1,2\n")
    target = tmp_path / "out.parquet"
    result = _run(app, str(source), "-o", str(target))
    assert result.exit_code == 2 and "invalid er" in result.output
    assert not target.exists()
    result = _run(app, str(tmp_path / "none.csv"), "-o", str(target))
    assert result.exit_code == 2 and "invalid input" in result.output


def test_a_column_named_twice_or_text_not_in_utf8_exits_2_in_one_line(app, tmp_path):
    twice = tmp_path / "twice.csv"
    twice.write_text("id,age,age,size_mm,nodes,grade,er\n1,55,55,22,1,2,1\n")
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes("id,age,size_mm,nodes,grade,er\nJos\u00e9,55,22,1,2,1\n".encode("latin-1"))
    for source, words in ((twice, "twice: ['age']"), (latin1, "not UTF-8 text in ['id']")):
        result = _run(app, str(source), "-o", str(tmp_path / "out.csv"))
        assert result.exit_code == 2, result.output
        assert words in result.output and "Traceback" not in result.output
        assert not (tmp_path / "out.csv").exists()
