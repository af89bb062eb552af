"""``metastasis report`` and ``metastasis example``: formats, audiences, files, and one-line errors (exit 2)."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from metastasis import DISCLAIMER
from metastasis.cli import app
from metastasis.examples.cases import example_case_names, example_case_text

runner = CliRunner()


def _one_line_error(result) -> str:
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ")
    return lines[0]


def test_terminal_report_of_an_example():
    result = runner.invoke(app, ["report", "--example", "hypercalcaemia"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Hypercalcaemia (high blood calcium)" in flat and "Also: Rising corrected calcium" in flat
    assert "What to do now" in result.output
    assert " ".join(result.output.split()).endswith(DISCLAIMER)


def test_json_report_of_a_case_file(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(example_case_text("recurrent-liver-bone"), encoding="utf-8")
    result = runner.invoke(app, ["report", str(case), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["disclaimer"] == DISCLAIMER
    assert data["audience"] == "clinician"
    ids = [a["id"] for a in data["report"]["alerts"]]
    assert "red_flag:impending_fracture" in ids  # Mirels 11 with pain on walking, one alert
    assert data["report"]["pattern"]["pattern"]["category"] == "visceral"
    assert data["view"]["references"][0]["number"] == 1


def test_html_file_is_standalone(tmp_path):
    target = tmp_path / "report.html"
    args = ["report", "--example", "early-hr-positive", "--audience", "clinician", "--format", "html"]
    result = runner.invoke(app, [*args, "-o", str(target)])
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html  # the PREDICT figure, inline
    assert "@media print" in html
    assert not re.search(r"<(script|link|img)\b", html)  # one file: nothing fetched
    assert 'id="ref-1"' in html and 'href="#ref-1"' in html
    assert "PREDICT" in html


def test_output_suffix_chooses_the_format(tmp_path):
    target = tmp_path / "report.md"
    result = runner.invoke(app, ["report", "--example", "spinal-cord-compression", "-a", "patient", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Your breast cancer report")
    assert "## What to do now" in text and "emergency" in text.lower()


def test_patient_markdown_on_stdout():
    result = runner.invoke(app, ["report", "--example", "early-hr-positive", "-a", "patient", "-f", "markdown"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("# Your breast cancer report")
    assert "Questions to ask your care team" in result.output
    assert result.output.strip().endswith(DISCLAIMER)


def test_no_case_uses_the_default_example():
    result = runner.invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    assert "de-novo-bone-only" in result.output


def test_bad_case_file_is_one_line_exit_2(tmp_path):
    bad = tmp_path / "bad.json"
    data = {"schema_version": "1.0", "tumour": {"m": "cM0"}, "metastatic_sites": [{"site": "liver"}]}
    bad.write_text(json.dumps(data))
    line = _one_line_error(runner.invoke(app, ["report", str(bad)]))
    assert "$.tumour.m" in line


def test_missing_file_is_one_line_exit_2(tmp_path):
    line = _one_line_error(runner.invoke(app, ["report", str(tmp_path / "nope.yaml")]))
    assert "nope.yaml" in line


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--audience", "nurse"], "audience"),
        (["--format", "pdf"], "format"),
        (["-o", "report.pdf"], "output"),
        (["--example", "nope"], "example"),
    ],
)
def test_bad_options_are_one_line_exit_2(args, field):
    example = [] if "--example" in args else ["--example", "hypercalcaemia"]
    line = _one_line_error(runner.invoke(app, ["report", *example, *args]))
    assert f"invalid {field}" in line


def test_file_and_example_together_are_refused(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(example_case_text("hypercalcaemia"), encoding="utf-8")
    line = _one_line_error(runner.invoke(app, ["report", str(case), "--example", "hypercalcaemia"]))
    assert "not both" in line


def test_example_lists_the_bundled_cases():
    result = runner.invoke(app, ["example", "--list"])
    assert result.exit_code == 0
    for name in example_case_names():
        assert name in result.output


def test_example_default_is_the_de_novo_report():
    result = runner.invoke(app, ["example"])
    assert result.exit_code == 0, result.output
    assert "stage IV" in result.output and "bone-only" in result.output
    assert "What to do now" in result.output


def test_example_json_is_the_report_json():
    result = runner.invoke(app, ["example", "hypercalcaemia", "--json"])
    data = json.loads(result.output)
    assert data["report"]["calcium"]["trend"] == "rising"


def test_trials_add_a_clinical_trials_section(tmp_path):
    from tests.trials.conftest import RECORDS

    plain = runner.invoke(app, ["report", "--example", "de-novo-bone-only", "-f", "json"])
    with_trials = runner.invoke(
        app, ["report", "--example", "de-novo-bone-only", "-f", "json", "--trials", str(RECORDS)]
    )
    assert plain.exit_code == with_trials.exit_code == 0, with_trials.output
    assert "trials" not in {s["id"] for s in json.loads(plain.stdout)["view"]["sections"]}
    sections = {s["id"]: s for s in json.loads(with_trials.stdout)["view"]["sections"]}
    # the 69 bundled real records; NCT06974604 (TROPION-DM) is possibly eligible for this metastatic case
    assert "69 stored studies" in sections["trials"]["items"][0]["text"]
    missing = runner.invoke(app, ["report", "--example", "de-novo-bone-only", "--trials", str(tmp_path / "none.jsonl")])
    assert missing.exit_code == 2 and len(missing.stderr.strip().splitlines()) == 1
