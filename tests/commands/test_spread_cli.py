"""``metastasis spread`` and ``metastasis cascade``: readable output, JSON, figures and one-line errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from metastasis import DISCLAIMER
from metastasis.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def test_spread_as_in_the_issue():
    result = run(
        "spread", "--subtype", "tnbc", "--from", "breast", "--steps", "5", "--patients", "20000", "--seed", "1"
    )
    assert result.exit_code == 0, result.output
    text = result.output
    for needle in ("triple-negative", "Site probabilities", "Top pathways", "First passage", "Spreaders and sponges"):
        assert needle in text
    assert "breast -> bone" in text
    assert "turkish-subtype-relapse" in text and "Caveats" in text
    assert "not a medical device" in text


def test_spread_json():
    result = run("spread", "--subtype", "hr+/her2-", "--steps", "3", "--patients", "5000", "--seed", "2", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["disclaimer"] == DISCLAIMER
    assert data["subtype"] == "hr+/her2-" and data["steps"] == 3
    assert [row["site"] for row in data["site_probabilities"]] == ["breast", "bone", "lung", "liver", "brain"]
    assert {"pathways_one_step", "pathways_two_step", "first_passage", "roles", "sources", "caveats"} <= set(data)


def test_spread_writes_figures(tmp_path):
    network, steps = tmp_path / "net.png", tmp_path / "steps.svg"
    result = run(
        "spread", "--steps", "3", "--patients", "2000", "--seed", "1",
        "--plot-network", str(network), "--plot-steps", str(steps),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert network.read_bytes()[:4] == b"\x89PNG" and "<svg" in steps.read_text()


def test_spread_with_your_own_matrix(tmp_path):
    csv = tmp_path / "chain.csv"
    csv.write_text("site,breast,bone,liver\nbreast,0,0.7,0.3\nbone,0,0.6,0.4\nliver,0,0.5,0.5\n")
    result = run("spread", "--matrix", str(csv), "--from", "breast", "--steps", "2", "--patients", "1000", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["model"] == "user matrix" and data["sites"] == ["breast", "bone", "liver"]
    bone = next(p for p in data["first_passage"] if p["site"] == "bone")
    assert abs(bone["mean_steps"] - (1 + 0.3 * 2)) < 1e-9  # from liver, bone arrives at rate 0.5


def test_spread_bad_input_one_line_exit_2(tmp_path):
    for args, needle in (
        (("spread", "--subtype", "luminal-b"), "invalid subtype: 'luminal-b'"),
        (("spread", "--from", "kidney"), "invalid start: 'kidney'"),
        (("spread", "--steps", "0"), "invalid steps: 0"),
        (("spread", "--plot-network", str(tmp_path / "x.jpg"), "--patients", "100"), "invalid plot"),
        (("spread", "--matrix", str(tmp_path / "missing.csv"), "--from", "a"), "invalid matrix"),
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("error: ") and needle in lines[0], result.output


def test_spread_frequencies_keep_kinds_apart():
    result = run("spread", "--frequencies")
    assert result.exit_code == 0, result.output
    for kind in ("autopsy_involvement", "first_site", "at_diagnosis", "relapse_involvement", "share_of_metastases"):
        assert kind in result.output
    data = json.loads(run("spread", "--frequencies", "--kind", "first_site", "--json").output)
    assert {r["kind"] for r in data["frequencies"]} == {"first_site"}
    assert run("spread", "--frequencies", "--kind", "nope").exit_code == 2


def test_cascade_readable_and_json():
    result = run("cascade", "--cells", "10000", "--replicates", "200", "--seed", "1")
    assert result.exit_code == 0, result.output
    assert "Survival in circulation" in result.output and "1 in 4,000" in result.output
    assert "not a medical device" in result.output
    data = json.loads(run("cascade", "--cells", "1000", "--replicates", "50", "--seed", "1", "--json").output)
    assert abs(data["overall_fraction"] - 0.00025) < 1e-12 and data["disclaimer"] == DISCLAIMER


def test_cascade_fraction_override_and_errors():
    data = json.loads(run("cascade", "--fraction", "intravasation=0.1", "--replicates", "10", "--json").output)
    assert data["start_step"] == "intravasation"
    for args, needle in (
        (("cascade", "--fraction", "intravasation"), "invalid fraction"),
        (("cascade", "--fraction", "nowhere=0.5"), "invalid fractions"),
        (("cascade", "--cells", "0"), "invalid cells"),
    ):
        result = run(*args)
        assert result.exit_code == 2 and needle in result.output, result.output
