"""``metastasis schema``: the published JSON Schema, checking a case file, and the bundled example cases."""

import json

import yaml
from typer.testing import CliRunner

from metastasis import DISCLAIMER
from metastasis.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["schema", *args])


def flat(text: str) -> str:
    """Output with the terminal's line wrapping undone."""
    return " ".join(text.split())


def test_prints_the_json_schema_as_plain_json():
    result = run()
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "1.1"]
    assert DISCLAIMER in schema["$comment"]


def test_writes_the_schema_to_a_file(tmp_path):
    target = tmp_path / "case.schema.json"
    result = run("-o", str(target))
    assert result.exit_code == 0
    assert json.loads(target.read_text("utf-8"))["title"] == "Case"
    assert "Wrote" in result.stdout
    assert "not a medical device" in flat(result.stdout)


def test_check_a_valid_file(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(run("--example", "spinal-cord-compression").stdout, "utf-8")
    result = run("--check", str(path))
    assert result.exit_code == 0
    assert "valid" in result.stdout
    assert "not a medical device" in flat(result.stdout)


def test_check_lists_every_problem_and_exits_2(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(
        json.dumps(
            {
                "schema_version": "1.0",
                "tumour": {"m": "cM0"},
                "metastatic_sites": [{"site": "liver"}],
                "labs": [{"analyte": "calcium", "value": 2.9, "date": "2024-05-02"}],
            }
        )
    )
    result = run("--check", str(path))
    assert result.exit_code == 2
    text = flat(result.stdout)
    assert "invalid: 2 errors" in text
    assert "$.tumour.m" in text
    assert "$.labs[0].unit: a lab value needs its unit" in text


def test_check_warnings_only_exits_0(tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"schema_version": "1.0", "tumour": {"m": "cM1"}}))
    result = run("--check", str(path))
    assert result.exit_code == 0
    assert "valid with 1 warning" in flat(result.stdout)
    assert "$.tumour.m: cM1 but no metastatic site" in flat(result.stdout)


def test_check_json(tmp_path):
    path = tmp_path / "case.yml"
    path.write_text("schema_version: '1.0'\ndates: {diagnosis: 2024-03-04, surgery: 2024-03-01}\n")
    result = run("--check", str(path), "--json")
    assert result.exit_code == 2
    body = json.loads(result.stdout)
    assert body["valid"] is False
    assert [p["path"] for p in body["problems"]] == ["$.dates.surgery"]
    assert body["problems"][0]["rule"] == "dates.surgery_before_diagnosis"
    assert body["disclaimer"] == DISCLAIMER


def test_unreadable_file_is_one_line_and_exit_2(tmp_path):
    missing = run("--check", str(tmp_path / "absent.json"))
    assert missing.exit_code == 2
    assert missing.stderr.count("\n") == 1 and missing.stderr.startswith("error: invalid path")
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    syntax = run("--check", str(broken))
    assert syntax.exit_code == 2
    assert "valid JSON" in flat(syntax.stderr)
    wrong_suffix = tmp_path / "case.txt"
    wrong_suffix.write_text("{}")
    assert run("--check", str(wrong_suffix)).exit_code == 2


def test_examples():
    listing = run("--example", "list")
    assert listing.exit_code == 0
    for name in ("de-novo-bone-only", "recurrent-liver-bone", "early-hr-positive", "hypercalcaemia"):
        assert name in listing.stdout
    as_yaml = yaml.safe_load(run("--example", "hypercalcaemia").stdout)
    assert as_yaml["schema_version"] == "1.0"
    assert as_yaml["labs"][0]["unit"] == "mmol/L"
    as_json = json.loads(run("--example", "early-hr-positive", "--json").stdout)
    assert as_json["tumour"]["oncotype_rs"] == 9
    unknown = run("--example", "nope")
    assert unknown.exit_code == 2
    assert "de-novo-bone-only" in unknown.stderr
