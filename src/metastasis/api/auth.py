"""Who is calling: the bearer-token dependency of the case-store routes.

A request to a route that reads or writes patient data must carry ``Authorization: Bearer <token>``: an access
token from ``POST /api/v1/auth/token`` (15 minutes), an API token from ``POST /api/v1/auth/api-tokens`` (named,
revocable), or a patient token from ``POST /api/v1/auth/invitation`` (a redeemed invitation: read-only, one record,
2 hours). Without one, or with one that is unknown, expired, revoked or whose account is disabled, the answer is
**401** with ``WWW-Authenticate: Bearer`` and one generic message.

A request without a token is refused before the store is opened, so the stateless calculators and an
unauthenticated caller never touch the database; a token that is refused is recorded in the audit trail
(action ``authenticate``, outcome ``denied``; the token itself is never stored).

Example
-------
>>> from fastapi import Depends
>>> async def whoami(me: Principal = Depends(current_principal)) -> str:  # in a route
...     return me.role.value
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from starlette.concurrency import run_in_threadpool

from metastasis.api.deps import get_store, request_id
from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.api.store_audit import audit_event
from metastasis.store import AuthenticationError, Principal, Role, Store

TOKEN_URL = "/api/v1/auth/token"
#: The longest token accepted for a look-up (the store's tokens are 43 characters).
MAX_TOKEN_CHARS = 256
#: What a 401 asks for (RFC 6750).
CHALLENGE = 'Bearer realm="metastasis"'
BAD_TOKEN = 'Bearer realm="metastasis", error="invalid_token"'
NOT_ACCEPTED = "the email, password or token was not accepted"

#: The OpenAPI security scheme (OAuth2 password flow) and the token reader; missing tokens are answered here.
bearer_scheme = OAuth2PasswordBearer(
    tokenUrl=TOKEN_URL,
    auto_error=False,
    scheme_name="bearer",
    description="An access token (`POST /api/v1/auth/token`), an API token or a patient token.",
)

#: The 401 answer, documented on every route behind :func:`current_principal`.
UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorBody,
        "description": "No bearer token, or one that is unknown, expired or revoked.",
        "headers": {"WWW-Authenticate": {"description": "`Bearer`", "schema": {"type": "string"}}},
    }
}


class Unauthorized(ApiError):
    """401 with ``WWW-Authenticate: Bearer`` and one generic message (it never says why, so it cannot be used to
    probe accounts or tokens)."""

    def __init__(self, *, given: bool, message: str = NOT_ACCEPTED) -> None:
        allowed = "Authorization: Bearer <token> (POST /api/v1/auth/token gives one)"
        text = message if given else "this needs a bearer token"
        super().__init__(401, [ErrorItem(field="Authorization", allowed=allowed, message=text)])
        self.headers = {"WWW-Authenticate": BAD_TOKEN if given else CHALLENGE}


def principal_of_token(store: Store, token: str, *, request_id: str | None = None) -> Principal:
    """The caller behind a bearer token: an access or API token's user, or a redeemed invitation's patient.

    Parameters
    ----------
    store:
        The application's store.
    token:
        The token as sent.
    request_id:
        Recorded with a refusal in the audit trail.

    Returns
    -------
    Principal
        The caller.

    Raises
    ------
    Unauthorized
        For any token that is not accepted (audited as a denied ``authenticate``).
    """
    if len(token) <= MAX_TOKEN_CHARS:
        try:
            return store.tokens.bearer(token)
        except AuthenticationError:
            pass
        try:  # a patient's token is the session a redeemed invitation opened: read-only, one record
            principal = store.tokens.session(token).principal()
        except AuthenticationError:
            principal = None
        if principal is not None and principal.role is Role.PATIENT:
            return principal
    audit_event(store, None, "authenticate", allowed=False, request_id=request_id, detail="bearer token refused")
    raise Unauthorized(given=True)


async def current_principal(request: Request, token: Annotated[str | None, Depends(bearer_scheme)] = None) -> Principal:
    """FastAPI dependency: the authenticated caller, or 401 (see the module docstring)."""
    if not token:
        raise Unauthorized(given=False)
    store = get_store(request)
    return await run_in_threadpool(principal_of_token, store, token, request_id=request_id(request))


def bearer_token(request: Request) -> str | None:
    """The bearer token of a request, if it carries one (for revoking the caller's own token)."""
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


#: A route parameter giving the caller: ``me: CurrentPrincipal``.
CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
