"""The records list (``/records``) and a new record (``/records/new``).

The list shows the records the caller may read (a clinician: their own; a registrar or an admin: all), most
recently changed first, 25 to a page, each with a badge of its new alerts and their most urgent severity, and a
filter "with new alerts". A new record is a case file pasted, uploaded or picked from the bundled examples (or
built in the case builder and pasted here), validated in full; its problems come back next to the text, kept.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData, UploadFile

from metastasis.api.deps import get_store, request_id
from metastasis.api.workers import run_heavy
from metastasis.store import AccessDenied, Action, is_allowed
from metastasis.web import csrf
from metastasis.web.session import Staff, WebSession
from metastasis.web.templating import page

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 25
MAX_PAGE = 100_000
MAX_REASON = 200


def _severities(request: Request, ids: set[int]) -> dict[int, str]:
    """The most urgent severity of each listed record's new alerts (only for records on the page)."""
    if not ids:
        return {}
    return {d.record_id: d.highest_severity for d in get_store(request).alerts.due() if d.record_id in ids}


@router.get("/records", response_class=HTMLResponse, name="web.records")
def records(
    request: Request,
    session: Staff,
    page_number: int = Query(1, alias="page"),
    alerts: str = "",
) -> HTMLResponse:
    """The caller's records, with alert badges; ``?alerts=new`` keeps those with new alerts."""
    number = min(max(page_number, 1), MAX_PAGE)
    state = "new" if alerts == "new" else None
    listed = get_store(request).records.list(
        session.principal, page=number, page_size=PAGE_SIZE, alert_state=state, request_id=request_id(request)
    )
    pages = max(1, -(-listed.total // PAGE_SIZE))
    return page(
        request,
        "records/list.html",
        section="records",
        title="Records",
        listed=listed,
        pages=pages,
        only_new=state == "new",
        severities=_severities(request, {r.record_id for r in listed.items if r.new_alerts}),
        may_create=is_allowed(session.principal, Action.CREATE, None),
        csrf_token=session.csrf_secret,
    )


def _new_page(request: Request, session: WebSession, status: int = 200, **context: Any) -> HTMLResponse:
    from metastasis.examples.cases import example_case_names

    context.setdefault("text", "")
    context.setdefault("reason", "first visit")
    context.setdefault("problems", [])
    return page(
        request,
        "records/new.html",
        status_code=status,
        section="records",
        title="New record",
        examples=example_case_names(),
        csrf_token=session.csrf_secret,
        **context,
    )


@router.get("/records/new", response_class=HTMLResponse, name="web.records_new")
def new_record(request: Request, session: Staff) -> HTMLResponse:
    """The new-record form (clinicians and admins; others are told they may not create records)."""
    if not is_allowed(session.principal, Action.CREATE, None):
        return _new_page(request, session, status=403, forbidden=True)
    return _new_page(request, session)


@router.post("/records/new", response_class=HTMLResponse, name="web.records_create")
async def create_record(request: Request, session: Staff) -> Response:
    """Validate the posted case and store it as version 1 of a new record; 422 with every problem otherwise."""
    from metastasis.web.clinician_case_input import MAX_CASE_BYTES, CaseForm

    form = await csrf.checked_form(request, session, max_files=1)
    upload = form.get("case_file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    case_form = CaseForm(
        text=str(form.get("case_text") or ""),
        example=str(form.get("example") or ""),
        file_name=upload.filename if has_file else None,  # type: ignore[union-attr]
        file_bytes=await upload.read(MAX_CASE_BYTES + 1) if has_file else None,  # type: ignore[union-attr]
    )
    return await run_heavy(request, _create, request, session, case_form, form)


def _create(request: Request, session: WebSession, case_form: Any, form: FormData) -> Response:
    from metastasis.domain import validate_case
    from metastasis.domain.io import parse_text
    from metastasis.web.clinician_case_input import read_case, sniff_format

    reason = str(form.get("reason") or "").strip()[:MAX_REASON] or "first visit"
    attempt = read_case(case_form)
    if attempt.problems:
        return _new_page(request, session, 422, text=attempt.text, reason=reason, problems=attempt.problems)
    case = validate_case(parse_text(attempt.text, fmt=sniff_format(attempt.text), source="case text")).case
    try:
        created = get_store(request).records.create(
            session.principal, case, reason=reason, request_id=request_id(request)
        )
    except AccessDenied:
        return _new_page(request, session, status=403, forbidden=True)
    return RedirectResponse(f"/records/{created.record_id}", status_code=303)


def save_to_records(request: Request, form: FormData, case: Any) -> Response:
    """The case builder's "Save to records": store a built, valid case as a new record of the signed-in clinician.

    For the builder's ``save:records`` action (its form must carry the session's ``csrf_token``). Without a session
    allowed to create records the answer is a 303 to sign in; a wrong token is 403; otherwise a 303 to the new
    record.

    Parameters
    ----------
    request, form:
        The builder's request and its posted form.
    case:
        The valid :class:`~metastasis.domain.Case` the builder made.

    Returns
    -------
    Response
        A redirect (to the record, or to sign in).
    """
    from metastasis.web.session import login_redirect, read_session

    session = read_session(request)
    if session is None or not is_allowed(session.principal, Action.CREATE, None):
        raise login_redirect(request)
    csrf.check(form, session)
    created = get_store(request).records.create(
        session.principal, case, reason="built in the case builder", request_id=request_id(request)
    )
    return RedirectResponse(f"/records/{created.record_id}", status_code=303)
