"""Who is signed in: the session cookie, read once per request, and the dependencies pages use.

The cookie ``metastasis_session`` holds the store's opaque session token (``store.tokens.create_session``); it is
HttpOnly, SameSite=Lax, Path=/, and Secure when the request came over HTTPS. A page that needs a caller raises a
303 to ``/login?next=<this path>`` when there is none. No cookie, no store: a visitor without one never opens the
database (the calculators stay free of it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from metastasis.store import AuthenticationError, Principal, Role

COOKIE = "metastasis_session"
#: Longest cookie value read (a token is 43 characters); a longer one is not looked up.
MAX_TOKEN = 200
#: Where a signed-in user goes when ``next`` is absent or not a local path.
HOME = "/records"
MAX_NEXT = 500
_LOCAL_PATH = re.compile(r"^/(?![/\\])[A-Za-z0-9/_\-.~%?=&+]*$")


@dataclass(frozen=True)
class WebSession:
    """The caller behind the cookie: the token (for log-out), the principal and the session's CSRF secret."""

    token: str
    principal: Principal
    csrf_secret: str

    @property
    def is_patient(self) -> bool:
        return self.principal.role is Role.PATIENT


def read_session(request: Request) -> WebSession | None:
    """The caller behind the request's session cookie, or ``None`` (no cookie, or an unknown, expired, revoked or
    disabled one). Read once per request and kept on ``request.state.web_session`` for the layout."""
    if hasattr(request.state, "web_session_read"):
        return request.state.web_session
    request.state.web_session_read = True
    request.state.web_session = None
    token = request.cookies.get(COOKIE, "")
    if not token or len(token) > MAX_TOKEN:
        return None
    from metastasis.api.deps import get_store

    try:
        info = get_store(request).tokens.session(token)
    except AuthenticationError:
        return None
    found = WebSession(token=token, principal=info.principal(), csrf_secret=info.csrf_secret)
    request.state.web_session = found
    return found


def safe_next(target: str | None, default: str = HOME) -> str:
    """``target`` when it is a path on this site (``/records/3``), else ``default``: never another site
    (``//evil.example``, ``https://...``, ``/\\evil``), so log-in cannot be used as an open redirect.

    Example
    -------
    >>> safe_next("/records/3"), safe_next("//evil.example"), safe_next("https://evil.example")
    ('/records/3', '/records', '/records')
    """
    if not target or len(target) > MAX_NEXT or not _LOCAL_PATH.match(target):
        return default
    return target


def login_redirect(request: Request) -> HTTPException:
    """A 303 to the sign-in page that comes back here afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    from urllib.parse import quote

    location = f"/login?next={quote(safe_next(here), safe='/')}"
    return HTTPException(303, "Please sign in", headers={"Location": location})


def current_session(request: Request) -> WebSession:
    """Dependency: the signed-in caller, else a 303 to ``/login?next=...``."""
    found = read_session(request)
    if found is None:
        raise login_redirect(request)
    return found


def staff_session(session: Annotated[WebSession, Depends(current_session)]) -> WebSession:
    """Dependency: a signed-in user (clinician, registrar, admin); a patient session is sent to its own record."""
    if session.is_patient:
        raise HTTPException(303, "Your record", headers={"Location": "/my-record"})
    return session


def current_principal(session: Annotated[WebSession, Depends(current_session)]) -> Principal:
    """Dependency: the signed-in caller's principal (redirect to ``/login?next=...`` when absent)."""
    return session.principal


def set_session_cookie(request: Request, response: Response, token: str, max_age: int) -> None:
    """Write the session cookie: HttpOnly, SameSite=Lax, Path=/, Secure over HTTPS."""
    secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, token, max_age=max_age, path="/", httponly=True, samesite="lax", secure=secure)


def clear_session_cookie(request: Request, response: Response) -> None:
    """Remove the session cookie."""
    secure = request.url.scheme == "https"
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=secure)


Signed = Annotated[WebSession, Depends(current_session)]
"""A route parameter: the signed-in caller (any role)."""
Staff = Annotated[WebSession, Depends(staff_session)]
"""A route parameter: a signed-in user (clinician, registrar, admin)."""
