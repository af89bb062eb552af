"""The prognosis commands: predict, npi, cts5, late-recurrence, stats and survival."""

from __future__ import annotations

import json
import os

import lifelines.datasets
import pytest
from typer.testing import CliRunner

from metastasis import DISCLAIMER
from metastasis.cli import app

runner = CliRunner()
PREDICT_ARGS = ["predict", "--age", "25", "--size", "2", "--nodes", "2", "--grade", "1", "--er", "+",
                "--detection", "screen", "--her2", "+", "--ki67", "+", "--chemo", "third_generation",
                "--hormone-years", "5", "--trastuzumab", "--bisphosphonates"]  # fmt: skip


def test_predict_json_reproduces_the_official_vector():
    result = runner.invoke(app, [*PREDICT_ARGS, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    arms = data["result"]["arms"]
    assert 1 - arms[0]["overall_survival"][9] == pytest.approx(0.093863760, abs=1e-7)
    total = next(b for b in data["result"]["benefits"] if b["treatment"] == "all")
    assert 100 * total["benefit"][14] == pytest.approx(9.569233116719345, abs=1e-7)
    assert data["disclaimer"] == DISCLAIMER


def test_predict_table_and_plot(tmp_path):
    target = tmp_path / "predict.png"
    result = runner.invoke(app, [*PREDICT_ARGS, "--plot", str(target)])
    assert result.exit_code == 0, result.output
    assert "Surgery only" in result.output and "+ Chemotherapy" in result.output
    assert target.stat().st_size > 10_000 and target.read_bytes()[:4] == b"\x89PNG"
    assert "not a medical device" in result.output.lower().replace("\n", " ")


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--age", "15"], "age"), (["--er", "unknown"], "er"), (["--version", "9"], "version"),
     (["--years", "5,x"], "years"), (["--years", "20"], "year"), (["--plot", "out.gif"], "plot")],
)  # fmt: skip
def test_predict_bad_input_exits_2_with_one_line(args, field):
    base = ["predict", "--age", "55", "--size", "22", "--nodes", "1", "--grade", "2", "--er", "+"]
    result = runner.invoke(app, [*base, *args])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0
    assert f"invalid {field}" in result.output


def test_npi_cts5_and_late_recurrence():
    npi = runner.invoke(app, ["npi", "--size", "22", "--nodes", "1", "--grade", "2"])
    assert npi.exit_code == 0 and "NPI 4.44: Moderate" in npi.output
    cts = runner.invoke(app, ["cts5", "--size", "30", "--nodes", "4", "--grade", "3", "--age", "70", "--json"])
    assert cts.exit_code == 0 and json.loads(cts.output)["risk_group"] == "high"
    late = runner.invoke(app, ["late-recurrence", "--size", "15", "--nodes", "2"])
    assert late.exit_code == 0 and "T1N1-3: distant recurrence 20%" in late.output
    explained = runner.invoke(app, ["late-recurrence", "--size", "15", "--nodes", "2", "--explain"])
    assert "What to do now" in explained.output
    bad = runner.invoke(app, ["late-recurrence", "--size", "80", "--nodes", "2"])
    assert bad.exit_code == 2 and "invalid size_mm" in bad.output


def test_stats_lists_sources_and_marks_unverified():
    result = runner.invoke(app, ["stats", "--topic", "stage"])
    assert result.exit_code == 0
    assert "unverified" in result.output and "acs-seer-summary-stage" in result.output
    data = json.loads(runner.invoke(app, ["stats", "--group", "triple", "--json"]).output)
    assert {s["value"] for s in data["statistics"]} == {14.8, 14.52}
    assert runner.invoke(app, ["stats", "--topic", "x"]).exit_code == 2


def test_survival_on_a_breast_cancer_cohort(tmp_path):
    path = os.path.join(os.path.dirname(lifelines.datasets.__file__), "gbsg2.csv")
    target = tmp_path / "km.svg"
    args = ["survival", path, "--time", "time", "--event", "cens", "--by", "horTh", "--at", "365,1825", "--cox"]
    result = runner.invoke(app, [*args, "--plot", str(target)])
    assert result.exit_code == 0, result.output
    assert "Log-rank test" in result.output and "horTh_yes" in result.output
    assert target.read_text().startswith("<?xml")
    data = json.loads(runner.invoke(app, [*args, "--json"]).output)
    assert {g["group"] for g in data["kaplan_meier"]["groups"]} == {"no", "yes"}
    missing = runner.invoke(app, ["survival", path, "--time", "months", "--event", "cens"])
    assert missing.exit_code == 2 and "invalid time: 'months'" in missing.output
