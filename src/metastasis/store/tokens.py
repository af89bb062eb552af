"""Opaque tokens: web sessions, short-lived access tokens, named API tokens and patient invitations.

A token is ``secrets.token_urlsafe(32)``; only its SHA-256 is stored. A token stops working when it expires, is
revoked, or its user is disabled; an invitation works once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import TYPE_CHECKING

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from metastasis.errors import InvalidInputError
from metastasis.store import audit
from metastasis.store._time import utcnow
from metastasis.store.access import Action, Principal, Role
from metastasis.store.audit import Outcome
from metastasis.store.errors import AuthenticationError
from metastasis.store.models import Credential, Record, User

if TYPE_CHECKING:
    from metastasis.store.core import Store

SESSION_IDLE = dt.timedelta(minutes=30)
SESSION_ABSOLUTE = dt.timedelta(hours=12)
ACCESS_LIFETIME = dt.timedelta(minutes=15)
API_LIFETIME = dt.timedelta(days=365)
INVITATION_LIFETIME = dt.timedelta(days=7)
PATIENT_SESSION = dt.timedelta(hours=2)
TOUCH_EVERY = dt.timedelta(seconds=60)
"""A session's last use is written at most this often (reads need not all write)."""

KINDS = ("session", "access", "api", "invitation")


def token_hash(token: str) -> str:
    """SHA-256 hex of a token (what the store keeps)."""
    return hashlib.sha256(token.encode("utf-8", "backslashreplace")).hexdigest()


class IssuedSession(BaseModel):
    """A new web session: the cookie value, its CSRF secret and when it ends at the latest."""

    token: str
    csrf_secret: str
    expires_at: dt.datetime


class IssuedToken(BaseModel):
    """A new access token, API token or invitation (the token is shown once and never stored)."""

    id: int
    token: str
    expires_at: dt.datetime


class SessionInfo(BaseModel):
    """The caller behind a session cookie."""

    principal_role: str
    user_id: int | None
    email: str | None
    record_id: int | None
    credential_id: int
    csrf_secret: str

    def principal(self) -> Principal:
        return Principal(
            role=Role(self.principal_role),
            user_id=self.user_id,
            email=self.email,
            record_id=self.record_id,
            credential_id=self.credential_id,
        )


class TokenView(BaseModel):
    """An API token or invitation as listed (without the token)."""

    id: int
    kind: str
    name: str | None
    record_id: int | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    used_at: dt.datetime | None


class TokenService:
    """Issuing, checking and revoking tokens."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def _issue(
        self,
        kind: str,
        lifetime: dt.timedelta,
        *,
        user_id: int | None = None,
        record_id: int | None = None,
        name: str | None = None,
        csrf: str | None = None,
    ) -> tuple[int, str, dt.datetime]:
        token = secrets.token_urlsafe(32)
        now = utcnow()
        with self._store.write() as session:
            row = Credential(
                kind=kind,
                token_hash=token_hash(token),
                user_id=user_id,
                record_id=record_id,
                name=name,
                csrf_secret=csrf,
                created_at=now,
                last_used_at=now,
                expires_at=now + lifetime,
            )
            session.add(row)
            session.flush()
            return row.id, token, row.expires_at

    def create_session(self, principal: Principal) -> IssuedSession:
        """A new web session for a logged-in user (a fresh token each log-in: no session fixation)."""
        if principal.user_id is None:
            raise InvalidInputError("principal", principal.role.value, "a logged-in user")
        csrf = secrets.token_urlsafe(32)
        _, token, expires = self._issue("session", SESSION_ABSOLUTE, user_id=principal.user_id, csrf=csrf)
        return IssuedSession(token=token, csrf_secret=csrf, expires_at=expires)

    def session(self, token: str) -> SessionInfo:
        """The caller behind a session cookie; :class:`AuthenticationError` when it is unknown, revoked, idle for
        longer than :data:`SESSION_IDLE`, past :data:`SESSION_ABSOLUTE`, or its user is disabled."""
        now = utcnow()
        with self._store.write() as session:
            row = session.scalar(select(Credential).where(Credential.token_hash == token_hash(token)))
            if row is None or row.kind != "session" or row.revoked_at is not None or row.expires_at <= now:
                raise AuthenticationError()
            if row.last_used_at is not None and now - row.last_used_at > SESSION_IDLE:
                raise AuthenticationError()
            role, email = Role.PATIENT, None
            if row.user_id is not None:
                user = session.get(User, row.user_id)
                if user is None or not user.active:
                    raise AuthenticationError()
                role, email = Role(user.role), user.email
            if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
                row.last_used_at = now
            return SessionInfo(
                principal_role=role.value,
                user_id=row.user_id,
                email=email,
                record_id=row.record_id,
                credential_id=row.id,
                csrf_secret=row.csrf_secret or "",
            )

    def revoke(self, token: str) -> None:
        """Revoke a token of any kind by its value (log-out); unknown tokens are ignored."""
        with self._store.write() as session:
            session.execute(
                update(Credential)
                .where(Credential.token_hash == token_hash(token), Credential.revoked_at.is_(None))
                .values(revoked_at=utcnow())
            )

    def create_access_token(self, principal: Principal) -> IssuedToken:
        """A bearer token for :data:`ACCESS_LIFETIME` (the OAuth2 password flow)."""
        if principal.user_id is None:
            raise InvalidInputError("principal", principal.role.value, "a logged-in user")
        cid, token, expires = self._issue("access", ACCESS_LIFETIME, user_id=principal.user_id)
        return IssuedToken(id=cid, token=token, expires_at=expires)

    def create_api_token(
        self, principal: Principal, name: str, *, lifetime: dt.timedelta = API_LIFETIME
    ) -> IssuedToken:
        """A named, long-lived, revocable bearer token for an integration, acting as ``principal``'s user."""
        if principal.user_id is None:
            raise InvalidInputError("principal", principal.role.value, "a logged-in user")
        if not isinstance(name, str) or not 1 <= len(name.strip()) <= 100:
            raise InvalidInputError("name", name, "a name of 1 to 100 characters")
        cid, token, expires = self._issue("api", lifetime, user_id=principal.user_id, name=name.strip())
        return IssuedToken(id=cid, token=token, expires_at=expires)

    def bearer(self, token: str) -> Principal:
        """The caller behind a bearer token (an access or API token); :class:`AuthenticationError` otherwise."""
        now = utcnow()
        with self._store.read() as session:
            found = session.execute(
                select(Credential, User)
                .join(User, User.id == Credential.user_id)
                .where(Credential.token_hash == token_hash(token))
            ).first()
            if found is None:
                raise AuthenticationError()
            row, user = found
            if row.kind not in ("access", "api") or row.revoked_at is not None or row.expires_at <= now:
                raise AuthenticationError()
            if not user.active:
                raise AuthenticationError()
            return Principal(role=Role(user.role), user_id=user.id, email=user.email, credential_id=row.id)

    def list_tokens(self, principal: Principal) -> list[TokenView]:
        """The API tokens and invitations ``principal`` created (invitations: of records they own)."""
        with self._store.read() as session:
            rows = session.scalars(
                select(Credential)
                .where(Credential.user_id == principal.user_id, Credential.kind.in_(("api", "invitation")))
                .order_by(Credential.id)
            )
            return [TokenView.model_validate(r, from_attributes=True) for r in rows]

    def revoke_id(self, principal: Principal, credential_id: int) -> None:
        """Revoke one of ``principal``'s API tokens or invitations by id (an admin may revoke any)."""
        with self._store.write() as session:
            row = session.get(Credential, credential_id)
            if row is None or (principal.role is not Role.ADMIN and row.user_id != principal.user_id):
                raise InvalidInputError("token", credential_id, "the id of one of your tokens")
            if row.revoked_at is None:
                row.revoked_at = utcnow()

    def invite(
        self,
        actor: Principal,
        record_id: int,
        *,
        lifetime: dt.timedelta = INVITATION_LIFETIME,
        request_id: str | None = None,
    ) -> IssuedToken:
        """An invitation for a patient or family member to read one record (single use, expiring, revocable).

        Raises
        ------
        RecordNotFound
            No such record, or ``actor`` may not invite to it.
        """
        from metastasis.store.records import guarded

        token = secrets.token_urlsafe(32)
        now = utcnow()
        with guarded(self._store, actor, Action.INVITE, record_id, request_id) as (session, record):
            row = Credential(
                kind="invitation",
                token_hash=token_hash(token),
                user_id=actor.user_id,
                record_id=record.id,
                created_at=now,
                expires_at=now + lifetime,
            )
            session.add(row)
            session.flush()
            issued = IssuedToken(id=row.id, token=token, expires_at=row.expires_at)
        return issued

    def redeem(self, token: str, *, request_id: str | None = None) -> IssuedSession:
        """Use an invitation once: a read-only patient session bound to its record.

        Raises
        ------
        AuthenticationError
            Unknown, expired, revoked or already used invitation, or an erased record.
        """
        now = utcnow()
        with self._store.write() as session:
            claimed = session.execute(
                update(Credential)
                .where(
                    Credential.token_hash == token_hash(token),
                    Credential.kind == "invitation",
                    Credential.used_at.is_(None),
                    Credential.revoked_at.is_(None),
                    Credential.expires_at > now,
                )
                .values(used_at=now)
                .returning(Credential.id, Credential.record_id)
            ).first()
            record = session.get(Record, claimed.record_id) if claimed and claimed.record_id is not None else None
            if claimed is None or record is None or record.erased_at is not None:
                # the denial is committed with the audit row, then refused below
                audit.write(session, None, "redeem", Outcome.DENIED, request_id=request_id)
                issued = None
            else:
                issued = self._patient_session(session, record.id, claimed.id, now, request_id)
        if issued is None:
            raise AuthenticationError()
        return issued

    def _patient_session(
        self, session: Session, record_id: int, invitation_id: int, now: dt.datetime, request_id: str | None
    ) -> IssuedSession:
        csrf = secrets.token_urlsafe(32)
        patient = secrets.token_urlsafe(32)
        session.add(
            Credential(
                kind="session",
                token_hash=token_hash(patient),
                record_id=record_id,
                name=f"invitation {invitation_id}",
                csrf_secret=csrf,
                created_at=now,
                last_used_at=now,
                expires_at=now + PATIENT_SESSION,
            )
        )
        audit.write(
            session,
            None,
            "redeem",
            Outcome.ALLOWED,
            record_id=record_id,
            request_id=request_id,
            detail=f"invitation {invitation_id}",
        )
        return IssuedSession(token=patient, csrf_secret=csrf, expires_at=now + PATIENT_SESSION)
