"""`metastasis fhir import|export`, tested through a small Typer app that registers the command module."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
import yaml
from typer.testing import CliRunner

from metastasis.commands import fhir
from metastasis.examples.cases import example_case_text
from tests.interop.conftest import DATA, SYNTHEA, load_synthea

app = typer.Typer()
fhir.register(app)


@app.callback()
def _root() -> None:
    """Test root (a group, as the real CLI is)."""


runner = CliRunner()


@pytest.fixture
def bundle_file(tmp_path: Path) -> Path:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(load_synthea(SYNTHEA[0])), encoding="utf-8")
    return path


def test_import_prints_the_case(bundle_file: Path) -> None:
    result = runner.invoke(app, ["fhir", "import", str(bundle_file)])
    assert result.exit_code == 0, result.output
    case = yaml.safe_load(result.stdout)
    assert case["tumour"]["t"] == "cT1" and case["tumour"]["er"] == "positive"


def test_import_writes_the_case_and_the_report(bundle_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "case.yaml"
    result = runner.invoke(app, ["fhir", "import", str(bundle_file), "-o", str(out), "--report"])
    assert result.exit_code == 0, result.output
    assert yaml.safe_load(out.read_text(encoding="utf-8"))["patient"]["sex"] == "female"
    assert "Mapped" in result.stdout and "Ignored" in result.stdout
    assert "recorded stage group: IA (clinical)" in result.stdout
    assert "not a medical device" in result.stdout.lower()


def test_import_json(bundle_file: Path) -> None:
    result = runner.invoke(app, ["fhir", "import", str(bundle_file), "--json"])
    data = json.loads(result.stdout)
    assert data["stage_group"]["stage"] == "IA" and data["ignored"]


def test_export_then_import(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(example_case_text("de-novo-bone-only"), encoding="utf-8")
    out = tmp_path / "bundle.json"
    result = runner.invoke(app, ["fhir", "export", str(case_file), "-o", str(out), "--type", "transaction"])
    assert result.exit_code == 0, result.output
    bundle = json.loads(out.read_text(encoding="utf-8"))
    assert bundle["type"] == "transaction"
    again = runner.invoke(app, ["fhir", "import", str(out)])
    assert yaml.safe_load(again.stdout)["metastatic_sites"][0]["site"] == "spine_lumbar"


def test_export_with_assessment_to_stdout(tmp_path: Path) -> None:
    case_file = tmp_path / "case.yaml"
    case_file.write_text(example_case_text("early-hr-positive"), encoding="utf-8")
    result = runner.invoke(app, ["fhir", "export", str(case_file), "--with-assessment"])
    assert result.exit_code == 0, result.output
    kinds = [e["resource"]["resourceType"] for e in json.loads(result.stdout)["entry"]]
    assert "DiagnosticReport" in kinds


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["import", str(DATA / "extraction" / "csv-staging-bundle.json")], "no breast primary"),
        (["import", "missing.json"], "missing.json"),
        (["import", str(DATA / "PROVENANCE.md")], "not JSON"),
        (["export", str(DATA / "PROVENANCE.md")], "error"),
        (["export", "case.yaml", "--type", "batch"], "invalid type"),
    ],
)
def test_bad_input_is_one_line_and_status_2(args: list[str], fragment: str) -> None:
    result = runner.invoke(app, ["fhir", *args])
    assert result.exit_code == 2
    assert fragment in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
        b"[" * 100_000 + b"]" * 100_000,
        b'{"resourceType": "Bundle", "entry": [1' + b"0" * 5000 + b"]}",
        b'{"resourceType": "Bundle", "entry": [{"resource": {"resourceType": "Condition", "code": 3}}]}',
    ],
)
def test_hostile_bundle_files_are_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(content)
    result = runner.invoke(app, ["fhir", "import", str(path)])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_output_folder_must_exist(bundle_file: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["fhir", "import", str(bundle_file), "-o", str(tmp_path / "no" / "case.yaml")])
    assert result.exit_code == 2 and "no such folder" in result.output


def test_a_pipe_longer_than_the_limit_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A pipe (or /dev/zero) has no size to check first; the whole of it used to be read into memory.
    import os
    import threading

    from metastasis.interop.fhir import io

    monkeypatch.setattr(io, "MAX_BUNDLE_BYTES", 1000)
    fifo = tmp_path / "bundle.json"
    os.mkfifo(fifo)
    done = threading.Event()

    def write() -> None:
        with fifo.open("wb") as pipe:
            pipe.write(b" " * 2000)
            pipe.flush()
            done.wait(20)  # the pipe stays open: only a bounded read returns before this

    writer = threading.Thread(target=write)
    writer.start()
    try:
        result = runner.invoke(app, ["fhir", "import", str(fifo)])
        still_open = not done.is_set() and writer.is_alive()
    finally:
        done.set()
        writer.join()
    assert still_open
    assert result.exit_code == 2 and "at most 1,000 bytes" in result.output
