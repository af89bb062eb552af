"""Trials in the case store's database (SQLite and PostgreSQL): import, change log, identical re-import changes
nothing, a newer version replaces, the commands use the database when a case store exists."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.examples.cases import load_example_case
from metastasis.store import SchemaOutOfDateError, Store
from metastasis.store.models import AuditEntry, TrialChange, TrialStudy
from metastasis.store.trials import TrialService
from metastasis.trials import TrialStore, match_trials, parse_study, read_studies
from metastasis.trials.store import open_trial_store
from tests.trials.conftest import RECORDS, raw_records

DATO = "NCT06974604"  # TROPION-DM: Dato-DXd stomatitis prevention; lastUpdatePostDate 2025-08-15 in the record


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return raw_records()


def _with(record: dict, **status: object) -> dict:
    changed = copy.deepcopy(record)
    changed["protocolSection"]["statusModule"].update(status)
    return changed


def _record(records: list[dict], nct_id: str) -> dict:
    return next(r for r in records if r["protocolSection"]["identificationModule"]["nctId"] == nct_id)


def _count(store: Store, table: type) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(table)) or 0


def test_import_all_records_then_identical_reimport_changes_nothing(store: Store) -> None:
    first = store.trials.add(read_studies(RECORDS))
    assert len(first.added) == 69 and not (first.updated or first.unchanged or first.older)
    assert _count(store, TrialStudy) == 69 and _count(store, TrialChange) == 69
    with store.read() as session:
        before = {r.nct_id: (r.version_hash, r.updated_at) for r in session.scalars(select(TrialStudy))}
        row = session.scalar(select(TrialStudy).where(TrialStudy.nct_id == DATO))
        assert (row.version, row.overall_status, row.phases) == ("2025-08-15", "NOT_YET_RECRUITING", ["PHASE2"])

    again = store.trials.add(read_studies(RECORDS))
    assert len(again.unchanged) == 69 and not (again.added or again.updated or again.older)
    assert _count(store, TrialChange) == 69
    with store.read() as session:
        after = {r.nct_id: (r.version_hash, r.updated_at) for r in session.scalars(select(TrialStudy))}
    assert after == before
    # the import is audited (who, how many), without patient data
    with store.read() as session:
        details = session.scalars(select(AuditEntry.detail).where(AuditEntry.action == "trials_import")).all()
    assert details[-1].startswith("0 added, 0 updated, 69 unchanged")


def test_stored_records_read_back_as_sent(store: Store, records: list[dict]) -> None:
    store.trials.add(read_studies(RECORDS))
    assert store.trials.get(DATO.lower()).to_record() == _record(records, DATO)
    assert store.trials.get("NCT99999999") is None
    assert store.trials.get("not an id") is None
    assert [p.study.nct_id for p in store.trials.studies()] == sorted(
        r["protocolSection"]["identificationModule"]["nctId"] for r in records
    )


def test_newer_version_replaces_and_is_logged_older_is_skipped(store: Store, records: list[dict]) -> None:
    store.trials.add(read_studies(RECORDS))
    newer = _with(
        _record(records, DATO),
        overallStatus="RECRUITING",
        lastUpdatePostDateStruct={"date": "2099-01-01", "type": "ACTUAL"},
    )
    result = store.trials.add([parse_study(newer)])
    assert result.updated == [DATO]
    assert store.trials.get(DATO).overall_status == "RECRUITING"
    last = store.trials.changes(after=69)
    assert [(c.nct_id, c.old_version, c.new_version) for c in last] == [(DATO, "2025-08-15", "2099-01-01")]

    older = _with(_record(records, DATO), lastUpdatePostDateStruct={"date": "1999-01-01", "type": "ACTUAL"})
    assert store.trials.add([parse_study(older)]).older == [DATO]
    assert store.trials.get(DATO).overall_status == "RECRUITING"
    assert _count(store, TrialChange) == 70


def test_same_date_other_content_is_an_update(store: Store, records: list[dict]) -> None:
    store.trials.add([parse_study(_record(records, DATO))])
    corrected = _with(_record(records, DATO), overallStatus="WITHDRAWN")
    assert store.trials.add([parse_study(corrected)]).updated == [DATO]
    assert store.trials.get(DATO).overall_status == "WITHDRAWN"


def test_matching_from_the_database_equals_matching_the_file(store: Store) -> None:
    studies = read_studies(RECORDS)
    store.trials.add(studies)
    case = load_example_case("de-novo-bone-only")
    from_db = [(m.nct_id, m.status, m.score) for m in match_trials(case, store.trials.studies())]
    from_file = [(m.nct_id, m.status, m.score) for m in match_trials(case, studies)]
    assert from_db == from_file


def test_criteria_are_parsed_once_per_study_version(store: Store, records: list[dict]) -> None:
    store.trials.add(read_studies(RECORDS))
    first = {p.study.nct_id: p for p in store.trials.studies()}
    second = {p.study.nct_id: p for p in store.trials.studies()}
    assert all(second[k] is first[k] for k in first)
    store.trials.add([parse_study(_with(_record(records, DATO), overallStatus="RECRUITING"))])
    third = {p.study.nct_id: p for p in store.trials.studies()}
    assert third[DATO] is not first[DATO] and third[DATO].study.overall_status == "RECRUITING"
    assert all(third[k] is first[k] for k in first if k != DATO)


def test_the_commands_use_the_case_store_when_there_is_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, records: list[dict]
) -> None:
    url = f"sqlite:///{tmp_path}/cases.db"
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    monkeypatch.delenv("METASTASIS_TRIALS_FILE", raising=False)
    runner = CliRunner()

    # a case store whose schema is not current: one line, exit 2, nothing written elsewhere
    result = runner.invoke(app, ["trials", "import", str(RECORDS)])
    assert result.exit_code == 2
    assert result.stderr == "error: the database schema is out of date: run `metastasis db upgrade`\n"
    with pytest.raises(SchemaOutOfDateError):
        open_trial_store()

    Store(url).upgrade()
    assert isinstance(open_trial_store(), TrialService)
    assert isinstance(open_trial_store(tmp_path / "t.jsonl"), TrialStore)
    result = runner.invoke(app, ["trials", "import", str(RECORDS)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Imported 69 studies: 69 added, 0 updated, 0 unchanged, 0 older copies skipped.\n"
    assert Store(url).trials.count() == 69

    shown = runner.invoke(app, ["trials", "show", DATO, "--json"])
    assert json.loads(shown.stdout) == _record(records, DATO)
    case = tmp_path / "case.json"
    case.write_text(json.dumps(load_example_case("de-novo-bone-only").model_dump(mode="json")), encoding="utf-8")
    matched = json.loads(runner.invoke(app, ["trials", "match", str(case), "--json"]).stdout)
    assert len(matched["matches"]) == 69

    # $METASTASIS_TRIALS_FILE names a file store: it wins
    monkeypatch.setenv("METASTASIS_TRIALS_FILE", str(tmp_path / "file.jsonl"))
    assert isinstance(open_trial_store(), TrialStore)


def test_without_a_case_store_the_file_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("METASTASIS_DATABASE_URL", raising=False)
    monkeypatch.delenv("METASTASIS_TRIALS_FILE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    chosen = open_trial_store()
    assert isinstance(chosen, TrialStore) and chosen.path == tmp_path / "metastasis" / "trials.jsonl"


def test_concurrent_imports_of_the_same_studies_store_each_once(store: Store) -> None:
    from concurrent.futures import ThreadPoolExecutor

    studies = read_studies(RECORDS)
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(pool.map(lambda _: store.trials.add(studies, rematch=False), range(3)))
    assert sum(len(r.added) for r in results) == 69
    assert sum(len(r.unchanged) for r in results) == 2 * 69
    assert _count(store, TrialStudy) == 69 and _count(store, TrialChange) == 69
