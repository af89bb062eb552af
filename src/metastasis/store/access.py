"""The access policy: one pure function over (principal, action, record).

========== ====================================================================================
role       may
========== ====================================================================================
admin      everything, on every record: erase, export and reading the audit trail included
clinician  create records; read, update, acknowledge alerts, report, invite, export, erase on the
           records they own
registrar  read and report on every record (no writes, no invitations, no erasure, no export)
patient    read and report on the one record of the invitation they redeemed
========== ====================================================================================
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """Who the caller is. ``patient`` is never a user account: it comes from a redeemed invitation."""

    ADMIN = "admin"
    CLINICIAN = "clinician"
    REGISTRAR = "registrar"
    PATIENT = "patient"


USER_ROLES: tuple[str, ...] = (Role.CLINICIAN.value, Role.REGISTRAR.value, Role.ADMIN.value)
"""Roles a user account can have."""


class Action(StrEnum):
    """What the caller wants to do."""

    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    ACK = "ack"
    REPORT = "report"
    INVITE = "invite"
    EXPORT = "export"
    ERASE = "erase"
    AUDIT = "audit"


@dataclass(frozen=True)
class Principal:
    """The authenticated caller.

    ``user_id`` and ``email`` are ``None`` for a patient principal, whose ``record_id`` is the one record it may
    read; ``credential_id`` is the session or token it came from (for the audit trail and logout).
    """

    role: Role
    user_id: int | None = None
    email: str | None = None
    record_id: int | None = None
    credential_id: int | None = None


@dataclass(frozen=True)
class RecordRef:
    """The facts about a record that the policy needs."""

    id: int
    owner_id: int


_OWNER_ACTIONS = frozenset(
    {Action.READ, Action.UPDATE, Action.ACK, Action.REPORT, Action.INVITE, Action.EXPORT, Action.ERASE}
)
_READ_ACTIONS = frozenset({Action.READ, Action.REPORT})


def is_allowed(principal: Principal, action: Action, record: RecordRef | None) -> bool:
    """Whether ``principal`` may do ``action`` (on ``record``, for actions about one record).

    Parameters
    ----------
    principal:
        The caller.
    action:
        The action; ``CREATE`` and ``AUDIT`` take no record.
    record:
        The record acted on, or ``None``.

    Returns
    -------
    bool
        ``True`` when the policy in this module's table allows it.

    Example
    -------
    >>> is_allowed(Principal(Role.REGISTRAR, user_id=3), Action.READ, RecordRef(id=1, owner_id=2))
    True
    >>> is_allowed(Principal(Role.CLINICIAN, user_id=3), Action.READ, RecordRef(id=1, owner_id=2))
    False
    """
    if action in (Action.CREATE, Action.AUDIT):
        return principal.role is Role.ADMIN or (action is Action.CREATE and principal.role is Role.CLINICIAN)
    if record is None:
        return False
    if principal.role is Role.ADMIN:
        return True
    if principal.role is Role.CLINICIAN:
        return action in _OWNER_ACTIONS and principal.user_id is not None and record.owner_id == principal.user_id
    if principal.role is Role.REGISTRAR:
        return action in _READ_ACTIONS
    if principal.role is Role.PATIENT:
        return action in _READ_ACTIONS and principal.record_id is not None and record.id == principal.record_id
    return False
