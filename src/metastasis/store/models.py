"""The tables of the case store (SQLAlchemy 2 typed ORM). The migrations in ``migrations/`` create the same.

No names or identifiers of patients are stored beyond what the case file itself holds. The trial tables
(``trial_studies``, ``trial_changes``) hold public ClinicalTrials.gov records; ``trial_watches`` belongs to a record.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, MetaData, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from metastasis.store._time import UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON,
        list[str]: JSON,
    }


class User(Base):
    """A person who logs in: clinician, registrar or admin (patients come in through invitations)."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime]


class Credential(Base):
    """A hashed opaque token: a web session, an access token, an API token or an invitation."""

    __tablename__ = "credentials"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    name: Mapped[str | None] = mapped_column(String(100))
    csrf_secret: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    last_used_at: Mapped[dt.datetime | None]
    expires_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    used_at: Mapped[dt.datetime | None]


class Record(Base):
    """A patient record: who owns it and which version of its case is current. Erasure leaves a tombstone."""

    __tablename__ = "records"
    __table_args__ = (Index("ix_records_owner_updated", "owner_id", "updated_at"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    current_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]
    erased_at: Mapped[dt.datetime | None]


class CaseVersion(Base):
    """One immutable version of a record's case file."""

    __tablename__ = "case_versions"
    __table_args__ = (UniqueConstraint("record_id", "version", name="uq_case_versions_record_version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    case: Mapped[dict[str, Any]]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]
    reason: Mapped[str] = mapped_column(String(200))


class Event(Base):
    """One event appended to a record (a lab result, a symptom...), and the version it created."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_record_version", "record_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    version: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime]


class StoredAlert(Base):
    """An alert of a record with its state: new, acknowledged or resolved.

    ``kind`` is ``timeline`` for the alerts of the whole-case assessment (recomputed on every version) and
    ``trial`` for "new trial match" alerts raised by trial watches (never resolved by the timeline recomputation).
    """

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("record_id", "alert_id", name="uq_alerts_record_alert"),
        Index("ix_alerts_record_state", "record_id", "state"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"))
    alert_id: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), default="timeline", server_default="timeline")
    condition: Mapped[str | None] = mapped_column(String(100))
    severity: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    first_version: Mapped[int] = mapped_column(Integer)
    last_version: Mapped[int] = mapped_column(Integer)
    acknowledged_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    acknowledged_at: Mapped[dt.datetime | None]
    resolved_at: Mapped[dt.datetime | None]


class TrialStudy(Base):
    """One ClinicalTrials.gov API v2 study record as the API sent it, in its newest imported version."""

    __tablename__ = "trial_studies"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nct_id: Mapped[str] = mapped_column(String(11), unique=True)
    record: Mapped[dict[str, Any]]
    version: Mapped[str | None] = mapped_column(String(32))
    version_hash: Mapped[str] = mapped_column(String(64))
    overall_status: Mapped[str | None] = mapped_column(String(40))
    phases: Mapped[list[str]]
    imported_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class TrialChange(Base):
    """One study added or replaced by an import (append-only); its id is the cursor watches advance along."""

    __tablename__ = "trial_changes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    nct_id: Mapped[str] = mapped_column(String(11), index=True)
    old_version: Mapped[str | None] = mapped_column(String(32))
    new_version: Mapped[str | None] = mapped_column(String(32))
    old_hash: Mapped[str | None] = mapped_column(String(64))
    new_hash: Mapped[str] = mapped_column(String(64))
    at: Mapped[dt.datetime]


class TrialWatch(Base):
    """A saved watch on a record: re-match its case when studies change, within these filters."""

    __tablename__ = "trial_watches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_role: Mapped[str] = mapped_column(String(16))
    statuses: Mapped[list[str]]
    phases: Mapped[list[str]]
    near_lat: Mapped[float | None] = mapped_column(Float)
    near_lon: Mapped[float | None] = mapped_column(Float)
    within_km: Mapped[float | None] = mapped_column(Float)
    last_change_id: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[dt.datetime]
    last_run_at: Mapped[dt.datetime | None]


class AuditEntry(Base):
    """One audited access (append-only). No foreign keys: the trail outlives users and erased records."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_record_at", "record_id", "at"), Index("ix_audit_email_at", "email", "at"))
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    email: Mapped[str | None] = mapped_column(String(254))
    action: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[int | None] = mapped_column(Integer)
    version: Mapped[int | None] = mapped_column(Integer)
    request_id: Mapped[str | None] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    detail: Mapped[str | None] = mapped_column(Text)
