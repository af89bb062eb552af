"""CSRF protection for every state-changing form of the records pages.

* Signed in: each form carries the session's CSRF secret (kept by the store beside the session, new at every log-in)
  in a hidden ``csrf_token`` field; a post whose field is missing or differs (``hmac.compare_digest``) is refused with
  403 before anything is read or changed.
* Not yet signed in (the sign-in form, opening an invitation): a double-submit token. ``GET`` sets the random cookie
  ``metastasis_csrf`` (HttpOnly, SameSite=Strict) and puts the same value in the form; the post must carry both,
  equal. Another site can neither read nor set the cookie, so it cannot forge the pair (no log-in CSRF).

The session cookie itself is SameSite=Lax, so a cross-site post does not even carry it; the token is the second
lock, and the one that holds where SameSite is not enforced.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from metastasis.api.errors import ApiError, ErrorItem
from metastasis.web.session import WebSession

FIELD = "csrf_token"
PRE_COOKIE = "metastasis_csrf"
MAX_FORM_BYTES = 2_100_000
"""Largest form a records page reads (a case file of up to 1 MB, pasted or uploaded, and a few fields)."""
MAX_FIELDS = 60

REFUSED = (
    "This form has expired or did not come from this site, so nothing was changed. "
    "Go back, reload the page and try again."
)


def refused() -> ApiError:
    """The 403 answer to a post without the right token."""
    return ApiError(403, [ErrorItem(field=FIELD, allowed="the token of the form this site gave you", message=REFUSED)])


def _same(given: object, expected: str) -> bool:
    if not isinstance(given, str) or not given or not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8", "backslashreplace"), expected.encode("utf-8"))


def check(form: FormData, session: WebSession) -> None:
    """Refuse (403) a form whose ``csrf_token`` is not the session's CSRF secret."""
    if not _same(form.get(FIELD), session.csrf_secret):
        raise refused()


async def read_form(request: Request, *, max_files: int = 0, max_fields: int = MAX_FIELDS) -> FormData:
    """The posted form, bounded: a body declared larger than :data:`MAX_FORM_BYTES` is refused (413) unread."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        item = ErrorItem(field="body", value=f"{int(declared):,} bytes", message="the form is too large")
        raise ApiError(413, [item])
    return await request.form(max_files=max_files, max_fields=max_fields)


async def checked_form(request: Request, session: WebSession, *, max_files: int = 0) -> FormData:
    """The posted form after the CSRF check (403 when it fails, before anything is done with it)."""
    form = await read_form(request, max_files=max_files)
    check(form, session)
    return form


def pre_session_token(request: Request) -> str:
    """The double-submit token of a visitor not signed in: the cookie's, or a new one."""
    token = request.cookies.get(PRE_COOKIE, "")
    return token if 20 <= len(token) <= 100 else secrets.token_urlsafe(32)


def set_pre_session_cookie(request: Request, response: Response, token: str) -> None:
    """Write the double-submit cookie (HttpOnly, SameSite=Strict, Secure over HTTPS, for the browser session)."""
    secure = request.url.scheme == "https"
    response.set_cookie(PRE_COOKIE, token, path="/", httponly=True, samesite="strict", secure=secure)


def check_pre_session(request: Request, form: FormData) -> None:
    """Refuse (403) a pre-session post whose token does not match its cookie."""
    cookie = request.cookies.get(PRE_COOKIE, "")
    if not _same(form.get(FIELD), cookie) or len(cookie) < 20:
        raise refused()
