"""Trial watches on case-store records (SQLite and PostgreSQL): who may save them, audit, and the "new trial match"
alerts they raise when an import adds or changes a study, or when the record's case changes.

The study is NCT06974604 (TROPION-DM, tests/trials/data), whose first inclusion criterion is "Has advanced and/or
metastatic cancer that meets one of the following criteria", whose ECOG limit is 0-2, and which asks for
"Measurable disease based on ... RECIST version 1.1" (the case files do not record measurability). Its record:
NOT_YET_RECRUITING, PHASE2, last update 2025-08-15, one site in Providence (41.82399, -71.41283).

* The bundled case ``de-novo-bone-only`` is metastatic (bone only) with ECOG 1: nothing excludes it and RECIST
  measurability is unknown, so the study is *possibly eligible*.
* The bundled case ``early-hr-positive`` is not metastatic: the first inclusion is not met, so *not eligible*.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from metastasis.cli import app
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import load_example_case
from metastasis.store import Principal, RecordNotFound, Store
from metastasis.store import watches as watch_module
from metastasis.store.alerts import AlertState
from metastasis.store.models import AuditEntry
from metastasis.trials import parse_study, read_studies
from tests.store.conftest import PASSWORD, patient_of
from tests.trials.conftest import RECORDS, raw_records

DATO = "NCT06974604"
ALERT = f"trial_match:{DATO}"
METASTATIC = load_example_case("de-novo-bone-only")
EARLY = load_example_case("early-hr-positive")
PROVIDENCE = (41.82399, -71.41283)
BOSTON = (42.3601, -71.0589)  # about 65 km from Providence
PARIS = (48.8566, 2.3522)


def _dato(**status: object) -> dict:
    record = copy.deepcopy(
        next(r for r in raw_records() if r["protocolSection"]["identificationModule"]["nctId"] == DATO)
    )
    record["protocolSection"]["statusModule"].update(status)
    return record


def _trial_alerts(store: Store, actor: Principal, record_id: int) -> dict[str, AlertState]:
    return {a.alert_id: a.state for a in store.alerts.list(actor, record_id) if a.kind == "trial"}


def _audit(store: Store, action: str) -> list[tuple[str, str | None]]:
    with store.read() as session:
        return [(r.outcome, r.detail) for r in session.scalars(select(AuditEntry).where(AuditEntry.action == action))]


def test_who_may_watch_and_every_access_is_audited(store: Store, people: dict[str, Principal]) -> None:
    doc, other, admin, registrar = people["doc"], people["other"], people["admin"], people["registrar"]
    rid = store.records.create(doc, METASTATIC).record_id

    mine = store.watches.add(doc, rid, statuses=["recruiting"], phases=["2"])
    assert (mine.record_id, mine.created_by, mine.statuses, mine.phases) == (
        rid,
        doc.user_id,
        ["RECRUITING"],
        ["PHASE2"],
    )
    assert store.watches.add(admin, rid).created_role == "admin"
    for outsider in (other, registrar):  # another clinician's record; a registrar only reads
        with pytest.raises(RecordNotFound):
            store.watches.add(outsider, rid)
    with pytest.raises(RecordNotFound):
        store.watches.add(doc, 999_999)

    patient = patient_of(store, doc, rid)
    theirs = store.watches.add(patient, rid, near=PROVIDENCE, within_km=50)
    assert (theirs.created_by, theirs.created_role, theirs.within_km) == (None, "patient", 50.0)
    other_record = store.records.create(doc, EARLY).record_id
    with pytest.raises(RecordNotFound):
        store.watches.add(patient, other_record)

    assert [w.id for w in store.watches.list(registrar, rid)] == [mine.id, mine.id + 1, theirs.id]
    assert [w.id for w in store.watches.list(other)] == []
    assert len(store.watches.list(doc)) == 3
    with pytest.raises(RecordNotFound):
        store.watches.list(other, rid)

    with pytest.raises(InvalidInputError, match="watch_id"):  # a patient removes only what a patient saved
        store.watches.remove(patient, rid, mine.id)
    store.watches.remove(patient, rid, theirs.id)
    with pytest.raises(RecordNotFound):
        store.watches.remove(other, rid, mine.id)
    store.watches.remove(doc, rid, mine.id)
    with pytest.raises(InvalidInputError, match="watch_id"):
        store.watches.remove(doc, rid, mine.id)
    assert len(store.watches.list(doc, rid)) == 1

    added = _audit(store, "watch_add")
    assert [o for o, _ in added].count("allowed") == 3 and [o for o, _ in added].count("denied") == 4
    assert ("denied", "not permitted") in added and ("denied", "no such record") in added
    removed = _audit(store, "watch_remove")
    assert [o for o, _ in removed] == ["error", "allowed", "denied", "allowed", "error"]
    assert all("41." not in (d or "") for _, d in added)  # the place searched around is never in the trail


@pytest.mark.parametrize(
    ("filters", "field"),
    [
        ({"statuses": ["open"]}, "status"),
        ({"phases": ["phase5"]}, "phase"),
        ({"within_km": 10.0}, "within_km"),
        ({"near": (91.0, 0.0), "within_km": 10.0}, "near"),
        ({"near": PROVIDENCE, "within_km": 0.0}, "within_km"),
        ({"near": PROVIDENCE, "within_km": 30_000.0}, "within_km"),
    ],
)
def test_bad_filters_name_the_field(store: Store, people: dict[str, Principal], filters: dict, field: str) -> None:
    rid = store.records.create(people["doc"], METASTATIC).record_id
    with pytest.raises(InvalidInputError) as caught:
        store.watches.add(people["doc"], rid, **filters)
    assert caught.value.field == field


def test_a_record_has_at_most_ten_watches(store: Store, people: dict[str, Principal]) -> None:
    rid = store.records.create(people["doc"], METASTATIC).record_id
    for _ in range(10):
        store.watches.add(people["doc"], rid)
    with pytest.raises(InvalidInputError, match="at most 10 watches"):
        store.watches.add(people["doc"], rid)


def test_a_new_matching_study_raises_an_alert_that_stays_acknowledged(
    store: Store, people: dict[str, Principal]
) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid, phases=["phase2"])
    assert _trial_alerts(store, doc, rid) == {}

    result = store.trials.add([parse_study(_dato())])
    assert (result.rematched_records, result.new_alerts) == (1, 1)
    alert = next(a for a in store.alerts.list(doc, rid) if a.kind == "trial")
    assert (alert.alert_id, alert.nct_id, alert.state, alert.severity) == (ALERT, DATO, AlertState.NEW, "info")
    assert alert.title.startswith("New trial match (possibly eligible): Preventing Dato-DXd Associated Stomatitis")
    due = store.alerts.due()
    assert [(d.record_id, d.new_trial_matches) for d in due] == [(rid, 1)]
    assert ("allowed", "1 studies matched, 1 new trial alerts, 0 resolved") in _audit(store, "trial_watch")

    store.alerts.acknowledge(doc, rid, ALERT)
    assert store.trials.add([parse_study(_dato())]).unchanged == [DATO]  # identical copy: nothing happens
    store.records.add_event(doc, rid, "review", {"kind": "dental", "date": "2024-06-01"})  # same match again
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.ACKNOWLEDGED}

    # a newer version of the study: the acknowledgement does not carry over
    newer = _dato(lastUpdatePostDateStruct={"date": "2099-01-01", "type": "ACTUAL"})
    assert store.trials.add([parse_study(newer)]).new_alerts == 1
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.NEW}


def test_the_case_changing_rematches_and_timeline_alerts_leave_trial_alerts_alone(
    store: Store, people: dict[str, Principal]
) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, EARLY).record_id
    store.watches.add(doc, rid)
    store.trials.add(read_studies(RECORDS))
    assert ALERT not in _trial_alerts(store, doc, rid)  # not metastatic: not eligible

    store.records.update(doc, rid, METASTATIC, base_version=1)
    states = _trial_alerts(store, doc, rid)
    assert states[ALERT] is AlertState.NEW
    opened = set(states)

    # the hypercalcaemia case fires timeline alerts; recomputing them leaves the trial alerts as they are
    store.records.update(doc, rid, load_example_case("hypercalcaemia"), base_version=2)
    timeline = {a.alert_id for a in store.alerts.list(doc, rid) if a.kind == "timeline"}
    assert "red_flag:hypercalcaemia" in timeline
    store.records.update(doc, rid, METASTATIC, base_version=3)  # timeline alerts resolve
    assert _trial_alerts(store, doc, rid)[ALERT] is AlertState.NEW

    store.records.update(doc, rid, EARLY, base_version=4)
    assert _trial_alerts(store, doc, rid)[ALERT] is AlertState.RESOLVED
    assert opened <= set(_trial_alerts(store, doc, rid))


@pytest.mark.parametrize(
    ("filters", "alerted"),
    [
        ({"statuses": ["recruiting"]}, False),
        ({"statuses": ["not_yet_recruiting"]}, True),
        ({"phases": ["phase3"]}, False),
        ({"near": BOSTON, "within_km": 100.0}, True),
        ({"near": BOSTON, "within_km": 30.0}, False),
        ({"near": PARIS, "within_km": 1000.0}, False),
    ],
)
def test_filters_decide_which_studies_are_watched(
    store: Store, people: dict[str, Principal], filters: dict, alerted: bool
) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid, **filters)
    store.trials.add([parse_study(_dato())])
    assert (ALERT in _trial_alerts(store, doc, rid)) is alerted


def test_saving_a_watch_matches_the_stored_studies_and_removing_the_last_resolves(
    store: Store, people: dict[str, Principal]
) -> None:
    doc = people["doc"]
    store.trials.add([parse_study(_dato())])
    rid = store.records.create(doc, METASTATIC).record_id
    watch = store.watches.add(doc, rid)
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.NEW}
    store.watches.remove(doc, rid, watch.id)
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.RESOLVED}


def test_runs_are_bounded_and_cover_everything_in_turns(
    store: Store, people: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = people["doc"]
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid)
    expected = store.trials.add(read_studies(RECORDS), rematch=False)
    assert len(expected.added) == 69
    monkeypatch.setattr(watch_module, "MAX_STUDIES_PER_RUN", 20)
    first = store.watches.run()
    assert (first.studies_matched, first.pending) == (20, True)
    rest = store.watches.run_all()
    assert rest.studies_matched == 49 and not rest.pending
    assert store.watches.run().records == 0  # nothing left
    # every possibly eligible study of the whole set raised an alert, as matching all at once does
    from metastasis.trials import match_trials

    wanted = {m.nct_id for m in match_trials(METASTATIC, read_studies(RECORDS)) if m.status != "not_eligible"}
    assert {k.removeprefix("trial_match:") for k in _trial_alerts(store, doc, rid)} == wanted


def test_watch_commands_and_alerts_due(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    monkeypatch.delenv("METASTASIS_TRIALS_FILE", raising=False)
    store = Store(url)
    store.upgrade()
    store.accounts.add_user("doc@example.org", "clinician", PASSWORD)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    rid = store.records.create(doc, METASTATIC).record_id
    runner = CliRunner()

    added = runner.invoke(  # without --as: the operator at the shell, an admin
        app, ["trials", "watch", "add", str(rid), "--phase", "phase2", "--near", "42.36,-71.06", "--within-km", "100"]
    )
    assert added.stdout == (
        f"watch 1 on record {rid}: phase phase2; within 100 km of 42.36,-71.06; 0 new trial alerts on the record now\n"
    )
    watch_as = runner.invoke(app, ["trials", "watch", "add", str(rid), "--as", "Doc@Example.org"])
    assert watch_as.exit_code == 0, watch_as.stderr
    assert watch_as.stdout.endswith("every stored study; 0 new trial alerts on the record now\n")
    denied = runner.invoke(app, ["trials", "watch", "add", str(rid), "--as", "nobody@example.org"])
    assert denied.exit_code == 2 and denied.stderr.startswith("error: invalid as: 'nobody@example.org'")

    listed = runner.invoke(app, ["trials", "watch", "list", str(rid)]).stdout.splitlines()
    assert listed[0] == f"watch 1 on record {rid}: phase phase2; within 100 km of 42.36,-71.06"

    one = tmp_path / "one.json"
    one.write_text(json.dumps(_dato()), encoding="utf-8")
    imported = runner.invoke(app, ["trials", "import", str(one)])
    assert imported.stdout == (
        "Imported 1 studies: 1 added, 0 updated, 0 unchanged, 0 older copies skipped; "
        "1 watched records matched again, 1 new trial alerts.\n"
    )
    due = runner.invoke(app, ["alerts", "due"]).stdout
    assert f"record {rid}: " in due and "1 new trial match(es)" in due

    removed = runner.invoke(app, ["trials", "watch", "remove", str(rid), "1", "--as", "doc@example.org"])
    assert removed.stdout == f"removed watch 1 from record {rid}\n"
    missing = runner.invoke(app, ["trials", "watch", "remove", str(rid), "99"])
    assert missing.exit_code == 2 and missing.stderr.startswith("error: invalid watch_id: 99")
    gone = runner.invoke(app, ["trials", "watch", "list", "424242"])
    assert gone.exit_code == 2 and gone.stderr == "error: no case record 424242\n"
    store.dispose()


def test_the_match_inside_a_write_is_capped_and_runs_cover_the_rest(
    store: Store, people: dict[str, Principal], monkeypatch: pytest.MonkeyPatch
) -> None:
    from metastasis.trials import match_trials

    doc = people["doc"]
    store.trials.add(read_studies(RECORDS))
    rid = store.records.create(doc, METASTATIC).record_id
    monkeypatch.setattr(watch_module, "MAX_STUDIES_IN_WRITE", 10)
    store.watches.add(doc, rid)
    assert len(_trial_alerts(store, doc, rid)) <= 10
    store.watches.run_all()
    wanted = {m.nct_id for m in match_trials(METASTATIC, read_studies(RECORDS)) if m.status != "not_eligible"}
    assert {k.removeprefix("trial_match:") for k in _trial_alerts(store, doc, rid)} == wanted


def test_update_into_the_case_store_rematches_page_by_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import httpx

    from metastasis.interop import ctgov
    from tests.trials.test_ctgov import Replay

    url = f"sqlite:///{tmp_path}/cli.db"
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("METASTASIS_TRIALS_FILE", raising=False)
    store = Store(url)
    store.upgrade()
    store.accounts.add_user("doc@example.org", "clinician", PASSWORD)
    doc = store.accounts.authenticate("doc@example.org", PASSWORD)
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid, statuses=["not_yet_recruiting"], phases=["phase2"])
    replay = Replay(raw_records())
    monkeypatch.setattr(
        ctgov, "new_client", lambda: httpx.Client(transport=httpx.MockTransport(replay), base_url=ctgov.BASE_URL)
    )
    result = CliRunner().invoke(app, ["trials", "update", "--condition", "breast cancer", "--page-size", "25"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Fetched 69 studies into sqlite:///")
    assert store.trials.count() == 69
    # of the 69, the watch keeps the not-yet-recruiting phase 2 studies; each possibly eligible one raised an alert
    from metastasis.trials import match_trials

    kept = [s for s in read_studies(RECORDS) if s.overall_status == "NOT_YET_RECRUITING" and "PHASE2" in s.phases]
    wanted = {m.nct_id for m in match_trials(METASTATIC, kept) if m.status != "not_eligible"}
    assert DATO in wanted
    assert {k.removeprefix("trial_match:") for k in _trial_alerts(store, doc, rid)} == wanted
    assert result.stdout.endswith(f"; {len(wanted)} new trial alerts on watched records.\n")
    store.dispose()


def test_removing_one_watch_resolves_what_only_it_kept(store: Store, people: dict[str, Principal]) -> None:
    doc = people["doc"]
    store.trials.add([parse_study(_dato())])
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid, statuses=["recruiting"])  # the study is not yet recruiting: not kept
    wide = store.watches.add(doc, rid, phases=["phase2"])
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.NEW}
    store.watches.remove(doc, rid, wide.id)
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.RESOLVED}
    # a study that stops fitting the filters on import resolves its alert too
    store.watches.add(doc, rid, phases=["phase2"])
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.NEW}
    moved = _dato()
    moved["protocolSection"]["designModule"]["phases"] = ["PHASE3"]
    assert store.trials.add([parse_study(moved)]).updated == [DATO]
    assert _trial_alerts(store, doc, rid) == {ALERT: AlertState.RESOLVED}


def test_erasure_removes_the_record_watches_and_their_place(store: Store, people: dict[str, Principal]) -> None:
    doc, admin = people["doc"], people["admin"]
    rid = store.records.create(doc, METASTATIC).record_id
    store.watches.add(doc, rid, near=PROVIDENCE, within_km=50)
    assert len(store.watches.list(admin, rid)) == 1
    store.records.erase(doc, rid)
    with store.read() as session:
        from metastasis.store.models import TrialWatch

        assert session.scalars(select(TrialWatch).where(TrialWatch.record_id == rid)).all() == []
