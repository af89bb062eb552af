"""Trial watches: a record's case matched again when studies change, raising "new trial match" alerts.

A watch is saved on a record by its owning clinician, an admin, or the patient of the record (through an
invitation), with filters: recruitment statuses, phases, and a point with a radius. A study is *watched* for a
record when at least one of its watches accepts it; a watched study that is ``eligible`` or ``possibly_eligible``
for the record's current case raises a trial alert (:func:`metastasis.store.alerts.apply_trials`); one that is not
(or no longer watched) resolves it.

When it runs:

* saving a watch matches the record against the stored studies at once;
* a new version of the record's case (an update or an event) matches it again, inside the same transaction
  (:func:`rematch_record`, called by :func:`metastasis.store.alerts.apply`);
* an import of trials matches every watched record against the studies that changed since its watches last ran
  (:meth:`WatchService.run`, along the ``trial_changes`` log).

Bounded work: at most :data:`MAX_WATCHES_PER_RECORD` watches per record; :data:`MAX_STUDIES_IN_WRITE` studies
matched when a watch is saved or the case changes (the most recently updated first; when more are watched, the
record's watches go back to the start of the change log so that the next runs cover the rest);
:data:`MAX_STUDIES_PER_RUN` changed studies per record and :data:`MAX_RECORDS_PER_RUN` records per run.

Example
-------
>>> check_phases(["phase 2", "3"])
('PHASE2', 'PHASE3')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from metastasis.domain import Case
from metastasis.errors import InvalidInputError
from metastasis.store import audit
from metastasis.store._time import utcnow
from metastasis.store.access import Action, Principal, Role
from metastasis.store.alerts import (
    TRIAL,
    TRIAL_PREFIX,
    AlertState,
    TrialSnapshot,
    apply_trials,
    resolve_trials,
    trial_fingerprint,
)
from metastasis.store.audit import Outcome
from metastasis.store.models import CaseVersion, Record, StoredAlert, TrialChange, TrialWatch, User
from metastasis.store.trials import StudyRow, parsed_studies, study_rows, version_hash
from metastasis.trials.engine import ParsedStudy, check_statuses, distance_km, match_study
from metastasis.trials.judge import CaseFacts

if TYPE_CHECKING:
    from metastasis.store.core import Store

MAX_WATCHES_PER_RECORD = 10
MAX_STUDIES_PER_RUN = 2_000
"""Studies matched per record in one run (about 0.3 s of matching at the benchmarked rate, outside any lock)."""
MAX_STUDIES_IN_WRITE = 500
"""Studies matched when a watch is saved or the case changes: that match runs inside the writing transaction, so
it is kept to about 60 ms; the rest is covered by the next run (``trials import``/``update``, ``trials watch run``)."""
MAX_RECORDS_PER_RUN = 200
MAX_ROUNDS = 10_000
"""Runs :meth:`WatchService.run_all` makes at most (each is bounded; this only guards against a loop)."""
MAX_WITHIN_KM = 20_040.0
"""Half the Earth's circumference: every point is within this distance (the API's own limit on radius)."""
PHASES: tuple[str, ...] = ("EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4", "NA")
"""Phases of the ClinicalTrials.gov API v2 (``designModule.phases``; source ``ctgov-api-v2``)."""
MATCHING = frozenset({"eligible", "possibly_eligible"})


class WatchView(BaseModel):
    """A saved watch as read back (its filters; never who the patient is)."""

    id: int
    record_id: int
    created_by: int | None
    created_role: str
    statuses: list[str]
    phases: list[str]
    near_lat: float | None
    near_lon: float | None
    within_km: float | None
    created_at: dt.datetime
    last_run_at: dt.datetime | None


class WatchRun(BaseModel):
    """What a run of the watches did."""

    records: int = 0
    studies_matched: int = 0
    alerts_raised: int = 0
    alerts_resolved: int = 0
    pending: bool = False
    """More changes (or records) are left for another run."""


def check_phases(phases: Iterable[str]) -> tuple[str, ...]:
    """Phases in the API's spelling (``phase 2``, ``2`` -> ``PHASE2``); an unknown one raises.

    Raises
    ------
    InvalidInputError
        Naming ``phase`` and the allowed values.
    """
    found: list[str] = []
    for phase in phases:
        key = str(phase).strip().upper().replace("-", "_").replace(" ", "")
        if key.isdigit():
            key = f"PHASE{key}"
        if key not in PHASES:
            raise InvalidInputError("phase", phase, ", ".join(p.lower() for p in PHASES))
        if key not in found:
            found.append(key)
    return tuple(found)


def _check_point(near: tuple[float, float] | None, within_km: float | None) -> None:
    if (near is None) != (within_km is None):
        raise InvalidInputError("within_km", within_km, "a radius in km together with a point (near), or neither")
    if near is None or within_km is None:
        return
    lat, lon = near
    if not (isinstance(lat, int | float) and isinstance(lon, int | float) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInputError("near", f"{lat},{lon}", "latitude -90..90 and longitude -180..180")
    if not (isinstance(within_km, int | float) and 0 < within_km <= MAX_WITHIN_KM):
        raise InvalidInputError("within_km", within_km, f"a number of kilometres above 0, at most {MAX_WITHIN_KM:g}")


def accepts(watch: TrialWatch, parsed: ParsedStudy) -> bool:
    """Whether ``watch``'s filters take the study (status, any of its phases, a site within the radius)."""
    study = parsed.study
    if watch.statuses and (study.overall_status or "UNKNOWN") not in watch.statuses:
        return False
    if watch.phases and not any(p in watch.phases for p in study.phases):
        return False
    if watch.near_lat is not None and watch.near_lon is not None and watch.within_km is not None:
        points = [loc.geo_point for loc in study.protocol.contacts_locations.locations if loc.geo_point is not None]
        return any(distance_km(watch.near_lat, watch.near_lon, p.lat, p.lon) <= watch.within_km for p in points)
    return True


def _prefiltered(rows: Sequence[StudyRow], watches: Sequence[TrialWatch]) -> list[StudyRow]:
    """The rows some watch may take by status and phase (read without the records), newest first."""
    kept = []
    for row in rows:
        for watch in watches:
            if watch.statuses and (row.overall_status or "UNKNOWN") not in watch.statuses:
                continue
            if watch.phases and not any(p in watch.phases for p in row.phases):
                continue
            kept.append(row)
            break
    return sorted(kept, key=lambda r: (r.version or "", r.nct_id), reverse=True)


def judge_studies(
    case: Case, studies: Iterable[ParsedStudy], watches: Sequence[TrialWatch], hashes: dict[str, str] | None = None
) -> dict[str, TrialSnapshot | None]:
    """Each study's trial-alert snapshot for ``case``: a snapshot when a watch takes it and it is a match.

    Parameters
    ----------
    case:
        The record's current case.
    studies:
        Parsed studies.
    watches:
        The record's watches (a study is judged when any of them takes it).
    hashes:
        The stored version hash of each study by NCT id (computed when missing).

    Returns
    -------
    dict
        By NCT id: a :class:`TrialSnapshot` for a match, ``None`` for a study that is not one.
    """
    known = hashes or {}
    facts = CaseFacts.of(case)
    results: dict[str, TrialSnapshot | None] = {}
    for parsed in studies:
        study = parsed.study
        if not any(accepts(w, parsed) for w in watches):
            results[study.nct_id] = None
            continue
        match = match_study(parsed, facts)
        if match.status not in MATCHING:
            results[study.nct_id] = None
            continue
        digest = known.get(study.nct_id) or version_hash(study)
        results[study.nct_id] = TrialSnapshot(
            nct_id=study.nct_id,
            title=study.title,
            status=match.status,
            fingerprint=trial_fingerprint(study.nct_id, study.version, digest, match.status),
        )
    return results


def _head(session: Session) -> int:
    return session.scalar(select(func.max(TrialChange.id))) or 0


def _case(session: Session, record_id: int, version: int) -> Case | None:
    data = session.scalar(
        select(CaseVersion.case).where(CaseVersion.record_id == record_id, CaseVersion.version == version)
    )
    return None if data is None else Case.model_validate(data)


def rematch_record(session: Session, record_id: int, version: int) -> tuple[int, int]:
    """Match a record's version against the stored studies its watches take (in the caller's transaction).

    Called for every new version by :func:`metastasis.store.alerts.apply`; a record without watches costs one
    indexed query. At most :data:`MAX_STUDIES_IN_WRITE` studies are matched, the most recently updated first;
    when more were left, the watches go back to the start of the change log so that later runs cover them.

    Returns
    -------
    tuple[int, int]
        Trial alerts raised and resolved.
    """
    watches = session.scalars(select(TrialWatch).where(TrialWatch.record_id == record_id)).all()
    if not watches:
        return 0, 0
    case = _case(session, record_id, version)
    if case is None:
        return 0, 0
    head = _head(session)
    candidates = _prefiltered(study_rows(session), watches)
    chosen = candidates[:MAX_STUDIES_IN_WRITE]
    hashes = {r.nct_id: r.version_hash for r in chosen}
    results = judge_studies(case, parsed_studies(session, chosen), watches, hashes)
    watched = {r.nct_id for r in candidates}
    for nct_id in open_trial_alerts(session, record_id):
        if nct_id not in watched:  # no watch keeps this study any more (by status or phase)
            results[nct_id] = None
    raised, resolved = apply_trials(session, record_id, version, results)
    cursor = head if len(candidates) <= MAX_STUDIES_IN_WRITE else 0
    now = utcnow()
    for watch in watches:
        watch.last_change_id, watch.last_run_at = cursor, now
    return raised, resolved


def open_trial_alerts(session: Session, record_id: int) -> list[str]:
    """The NCT ids of the record's trial alerts that are not resolved."""
    rows = session.scalars(
        select(StoredAlert.alert_id).where(
            StoredAlert.record_id == record_id,
            StoredAlert.kind == TRIAL,
            StoredAlert.state != AlertState.RESOLVED.value,
        )
    )
    return [alert_id.removeprefix(TRIAL_PREFIX) for alert_id in rows]


def acting_user(store: Store, email: str) -> Principal:
    """The principal of an active account, for a command run at the server's shell as that user (``--as``).

    Raises
    ------
    InvalidInputError
        When no active account has this email.
    """
    from metastasis.store.accounts import normalise_email

    address = normalise_email(email)
    with store.read() as session:
        user = session.scalar(select(User).where(User.email == address))
    if user is None or not user.active:
        raise InvalidInputError("as", email, "the email of an active account")
    return Principal(role=Role(user.role), user_id=user.id, email=user.email)


def _action(actor: Principal) -> Action:
    """A patient may watch the one record they may read; others need the right to change the record."""
    return Action.READ if actor.role is Role.PATIENT else Action.UPDATE


def _view(watch: TrialWatch) -> WatchView:
    return WatchView.model_validate(watch, from_attributes=True)


class WatchService:
    """Trial watches on records (``store.watches``): add, list, remove, and the runs after an import."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add(
        self,
        actor: Principal,
        record_id: int,
        *,
        statuses: Iterable[str] = (),
        phases: Iterable[str] = (),
        near: tuple[float, float] | None = None,
        within_km: float | None = None,
        request_id: str | None = None,
    ) -> WatchView:
        """Save a watch on a record and match the record against the stored studies it takes at once.

        Parameters
        ----------
        actor:
            The record's clinician, an admin, or the record's patient.
        record_id:
            The record to watch.
        statuses:
            Recruitment statuses to keep (``recruiting``, ``not_yet_recruiting`` ...); none keeps all.
        phases:
            Phases to keep (``phase2``, ``2``, ``early_phase1``, ``na``); a study is kept when any of its phases is.
        near, within_km:
            A point (latitude, longitude) and a radius in km: keep studies with a site that close. Both or neither.
        request_id:
            Recorded in the audit trail.

        Returns
        -------
        WatchView
            The saved watch.

        Raises
        ------
        RecordNotFound
            No such record, or one ``actor`` may not watch (audited as denied).
        InvalidInputError
            A bad filter, or the record already has :data:`MAX_WATCHES_PER_RECORD` watches.
        """
        from metastasis.store.records import guarded

        wanted = sorted(check_statuses(statuses))
        kept = list(check_phases(phases))
        _check_point(near, within_km)
        with guarded(self._store, actor, _action(actor), record_id, request_id, "watch_add") as (session, record):
            count = session.scalar(select(func.count()).where(TrialWatch.record_id == record.id)) or 0
            if count >= MAX_WATCHES_PER_RECORD:
                raise InvalidInputError("watches", count + 1, f"at most {MAX_WATCHES_PER_RECORD} watches per record")
            watch = TrialWatch(
                record_id=record.id,
                created_by=actor.user_id,
                created_role=actor.role.value,
                statuses=wanted,
                phases=kept,
                near_lat=float(near[0]) if near else None,
                near_lon=float(near[1]) if near else None,
                within_km=float(within_km) if within_km is not None else None,
                last_change_id=0,
                created_at=utcnow(),
            )
            session.add(watch)
            session.flush()
            rematch_record(session, record.id, record.current_version)
            return _view(watch)

    def list(self, actor: Principal, record_id: int | None = None, *, request_id: str | None = None) -> list[WatchView]:
        """The watches of one record, or of every record ``actor`` may read (``record_id=None``), oldest first."""
        from metastasis.store.records import _audit_alone, guarded

        if record_id is not None:
            with guarded(self._store, actor, Action.READ, record_id, request_id, "watch_list", writes=False) as (
                session,
                record,
            ):
                rows = session.scalars(
                    select(TrialWatch).where(TrialWatch.record_id == record.id).order_by(TrialWatch.id)
                ).all()
                return [_view(w) for w in rows]
        query = select(TrialWatch).join(Record, Record.id == TrialWatch.record_id).where(Record.erased_at.is_(None))
        if actor.role is Role.CLINICIAN:
            query = query.where(Record.owner_id == actor.user_id)
        elif actor.role is Role.PATIENT:
            query = query.where(Record.id == actor.record_id)
        with self._store.read() as session:
            views = [_view(w) for w in session.scalars(query.order_by(TrialWatch.id).limit(1_000))]
        detail = f"{len(views)} watches"
        _audit_alone(self._store, actor, "watch_list", Outcome.ALLOWED, None, request_id, detail=detail)
        return views

    def remove(self, actor: Principal, record_id: int, watch_id: int, *, request_id: str | None = None) -> None:
        """Delete a watch; the record is matched again with the watches left (with none left, its open trial alerts
        are resolved).

        A patient may remove only the watches a patient saved.

        Raises
        ------
        RecordNotFound
            No such record, or one ``actor`` may not watch.
        InvalidInputError
            No such watch on this record (or one the patient did not save).
        """
        from metastasis.store.records import guarded

        with guarded(self._store, actor, _action(actor), record_id, request_id, "watch_remove") as (session, record):
            watch = session.get(TrialWatch, watch_id) if isinstance(watch_id, int) else None
            if (
                watch is None
                or watch.record_id != record.id
                or (actor.role is Role.PATIENT and watch.created_role != Role.PATIENT.value)
            ):
                raise InvalidInputError("watch_id", watch_id, "the id of a watch on this record")
            session.delete(watch)
            session.flush()
            left = session.scalar(select(func.count()).where(TrialWatch.record_id == record.id)) or 0
            if left:
                rematch_record(session, record.id, record.current_version)
            else:
                resolve_trials(session, record.id, record.current_version)

    def run(self, actor: Principal | None = None, *, request_id: str | None = None) -> WatchRun:
        """One bounded run: each watched record (at most :data:`MAX_RECORDS_PER_RUN`) against the studies changed
        since its watches last ran (at most :data:`MAX_STUDIES_PER_RUN` each). The matching happens outside any
        writing transaction; each record's alerts are then written in one short transaction, audited.

        Returns
        -------
        WatchRun
            ``pending`` when changes or records were left for another run.
        """
        outcome = WatchRun()
        with self._store.read() as session:
            head = _head(session)
            due = session.execute(
                select(TrialWatch.record_id, func.min(TrialWatch.last_change_id))
                .join(Record, Record.id == TrialWatch.record_id)
                .where(Record.erased_at.is_(None), TrialWatch.last_change_id < head)
                .group_by(TrialWatch.record_id)
                .order_by(TrialWatch.record_id)
                .limit(MAX_RECORDS_PER_RUN)
            ).all()
        outcome.pending = len(due) == MAX_RECORDS_PER_RUN
        for record_id, cursor in due:
            with self._store.read() as session:
                changes = session.execute(
                    select(TrialChange.id, TrialChange.nct_id)
                    .where(TrialChange.id > cursor, TrialChange.id <= head)
                    .order_by(TrialChange.id)
                    .limit(MAX_STUDIES_PER_RUN)
                ).all()
                upto = changes[-1][0] if changes else head
                if upto < head:
                    outcome.pending = True
                record = session.get(Record, record_id)
                watches = session.scalars(select(TrialWatch).where(TrialWatch.record_id == record_id)).all()
                if record is None or not watches:
                    continue
                version = record.current_version
                case = _case(session, record_id, version)
                rows = study_rows(session, sorted({n for _, n in changes}))
                studies = parsed_studies(session, rows)
            hashes = {r.nct_id: r.version_hash for r in rows}
            results = judge_studies(case, studies, watches, hashes) if case is not None else {}
            with self._store.write() as session:
                current = session.scalar(select(Record.current_version).where(Record.id == record_id))
                if current != version:  # the case changed meanwhile: match the new one in the next run
                    outcome.pending = True
                    continue
                raised, resolved = apply_trials(session, record_id, version, results)
                session.execute(
                    update(TrialWatch)
                    .where(TrialWatch.record_id == record_id, TrialWatch.last_change_id < upto)
                    .values(last_change_id=upto, last_run_at=utcnow())
                    .execution_options(synchronize_session=False)
                )
                audit.write(
                    session,
                    actor,
                    "trial_watch",
                    Outcome.ALLOWED,
                    record_id=record_id,
                    version=version,
                    request_id=request_id,
                    detail=f"{len(studies)} studies matched, {raised} new trial alerts, {resolved} resolved",
                    email=None if actor else "trial-watch",
                )
            outcome.records += 1
            outcome.studies_matched += len(studies)
            outcome.alerts_raised += raised
            outcome.alerts_resolved += resolved
        return outcome

    def run_all(self, actor: Principal | None = None, *, request_id: str | None = None) -> WatchRun:
        """:meth:`run` until nothing is left (each run bounded and committed on its own); the totals."""
        total = WatchRun()
        for _ in range(MAX_ROUNDS):
            step = self.run(actor, request_id=request_id)
            total.records += step.records
            total.studies_matched += step.studies_matched
            total.alerts_raised += step.alerts_raised
            total.alerts_resolved += step.alerts_resolved
            if not step.pending:
                break
        return total
