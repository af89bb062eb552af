from __future__ import annotations

import json

from typer.testing import CliRunner

from metastasis.cli import app

runner = CliRunner()


def test_stage_prints_readable_result_with_reasons_and_sources():
    result = runner.invoke(
        app, ["stage", "pT2", "pN1a", "cM0", "--grade", "2", "--er", "+", "--pr", "-", "--her2", "-"]
    )
    assert result.exit_code == 0, result.output
    assert "Anatomic stage" in result.output and "IIB" in result.output
    assert "Reasons" in result.output and "seer-eod-2.1-breast" in result.output
    assert "not a medical device" in result.output


def test_stage_json():
    result = runner.invoke(app, ["stage", "pT2", "pN0", "cM0", "--grade", "3", "--er", "+", "--pr", "+", "--her2", "-",
                                 "--oncotype-rs", "9", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["prognostic_stage"] == "IA" and data["anatomic_stage"] == "IIA"
    assert data["basis"] == "pathological" and data["sources"] and data["reasons"]
    assert "not a medical device" in data["disclaimer"]


def test_stage_explain_prints_patient_text():
    result = runner.invoke(app, ["stage", "cT2", "cN1", "cM1", "--explain"])
    assert result.exit_code == 0
    assert "Stage 4" in result.output and "What to do now" in result.output


def test_bad_input_prints_one_line_and_exits_2():
    result = runner.invoke(app, ["stage", "T5", "N0", "M0"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert lines[0].startswith("error: invalid t: 'T5'") and "allowed:" in lines[0]


def test_bad_option_exits_2_naming_allowed_values():
    result = runner.invoke(app, ["stage", "pT2", "pN0", "cM0", "--grade", "4"])
    assert result.exit_code == 2 and "invalid grade: '4'" in result.output


def test_example_runs_the_bundled_case():
    result = runner.invoke(app, ["example"])
    assert result.exit_code == 0, result.output
    assert "IV" in result.output and "What to do now" in result.output


def test_example_list_and_json():
    listing = runner.invoke(app, ["example", "--list"])
    assert "de-novo-bone-only" in listing.output and "early-hr-positive" in listing.output
    result = runner.invoke(app, ["example", "early-hr-positive", "--json"])
    data = json.loads(result.output)
    # pT2 pN0 G3 ER+ PR+ HER2 equivocal (-> negative), RS 9: pathological prognostic IA (Oncotype rule)
    assert data["report"]["staging"]["stage"]["prognostic_stage"] == "IA"


def test_unknown_example_exits_2():
    result = runner.invoke(app, ["example", "nope"])
    assert result.exit_code == 2 and "invalid example" in result.output
