"""Audit rows the API writes itself: for what the store's services do not audit (a refused bearer token, API tokens
created or revoked, invitations revoked, signing out). Each row is one short transaction; no patient data, no token.
"""

from __future__ import annotations

from metastasis.store import Principal, Store
from metastasis.store import audit as store_audit
from metastasis.store.audit import Outcome


def audit_event(
    store: Store,
    actor: Principal | None,
    action: str,
    *,
    allowed: bool = True,
    record_id: int | None = None,
    request_id: str | None = None,
    detail: str | None = None,
) -> None:
    """Write one audit row.

    Parameters
    ----------
    store:
        The application's store.
    actor:
        Who acted (``None``: not known, e.g. a refused token).
    action:
        What they did (``authenticate``, ``api_token_create``, ``api_token_revoke``, ``invitation_revoke``,
        ``logout``).
    allowed:
        The outcome: ``allowed`` or ``denied``.
    record_id, request_id, detail:
        The record concerned, the request's id, and a detail without patient data (an id, never a token).
    """
    outcome = Outcome.ALLOWED if allowed else Outcome.DENIED
    with store.write() as session:
        store_audit.write(session, actor, action, outcome, record_id=record_id, request_id=request_id, detail=detail)
