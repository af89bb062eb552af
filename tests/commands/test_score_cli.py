"""``metastasis score``: listing, readable output, JSON and the one-line error with exit status 2."""

import json

import pytest
from typer.testing import CliRunner

from metastasis.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["score", *args])


def test_list_names_every_score():
    result = run("--list")
    assert result.exit_code == 0
    for name in (
        "mirels",
        "sins",
        "bilsky-escc",
        "tokuhashi-revised",
        "tomita",
        "bauer",
        "bauer-modified",
        "katagiri-new",
        "corrected-calcium",
        "hypercalcemia-grade",
        "ecog",
        "karnofsky",
        "ecog-to-kps",
        "kps-to-ecog",
    ):
        assert name in result.stdout


def test_mirels_readable():
    result = run(
        "mirels", "--site", "lower_limb", "--pain", "functional", "--lesion", "lytic", "--size", "gt_two_thirds"
    )
    assert result.exit_code == 0
    text = result.stdout
    assert "11" in text  # 2 + 3 + 3 + 3
    assert "High risk" in text
    assert "Prophylactic fixation" in text
    assert "mirels-1989" in text
    assert "Caveats" in text


def test_mirels_json():
    result = run(
        "mirels",
        "--site",
        "lower_limb",
        "--pain",
        "functional",
        "--lesion",
        "lytic",
        "--size",
        "lt_one_third",
        "--json",
    )
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["total"] == 9
    assert data["band"] == "high"
    assert data["higher_is"] == "worse"
    assert "disclaimer" in data
    assert [row["points"] for row in data["breakdown"]] == [2, 3, 3, 1]


def test_bad_choice_exits_2_with_allowed_values():
    result = run("mirels", "--site", "femur", "--pain", "functional", "--lesion", "lytic", "--size", "lt_one_third")
    assert result.exit_code == 2
    assert "upper_limb, lower_limb, peritrochanteric" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "key", "expected"),
    [
        (
            [
                "sins",
                "--location",
                "junctional",
                "--pain",
                "mechanical",
                "--lesion",
                "lytic",
                "--alignment",
                "subluxation",
                "--collapse",
                "gt_50",
                "--posterolateral",
                "bilateral",
            ],
            "total",
            18,
        ),
        (["bilsky-escc", "--grade", "1c"], "high_grade", False),
        (
            [
                "tokuhashi-revised",
                "--kps",
                "80",
                "--extraspinal-bone-metastases",
                "1",
                "--vertebral-metastases",
                "1",
                "--internal-organ-metastases",
                "none",
                "--primary",
                "breast",
                "--palsy",
                "none",
            ],
            "total",
            14,
        ),
        (
            [
                "tomita",
                "--primary-growth",
                "slow",
                "--visceral-metastases",
                "treatable",
                "--bone-metastases",
                "multiple",
            ],
            "total",
            5,
        ),
        (
            [
                "bauer",
                "--primary",
                "breast",
                "--visceral-metastases",
                "no",
                "--pathological-fracture",
                "no",
                "--solitary-skeletal-metastasis",
                "yes",
            ],
            "total",
            5,
        ),
        (
            [
                "bauer-modified",
                "--primary",
                "breast",
                "--visceral-metastases",
                "no",
                "--solitary-skeletal-metastasis",
                "yes",
            ],
            "total",
            4,
        ),
        (
            [
                "katagiri-new",
                "--primary-growth",
                "rapid",
                "--visceral-metastases",
                "nodular",
                "--laboratory",
                "normal",
                "--ecog",
                "1",
                "--previous-chemotherapy",
                "no",
                "--multiple-skeletal-metastases",
                "no",
            ],
            "total",
            4,
        ),
        (["corrected-calcium", "--calcium", "8.0", "--albumin", "2.0", "--units", "conventional"], "value", 9.6),
        (["hypercalcemia-grade", "--calcium", "12.6", "--units", "conventional", "--uln", "10.5"], "grade", 3),
        (["ecog", "--grade", "5"], "description", "Dead."),
        (["karnofsky", "--score", "70"], "band", "unable_to_work"),
        (["ecog-to-kps", "--grade", "1", "--mapping", "ecog_acrin"], "to_values", [80, 70]),
        (["kps-to-ecog", "--score", "70", "--mapping", "prasad_2018"], "to_values", [2]),
    ],
)
def test_every_command_json(args, key, expected):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)[key] == expected


@pytest.mark.parametrize(
    "args",
    [
        ["ecog", "--grade", "1"],
        ["karnofsky", "--score", "40"],
        ["corrected-calcium", "--calcium", "1.83", "--albumin", "26", "--units", "si"],
        ["hypercalcemia-grade", "--calcium", "1.7", "--units", "si", "--uln", "1.3", "--measure", "ionised"],
        ["ecog-to-kps", "--grade", "3", "--mapping", "buccheri_1996"],
        ["bilsky-escc", "--grade", "3"],
    ],
)
def test_readable_output_has_sources_and_disclaimer(args):
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    assert "Sources" in result.stdout
    assert "not a medical device" in result.stdout


@pytest.mark.parametrize(
    ("args", "allowed"),
    [
        (["bilsky-escc", "--grade", "1"], "0, 1a, 1b, 1c, 2, 3"),
        (["corrected-calcium", "--calcium", "8", "--albumin", "2", "--units", "mg"], "conventional, si"),
        (["ecog-to-kps", "--grade", "1", "--mapping", "oken"], "ecog_acrin, buccheri_1996, prasad_2018"),
        (
            [
                "bauer-modified",
                "--primary",
                "breast",
                "--visceral-metastases",
                "maybe",
                "--solitary-skeletal-metastasis",
                "yes",
            ],
            "'yes', 'no'",
        ),
        (
            [
                "tokuhashi-revised",
                "--kps",
                "85",
                "--extraspinal-bone-metastases",
                "1",
                "--vertebral-metastases",
                "1",
                "--internal-organ-metastases",
                "none",
                "--primary",
                "breast",
                "--palsy",
                "none",
            ],
            "steps of 10",
        ),
    ],
)
def test_bad_values_exit_2(args, allowed):
    result = run(*args)
    assert result.exit_code == 2
    assert allowed in result.stderr
