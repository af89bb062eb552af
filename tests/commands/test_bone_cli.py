"""``metastasis bone``: readable milestones, JSON, plot and table files, and one-line errors with exit status 2."""

import json

import pytest
from typer.testing import CliRunner

from metastasis.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["bone", *args])


def test_issue_example(tmp_path):
    plot = tmp_path / "bone.png"
    result = run("--lesion", "osteolytic", "--treatment", "denosumab", "--start-day", "180", "--years", "5",
                 "--plot", str(plot))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = result.stdout
    for words in ("Minimum", "Day of minimum", "Final", "untreated", "denosumab", "prevented by treatment"):
        assert words in text
    assert "1198.8" in text  # untreated bone exhausted near day 1199
    assert "ayati-2010" in text and "Caveats" in text
    assert "not a medical device" in text
    assert plot.exists() and plot.stat().st_size > 10_000


def test_json():
    result = run("--lesion", "osteolytic", "--treatment", "zoledronic-acid", "--years", "3", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["lesion"] == "osteolytic" and data["treatment"] == "zoledronic-acid"
    assert data["treated"]["minimum_after_start"] > data["untreated"]["minimum_after_start"]
    for key in ("minimum", "day_of_minimum", "final"):
        assert key in data["untreated"]
    assert "disclaimer" in data and data["sources"] and data["caveats"]


def test_sre_flag_prints_the_assumption():
    result = run("--years", "2", "--sre")
    assert result.exit_code == 0, result.output
    assert "Assumed SRE risk" in result.stdout and "MODELLING ASSUMPTION" in result.stdout


def test_custom_dose_and_interval_and_csv(tmp_path):
    table = tmp_path / "bone.csv"
    result = run("--treatment", "denosumab", "--dose-mg", "60", "--interval-days", "182.5", "--years", "2",
                 "--csv", str(table))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "60 mg every 182.5 days" in result.stdout
    header = table.read_text().splitlines()[0]
    assert "bone_mass" in header and "arm" in header


def test_untreated_only():
    result = run("--lesion", "osteoblastic", "--treatment", "none", "--years", "2")
    assert result.exit_code == 0, result.output
    assert "Treatment: none" in result.stdout


def test_list():
    result = run("--list")
    assert result.exit_code == 0
    for word in ("osteolytic", "osteoblastic", "mixed", "q12w", "osteoporosis", "prostate"):
        assert word in result.stdout


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--interval-days", "0"], "interval_days"),
        (["--lesion", "lytic"], "lesion"),
        (["--treatment", "aspirin"], "treatment"),
        (["--years", "-1"], "years"),
        (["--plot", "bone.jpg"], "plot"),
        (["--schedule", "weekly"], "schedule"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args, field):
    result = run(*args)
    assert result.exit_code == 2
    assert f"invalid {field}" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
