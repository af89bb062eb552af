"""User accounts: argon2 password hashes, log-in with lock-out after repeated failures, disabling."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from pydantic import BaseModel
from sqlalchemy import select

from metastasis.errors import InvalidInputError
from metastasis.store import audit
from metastasis.store._time import utcnow
from metastasis.store.access import USER_ROLES, Principal, Role
from metastasis.store.audit import Outcome
from metastasis.store.errors import AuthenticationError
from metastasis.store.models import User

if TYPE_CHECKING:
    from metastasis.store.core import Store

MIN_PASSWORD = 12
MAX_PASSWORD = 1024
FREE_FAILURES = 5
"""Failed log-ins allowed before the account locks."""
FIRST_LOCK = dt.timedelta(minutes=1)
MAX_LOCK = dt.timedelta(hours=24)
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{1,63}$")

_hasher = PasswordHasher()
_DUMMY_HASH = _hasher.hash("a password nobody has, checked for unknown emails")


class UserView(BaseModel):
    """An account as shown (never its hash)."""

    id: int
    email: str
    role: str
    active: bool
    created_at: dt.datetime
    locked_until: dt.datetime | None


def normalise_email(email: str) -> str:
    """The email trimmed and lower-cased; :class:`InvalidInputError` unless it looks like an address.

    Example
    -------
    >>> normalise_email("  Dr.Who@Example.ORG ")
    'dr.who@example.org'
    """
    value = email.strip().lower() if isinstance(email, str) else email
    if not isinstance(value, str) or not _EMAIL.match(value):
        raise InvalidInputError("email", email, "an email address such as name@example.org")
    return value


def lock_time(failures: int) -> dt.timedelta:
    """How long an account stays locked after ``failures`` failed log-ins in a row: nothing up to
    :data:`FREE_FAILURES`, then 1 minute doubling with each further failure, at most 24 hours."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(FIRST_LOCK * 2 ** min(failures - FREE_FAILURES, 20), MAX_LOCK)


def _check_password(password: str) -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInputError("password", "(hidden)", f"a password of {MIN_PASSWORD} to {MAX_PASSWORD} characters")
    return password


def _view(user: User) -> UserView:
    return UserView.model_validate(user, from_attributes=True)


class AccountService:
    """Adding, listing, disabling users and checking passwords. Admin checks are the caller's (the CLI runs as the
    machine's operator)."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def add_user(self, email: str, role: str, password: str, *, actor: Principal | None = None) -> UserView:
        """Create an account.

        Parameters
        ----------
        email:
            Normalised (trimmed, lower case); must be new.
        role:
            ``clinician``, ``registrar`` or ``admin``.
        password:
            At least :data:`MIN_PASSWORD` characters; stored as an argon2id hash only.
        actor:
            Who adds the account, for the audit trail (``None``: the machine's operator).

        Returns
        -------
        UserView
            The new account.
        """
        address = normalise_email(email)
        if role not in USER_ROLES:
            raise InvalidInputError("role", role, USER_ROLES)
        hashed = _hasher.hash(_check_password(password))
        with self._store.write() as session:
            if session.scalar(select(User.id).where(User.email == address)) is not None:
                raise InvalidInputError("email", address, "an email that has no account yet")
            user = User(
                email=address, role=role, password_hash=hashed, failed_logins=0, active=True, created_at=utcnow()
            )
            session.add(user)
            session.flush()
            audit.write(session, actor, "user_add", Outcome.ALLOWED, detail=f"{address} as {role}")
            return _view(user)

    def list_users(self) -> list[UserView]:
        """Every account, by email."""
        with self._store.read() as session:
            return [_view(u) for u in session.scalars(select(User).order_by(User.email))]

    def set_active(self, email: str, active: bool, *, actor: Principal | None = None) -> UserView:
        """Disable (or re-enable) an account; a disabled account cannot log in and its tokens stop working."""
        address = normalise_email(email)
        with self._store.write() as session:
            user = session.scalar(select(User).where(User.email == address))
            if user is None:
                raise InvalidInputError("email", address, "the email of an existing account")
            user.active = active
            if active:
                user.failed_logins, user.locked_until = 0, None
            audit.write(session, actor, "user_enable" if active else "user_disable", Outcome.ALLOWED, detail=address)
            return _view(user)

    def set_password(self, email: str, password: str, *, actor: Principal | None = None) -> None:
        """Replace an account's password."""
        address = normalise_email(email)
        hashed = _hasher.hash(_check_password(password))
        with self._store.write() as session:
            user = session.scalar(select(User).where(User.email == address))
            if user is None:
                raise InvalidInputError("email", address, "the email of an existing account")
            user.password_hash = hashed
            audit.write(session, actor, "password_set", Outcome.ALLOWED, detail=address)

    def authenticate(self, email: str, password: str, *, request_id: str | None = None) -> Principal:
        """The principal for a correct email and password.

        Unknown emails cost the same hash check as known ones. After :data:`FREE_FAILURES` failures in a row the
        account is locked for :func:`lock_time`; while locked even the right password is refused.

        Raises
        ------
        AuthenticationError
            Wrong email or password, locked or disabled account (the message does not say which).
        """
        address = email.strip().lower() if isinstance(email, str) else ""
        given = password if isinstance(password, str) and len(password) <= MAX_PASSWORD else ""
        now = utcnow()
        with self._store.write() as session:
            user = session.scalar(select(User).where(User.email == address)) if address else None
            stored = user.password_hash if user is not None else _DUMMY_HASH
            try:
                ok = _hasher.verify(stored, given)
            except (VerificationError, InvalidHashError):
                ok = False
            refused = user is None or not ok or not user.active or (user.locked_until or now) > now
            if user is not None and not refused:
                user.failed_logins, user.locked_until = 0, None
                if _hasher.check_needs_rehash(user.password_hash):
                    user.password_hash = _hasher.hash(given)
                principal = Principal(role=Role(user.role), user_id=user.id, email=user.email)
                audit.write(session, principal, "login", Outcome.ALLOWED, request_id=request_id)
                return principal
            if user is not None and not ok:
                user.failed_logins += 1
                wait = lock_time(user.failed_logins)
                if wait:
                    user.locked_until = now + wait
            audit.write(
                session,
                None,
                "login",
                Outcome.DENIED,
                request_id=request_id,
                email=address[:254] or None,
                detail="unknown email" if user is None else None,
            )
        raise AuthenticationError()
