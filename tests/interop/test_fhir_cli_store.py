"""`metastasis fhir import BUNDLE --save --as EMAIL [--record ID --base-version N]`: one line per outcome, and
every refusal as one line on stderr with exit status 2 (SQLite store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.store import Store
from tests.interop.conftest import PASSWORD, SYNTHEA, load_synthea

DISCLAIMER_WORDS = "not a medical device"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    store = Store(url)
    store.upgrade()
    store.accounts.add_user("doc@example.org", "clinician", PASSWORD)
    store.accounts.add_user("reg@example.org", "registrar", PASSWORD)
    store.dispose()
    return url


@pytest.fixture
def bundle_file(tmp_path: Path) -> Path:
    path = tmp_path / "Adah626_Jaskolski867.json"  # named after the (synthetic) patient, as Synthea names them
    path.write_text(json.dumps(load_synthea(SYNTHEA[0])), encoding="utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_save_creates_then_adds_a_version(db: str, bundle_file: Path) -> None:
    code, out, _ = run("fhir", "import", str(bundle_file), "--save", "--as", "Doc@Example.org")
    assert code == 0
    first = out.splitlines()[0]
    assert first.startswith("created record 1, version 1: imported from a FHIR bundle: ")
    assert "Adah" not in out  # the file name (the patient's name) is not repeated, nor stored as the reason
    assert DISCLAIMER_WORDS in out.lower()

    code, out, _ = run("fhir", "import", str(bundle_file), "--save", "--as", "doc@example.org", "--record", "1",
                       "--base-version", "1", "--report")  # fmt: skip
    assert code == 0 and out.startswith("added a version to record 1, version 2: ")
    assert "Mapped" in out and "Ignored" in out

    code, _, err = run("fhir", "import", str(bundle_file), "--save", "--as", "doc@example.org", "--record", "1",
                       "--base-version", "1")  # fmt: skip
    assert (code, err) == (2, "error: case record 1 is at version 2, not 1: reload and retry\n")

    store = Store(db)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    versions = store.records.versions(doc, 1)
    store.dispose()
    assert [v.version for v in versions] == [1, 2]
    assert all(v.reason.startswith("imported from a FHIR bundle") for v in versions)


def test_save_json(db: str, bundle_file: Path) -> None:
    code, out, _ = run("fhir", "import", str(bundle_file), "--save", "--as", "doc@example.org", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["id"], data["version"], data["created"]) == (1, 1, True)
    assert data["result"]["case"]["tumour"]["t"] == "cT1"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--record", "1"], "error: invalid record: 1; allowed: only with --save"),
        (["--as", "doc@example.org"], "error: invalid as: 'doc@example.org'; allowed: only with --save"),
        (["--save"], "error: invalid as: None; allowed: the email of the account"),
        (["--save", "--as", "doc@example.org", "--record", "1"], "error: invalid base-version: None; allowed: the"),
        (["--save", "--as", "doc@example.org", "--base-version", "2"], "error: invalid base-version: 2; allowed: on"),
        (["--save", "--as", "doc@example.org", "--record", "0", "--base-version", "1"], "error: invalid record: 0"),
        (["--save", "--as", "doc@example.org", "-o", "case.yaml"], "error: invalid output: 'case.yaml'; allowed: no"),
        (["--save", "--as", "nobody@example.org"], "error: invalid as: 'nobody@example.org'; allowed: the email of"),
        (["--save", "--as", "reg@example.org"], "error: only a clinician or an admin may create a record"),
        (["--save", "--as", "doc@example.org", "--record", "7", "--base-version", "1"], "error: no case record 7"),
    ],
)
def test_refusals_are_one_line(db: str, bundle_file: Path, extra: list[str], message: str) -> None:
    code, out, err = run("fhir", "import", str(bundle_file), *extra)
    assert code == 2 and err.startswith(message) and err.count("\n") == 1, err
    assert out == ""


def test_a_bad_bundle_is_refused_before_the_store(db: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"resourceType": "Bundle", "type": "collection", "entry": []}', encoding="utf-8")
    code, _, err = run("fhir", "import", str(bad), "--save", "--as", "doc@example.org")
    assert code == 2 and err.startswith("error: invalid bundle.entry: 'no breast primary cancer'")
    store = Store(db)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    listed = store.records.list(doc)
    store.dispose()
    assert listed.total == 0


def test_an_out_of_date_schema_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, bundle_file: Path) -> None:
    monkeypatch.setenv("METASTASIS_DATABASE_URL", f"sqlite:///{tmp_path}/fresh.db")
    code, _, err = run("fhir", "import", str(bundle_file), "--save", "--as", "doc@example.org")
    assert (code, err) == (2, "error: the database schema is out of date: run `metastasis db upgrade`\n")
