"""Trials in the case store: ClinicalTrials.gov API v2 records and their change log, with the interface of the
file :class:`~metastasis.trials.store.TrialStore` (``add``, ``studies``, ``get``).

Each study is kept once (``nct_id`` unique) as the API sent it, with its last-update date, a SHA-256 of its
canonical JSON (the version hash), its recruitment status and phases. Importing a copy with a later last-update
date (or the same date and other content) replaces it and appends a row to ``trial_changes``; an identical copy
changes nothing; an older one is skipped. Criteria are split and recognised once per study version and kept in
this process (keyed by NCT id and version hash), so reading the store again parses only what changed.

Trial records are public data: reading them needs no principal. An import is audited (who, how many), and then
re-matches the watched records against the changed studies (:meth:`metastasis.store.watches.WatchService.run`).

Example
-------
>>> from metastasis.store import Store
>>> from metastasis.trials import parse_study
>>> store = Store("sqlite://")
>>> store.upgrade()
>>> study = parse_study({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}})
>>> store.trials.add([study]).added, store.trials.add([study]).unchanged
(['NCT00000001'], ['NCT00000001'])
>>> [p.study.nct_id for p in store.trials.studies()]
['NCT00000001']
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from metastasis.store import audit
from metastasis.store._time import utcnow
from metastasis.store.access import Principal
from metastasis.store.audit import Outcome
from metastasis.store.models import TrialChange, TrialStudy
from metastasis.trials.engine import ParsedStudy, parse
from metastasis.trials.models import NCT_ID, Study, parse_study
from metastasis.trials.store import ImportResult

if TYPE_CHECKING:
    from metastasis.store.core import Store

CHUNK = 500
"""Studies per writing transaction of an import, and per ``IN (...)`` query (keeps each lock short)."""
MAX_PARSED = 50_000
"""Parsed studies kept in this process; the cache is emptied when it would grow past this."""
MAX_CHANGES_PAGE = 1_000
IMPORT_RETRIES = 3

_PARSED: dict[tuple[str, str], ParsedStudy] = {}


def version_hash(study: Study) -> str:
    """SHA-256 of the record's canonical JSON (sorted keys): equal for identical copies.

    Example
    -------
    >>> from metastasis.trials import parse_study
    >>> len(version_hash(parse_study({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}})))
    64
    """
    return record_hash(study.to_record())


def record_hash(record: dict) -> str:
    """SHA-256 of a record's canonical JSON (sorted keys, no spaces)."""
    text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StudyRow(BaseModel):
    """What the store knows of a study without reading its record."""

    nct_id: str
    version: str | None
    version_hash: str
    overall_status: str | None
    phases: list[str]


class TrialChangeView(BaseModel):
    """One entry of the change log."""

    id: int
    nct_id: str
    old_version: str | None
    new_version: str | None
    at: dt.datetime


def study_rows(session: Session, nct_ids: Sequence[str] | None = None) -> list[StudyRow]:
    """The stored studies' keys (all, or those named), by NCT id."""
    query = select(
        TrialStudy.nct_id, TrialStudy.version, TrialStudy.version_hash, TrialStudy.overall_status, TrialStudy.phases
    )
    found: list[StudyRow] = []
    chunks = [None] if nct_ids is None else [list(nct_ids[i : i + CHUNK]) for i in range(0, len(nct_ids), CHUNK)]
    for chunk in chunks:
        part = query if chunk is None else query.where(TrialStudy.nct_id.in_(chunk))
        found.extend(
            StudyRow(nct_id=n, version=v, version_hash=h, overall_status=s, phases=list(p or ()))
            for n, v, h, s, p in session.execute(part)
        )
    return sorted(found, key=lambda r: r.nct_id)


def parsed_studies(session: Session, rows: Sequence[StudyRow]) -> list[ParsedStudy]:
    """The parsed studies of ``rows``: from this process's cache, else read and parsed once.

    Parameters
    ----------
    session:
        An open session of the store.
    rows:
        Keys from :func:`study_rows` (their version hash picks the cached parse).

    Returns
    -------
    list[ParsedStudy]
        In the order of ``rows``; a study replaced since ``rows`` were read comes back in its newer version.
    """
    missing = [r.nct_id for r in rows if (r.nct_id, r.version_hash) not in _PARSED]
    fresh: dict[str, ParsedStudy] = {}
    for start in range(0, len(missing), CHUNK):
        chunk = missing[start : start + CHUNK]
        for nct_id, vhash, record in session.execute(
            select(TrialStudy.nct_id, TrialStudy.version_hash, TrialStudy.record).where(TrialStudy.nct_id.in_(chunk))
        ):
            study = parse_study(record, where=f"stored study {nct_id}")
            parsed = parse(study)
            if parsed.study is not study:
                # the engine's parse cache is keyed by what parsing reads (criteria, ages, conditions...), not by
                # status, phases or sites: keep the parse, but with this version's record
                parsed = dataclasses.replace(parsed, study=study)
            if len(_PARSED) >= MAX_PARSED:
                _PARSED.clear()
            _PARSED[(nct_id, vhash)] = fresh[nct_id] = parsed
    found = []
    for row in rows:
        parsed = _PARSED.get((row.nct_id, row.version_hash)) or fresh.get(row.nct_id)
        if parsed is not None:
            found.append(parsed)
    return found


def _decide(study: Study, new_hash: str, old: TrialStudy | None) -> str:
    """``added``, ``updated``, ``unchanged`` or ``older`` (the rule of the file store)."""
    if old is None:
        return "added"
    if new_hash == old.version_hash:
        return "unchanged"
    new, stored = study.version or "", old.version or ""
    if new < stored:
        return "older"
    return "updated"


class TrialService:
    """The trials of the case store (``store.trials``): import with a change log, read parsed, one study."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def location(self) -> str:
        """Where the studies are kept, for messages (the database URL without its password)."""
        return self._store.engine.url.render_as_string(hide_password=True)

    @property
    def state_path(self) -> Path:
        """The file that keeps ``trials update``'s next page token (in the user data folder, one per database)."""
        import platformdirs

        digest = hashlib.sha256(self.location.encode()).hexdigest()[:12]
        folder = Path(platformdirs.user_data_dir("metastasis"))
        folder.mkdir(parents=True, exist_ok=True)
        return folder / f"trials-db-{digest}.update-state.json"

    def add(
        self,
        studies: Iterable[Study],
        *,
        actor: Principal | None = None,
        rematch: bool = True,
        request_id: str | None = None,
    ) -> ImportResult:
        """Add or replace studies, log each change, then re-match the watched records against what changed.

        Parameters
        ----------
        studies:
            Parsed API v2 records (:func:`metastasis.trials.read_studies`). Of two copies of one study in the
            same call, the later is compared with the earlier, as if imported one after the other.
        actor:
            Who imports, for the audit trail (``None``: the machine's operator).
        rematch:
            Run the watches over the changed studies afterwards (:meth:`WatchService.run_all`).
        request_id:
            Recorded in the audit trail.

        Returns
        -------
        ImportResult
            NCT ids added, updated, unchanged and skipped as older; with ``rematch``, the watched records
            re-matched and the trial alerts raised.
        """
        result = ImportResult()
        pending = list(studies)
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            for attempt in range(IMPORT_RETRIES):
                try:
                    part = self._add_chunk(chunk)
                    break
                except IntegrityError:
                    # another import added one of these studies first (PostgreSQL, READ COMMITTED): read again
                    if attempt == IMPORT_RETRIES - 1:
                        raise
            for name in ("added", "updated", "unchanged", "older"):
                getattr(result, name).extend(getattr(part, name))
        with self._store.write() as session:
            audit.write(
                session,
                actor,
                "trials_import",
                Outcome.ALLOWED,
                request_id=request_id,
                detail=result.summary(),
                email=None if actor else "cli-operator",
            )
        if rematch and (result.added or result.updated):
            run = self._store.watches.run_all(actor, request_id=request_id)
            result.rematched_records, result.new_alerts = run.records, run.alerts_raised
        return result

    def _add_chunk(self, chunk: list[Study]) -> ImportResult:
        result = ImportResult()
        now = utcnow()
        with self._store.write() as session:
            ids = sorted({s.nct_id for s in chunk})
            # FOR UPDATE (PostgreSQL): a concurrent import of the same studies waits instead of overwriting
            query = select(TrialStudy).where(TrialStudy.nct_id.in_(ids)).with_for_update()
            stored = {r.nct_id: r for r in session.scalars(query)}
            for study in chunk:
                record = study.to_record()
                new_hash = record_hash(record)
                old = stored.get(study.nct_id)
                decision = _decide(study, new_hash, old)
                getattr(result, decision).append(study.nct_id)
                if decision in ("unchanged", "older"):
                    continue
                session.add(
                    TrialChange(
                        nct_id=study.nct_id,
                        old_version=old.version if old else None,
                        new_version=study.version,
                        old_hash=old.version_hash if old else None,
                        new_hash=new_hash,
                        at=now,
                    )
                )
                if old is None:
                    old = stored[study.nct_id] = TrialStudy(nct_id=study.nct_id, imported_at=now)
                    session.add(old)
                old.record = record
                old.version = study.version[:32] if study.version else None
                old.version_hash = new_hash
                old.overall_status = study.overall_status[:40] if study.overall_status else None
                old.phases = [str(p) for p in study.phases]
                old.updated_at = now
        return result

    def studies(self) -> tuple[ParsedStudy, ...]:
        """Every stored study, parsed (criteria split and recognised once per study version), by NCT id."""
        with self._store.read() as session:
            return tuple(parsed_studies(session, study_rows(session)))

    def get(self, nct_id: str) -> Study | None:
        """The stored study with this NCT id (any case), or ``None``."""
        key = nct_id.strip().upper() if isinstance(nct_id, str) else ""
        if not NCT_ID.match(key):
            return None
        with self._store.read() as session:
            rows = study_rows(session, [key])
            found = parsed_studies(session, rows)
        return found[0].study if found else None

    def count(self) -> int:
        """How many studies are stored."""
        with self._store.read() as session:
            return session.scalar(select(func.count()).select_from(TrialStudy)) or 0

    def changes(self, *, after: int = 0, limit: int = 100) -> list[TrialChangeView]:
        """The change log after entry ``after``, oldest first (at most ``limit``, up to 1,000)."""
        from metastasis.errors import InvalidInputError

        if not 1 <= limit <= MAX_CHANGES_PAGE:
            raise InvalidInputError("limit", limit, f"a whole number from 1 to {MAX_CHANGES_PAGE}")
        with self._store.read() as session:
            rows = session.scalars(
                select(TrialChange).where(TrialChange.id > after).order_by(TrialChange.id).limit(limit)
            ).all()
            return [TrialChangeView.model_validate(r, from_attributes=True) for r in rows]
