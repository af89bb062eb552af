"""Signing in and out, and opening a patient's invitation link.

* ``GET /login`` shows the form (with a double-submit CSRF token); ``POST /login`` checks it, asks the store, and on
  success revokes any session the browser already had, sets a new session cookie (a new token at every sign-in:
  no session fixation) and redirects to ``next`` when that is a path on this site.
* A refusal says one thing whatever the cause; after repeated failures it says when to try again, the same way
  for every email (:mod:`metastasis.web.records_lockout`).
* ``POST /logout`` (CSRF-checked) revokes the session in the store and clears the cookie.
* ``GET /invite/{token}`` shows a button; ``POST`` redeems the invitation (once) into a read-only patient session
  bound to its record and redirects to ``/my-record``. Redeeming on ``GET`` would let a mail scanner that follows
  links use up the one-time link.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from metastasis.api.deps import get_store, request_id
from metastasis.store import AuthenticationError
from metastasis.store._time import utcnow
from metastasis.web import csrf
from metastasis.web.records_lockout import LoginLockout, try_again_words
from metastasis.web.session import (
    Signed,
    clear_session_cookie,
    safe_next,
    set_session_cookie,
)
from metastasis.web.templating import page

router = APIRouter(include_in_schema=False)

_LOCKOUT_INIT = threading.Lock()
MAX_EMAIL = 254
MAX_PASSWORD = 1024
NOT_ACCEPTED = "The email or password was not accepted."
LINK_DEAD = (
    "This link does not open a record any more. A link works once and for 7 days. Ask your care team for a new one."
)


def _lockout(request: Request) -> LoginLockout:
    """The application's failure counts (one per application, so that two apps in one process do not share)."""
    state = request.app.state
    with _LOCKOUT_INIT:
        if getattr(state, "login_lockout", None) is None:
            state.login_lockout = LoginLockout()
    return state.login_lockout


def _login_page(
    request: Request, *, next_path: str, email: str = "", message: str | None = None, status: int = 200
) -> HTMLResponse:
    token = csrf.pre_session_token(request)
    response = page(
        request,
        "auth/login.html",
        status_code=status,
        title="Sign in",
        next_path=next_path,
        email=email,
        message=message,
        csrf_token=token,
        action="/login",
    )
    csrf.set_pre_session_cookie(request, response, token)
    return response


@router.get("/login", response_class=HTMLResponse, name="web.login")
def login_form(request: Request, next: str = "") -> HTMLResponse:
    """The sign-in form (``?next=/records/3``: where to go afterwards, a local path only)."""
    return _login_page(request, next_path=safe_next(next[:1000]))


@router.post("/login", response_class=HTMLResponse, name="web.login_submit")
async def login_submit(request: Request) -> Response:
    """Check the email and password; on success a new session cookie and a redirect to ``next``."""
    from starlette.concurrency import run_in_threadpool

    form = await csrf.read_form(request)
    csrf.check_pre_session(request, form)
    email = str(form.get("email") or "")[:MAX_EMAIL]
    password = str(form.get("password") or "")[:MAX_PASSWORD]
    next_path = safe_next(str(form.get("next") or "")[:1000])
    return await run_in_threadpool(_log_in, request, email, password, next_path)


def _log_in(request: Request, email: str, password: str, next_path: str) -> Response:
    store = get_store(request)
    try:
        principal = store.accounts.authenticate(email, password, request_id=request_id(request))
    except AuthenticationError:
        now = utcnow()
        until = _lockout(request).failed(email, now)
        message = NOT_ACCEPTED
        if until is not None:
            wait = try_again_words(until, now)
            message += f" After several failed tries, sign-in with this email is paused: try again {wait}."
        return _login_page(request, next_path=next_path, email=email, message=message, status=401)
    _lockout(request).succeeded(email)
    old = request.cookies.get("metastasis_session")
    if old:
        store.tokens.revoke(old)  # the browser's earlier session ends: no fixation, no two live sessions
    issued = store.tokens.create_session(principal)
    response = RedirectResponse(next_path, status_code=303)
    max_age = int((issued.expires_at - utcnow()).total_seconds())
    set_session_cookie(request, response, issued.token, max_age)
    response.delete_cookie(csrf.PRE_COOKIE, path="/")
    return response


@router.post("/logout", name="web.logout")
async def logout(request: Request, session: Signed) -> Response:
    """Sign out: the session is revoked in the store (the cookie no longer works anywhere) and cleared here."""
    form = await csrf.read_form(request)
    csrf.check(form, session)
    from starlette.concurrency import run_in_threadpool

    await run_in_threadpool(get_store(request).tokens.revoke, session.token)
    response = RedirectResponse("/login?signed_out=1" if not session.is_patient else "/", status_code=303)
    clear_session_cookie(request, response)
    return response


def _invite_page(
    request: Request,
    title: str,
    *,
    status: int = 200,
    action: str | None = None,
    csrf_token: str = "",
    message: str | None = None,
) -> HTMLResponse:
    from metastasis.web.patient_content import EMERGENCY_NUMBERS

    return page(
        request,
        "auth/invite.html",
        status_code=status,
        section="patient",
        title=title,
        action=action,
        csrf_token=csrf_token,
        message=message,
        numbers=EMERGENCY_NUMBERS,
    )


@router.get("/invite/{token}", response_class=HTMLResponse, name="web.invite")
def invite_form(request: Request, token: str) -> HTMLResponse:
    """The page an invitation link opens: one button that opens the record (the link is used up then)."""
    pre = csrf.pre_session_token(request)
    response = _invite_page(request, "Open your record", action=f"/invite/{token[:100]}", csrf_token=pre)
    csrf.set_pre_session_cookie(request, response, pre)
    return response


@router.post("/invite/{token}", response_class=HTMLResponse, name="web.invite_redeem")
async def invite_redeem(request: Request, token: str) -> Response:
    """Use the invitation once: a read-only patient session for its one record, then ``/my-record``."""
    form = await csrf.read_form(request)
    csrf.check_pre_session(request, form)
    store = get_store(request)
    try:
        issued = store.tokens.redeem(token[:100], request_id=request_id(request))
    except AuthenticationError:
        return _invite_page(request, "This link does not work", status=410, message=LINK_DEAD)
    old = request.cookies.get("metastasis_session")
    if old:
        store.tokens.revoke(old)
    response = RedirectResponse("/my-record", status_code=303)
    set_session_cookie(request, response, issued.token, int((issued.expires_at - utcnow()).total_seconds()))
    response.delete_cookie(csrf.PRE_COOKIE, path="/")
    return response
