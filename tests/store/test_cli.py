"""The store's commands: db, users, alerts due, audit, records export (one-line errors, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.examples.cases import load_example_case
from metastasis.store import Store

PASSWORD = "correct horse battery staple"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    return url


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_needs_upgrade_then_works(db: str, tmp_path: Path) -> None:
    code, _, err = run("users", "list")
    assert code == 2 and err.strip() == "error: the database schema is out of date: run `metastasis db upgrade`"
    assert run("db", "current")[1].startswith("none (out of date")
    assert run("db", "upgrade")[:2] == (0, "database at revision 0002\n")
    assert run("db", "current")[1] == "0002 (up to date)\n"

    code, out, _ = run("users", "add", "Doc@Example.org", "--role", "clinician", "--password-stdin", stdin=PASSWORD)
    assert (code, out) == (0, "added doc@example.org (clinician)\n")
    code, _, err = run("users", "add", "x@example.org", "--role", "nurse", "--password-stdin", stdin=PASSWORD)
    assert code == 2 and err.startswith("error: invalid role: 'nurse'") and err.count("\n") == 1
    code, _, err = run("users", "add", "y@example.org", "--role", "admin", "--password-stdin", stdin="short")
    assert code == 2 and "12 to 1024 characters" in err and "short" not in err
    code, _, _ = run("users", "add", "z@example.org", "--role", "registrar", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert code == 0
    code, _, err = run("users", "add", "w@example.org", "--role", "registrar", stdin=f"{PASSWORD}\nsomething else\n")
    assert code == 2 and "the same password twice" in err
    assert run("users", "list")[1].split("\n")[0].split() == ["doc@example.org", "clinician", "active"]
    assert run("users", "disable", "doc@example.org")[1] == "disabled doc@example.org\n"
    assert json.loads(run("users", "list", "--json")[1])["users"][0]["active"] is False
    run("users", "enable", "doc@example.org")

    store = Store(db)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    rid = store.records.create(doc, load_example_case("hypercalcaemia")).record_id
    store.dispose()

    assert run("alerts", "due")[1] == f"record {rid}: 2 new alert(s), most urgent emergency (owner {doc.user_id})\n"
    assert json.loads(run("alerts", "due", "--json")[1])["due"][0]["new_alerts"] == 2

    code, out, _ = run("audit", "--case", str(rid))
    assert code == 0 and "doc@example.org create record 1 v1 allowed" in out
    assert json.loads(run("audit", "--user", "doc@example.org", "--json")[1])["total"] >= 2
    by_operator = json.loads(run("audit", "--user", "cli-operator", "--json")[1])["entries"]
    assert {"user_add", "user_disable", "user_enable", "audit"} <= {e["action"] for e in by_operator}
    assert "doc@example.org as clinician" in {e["detail"] for e in by_operator}

    target = tmp_path / "export.json"
    assert run("records", "export", str(rid), "-o", str(target))[0] == 0
    exported = json.loads(target.read_text())
    assert exported["versions"][0]["case"]["title"] == load_example_case("hypercalcaemia").title
    code, _, err = run("records", "export", "999", "-o", str(tmp_path / "none.json"))
    assert (code, err) == (2, "error: no case record 999\n")

    backup = tmp_path / "backup.db"
    assert run("db", "backup", str(backup))[0] == 0
    code, _, err = run("db", "backup", str(backup))
    assert code == 2 and "does not exist yet" in err
    store = Store(db)
    store.records.erase(store.accounts.authenticate("doc@example.org", PASSWORD), rid)
    store.dispose()
    assert run("alerts", "due")[1] == ""
    assert run("db", "restore", str(backup))[0] == 0
    assert run("alerts", "due")[1].startswith(f"record {rid}:")


def test_backup_on_postgresql_prints_advice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from metastasis.errors import InvalidInputError
    from metastasis.store.backup import backup
    from metastasis.store.engine import create_engine

    engine = create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(InvalidInputError, match="pg_dump"):
        backup(engine, tmp_path / "x")
