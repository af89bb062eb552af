"""One record's page (``/records/{id}``) and what can be done on it: add an event, acknowledge an alert, compare
versions, invite the patient (and revoke the link), export and erase; its trial watches are saved and removed by
:mod:`metastasis.web.records_watches` (included here).

Store errors are answered here, in the page's own terms: a record the caller may not see is 404 (exactly as a
missing one); an event based on an old version is 409 with the newest version shown and the entry kept in its
form; an event the case file refuses is 422 with each problem at its control. Every post is CSRF-checked first.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from metastasis.api.deps import get_store, request_id
from metastasis.api.errors import ApiError, ErrorItem, items_from_invalid_input
from metastasis.api.workers import run_heavy
from metastasis.errors import InvalidInputError
from metastasis.store import Action, RecordNotFound, RecordRef, StaleVersionError, is_allowed
from metastasis.web import csrf, records_watches
from metastasis.web.records_events import EventEntry, attach_problems, event_forms, form_of, read_entry
from metastasis.web.records_view import key_facts, label_of, load
from metastasis.web.session import Staff, WebSession
from metastasis.web.templating import page

router = APIRouter(include_in_schema=False)

MAX_RECORD_ID = 2**31 - 1
STALE = (
    "Someone else changed this record while you were entering this. Here is the newest version; "
    "your entry is kept below: check it against the newest version and save it again."
)


def not_found(record_id: object) -> ApiError:
    """404: no such record, or one the caller may not see (the page does not say which)."""
    message = "There is no record at this address, or it is not one you may open."
    return ApiError(404, [ErrorItem(field="record", value=str(record_id)[:20], message=message)])


def whole_number(text: str) -> int | None:
    """A positive id or version number written in ASCII digits (``str.isdigit`` alone also passes ``"²"``, which
    ``int`` refuses), up to :data:`MAX_RECORD_ID`; ``None`` for anything else.

    Example
    -------
    >>> whole_number("42"), whole_number("²"), whole_number("0"), whole_number("9" * 11)
    (42, None, None, None)
    """
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    value = int(text)
    return value if 0 < value <= MAX_RECORD_ID else None


def record_id_of(text: str) -> int:
    """The record id of a path segment; anything but a whole number in range is not found (404, not 422)."""
    found = whole_number(text)
    if found is None:
        raise not_found(text)
    return found


def record_page(
    request: Request,
    session: WebSession,
    record_id: int,
    *,
    status: int = 200,
    entry: EventEntry | None = None,
    notice: str | None = None,
    issued: Any = None,
    watch_problem: str | None = None,
) -> HTMLResponse:
    """The record page for ``session``'s caller (404 when not visible)."""
    from metastasis.report.render import report_css

    try:
        data = load(request, session.principal, record_id, entry=entry)
    except RecordNotFound:
        raise not_found(record_id) from None
    response = page(
        request,
        "records/record.html",
        status_code=status,
        section="records",
        title=data.label,
        d=data,
        facts=key_facts(data.record),
        forms=event_forms(),
        notice=notice,
        issued=issued,
        invite_address=_invite_address(request, issued),
        report_css=report_css(),
        csrf_token=session.csrf_secret,
        watch_problem=watch_problem,
        watch_choices=records_watches.watch_choices(),
        filters_in_words=records_watches.filters_in_words,
        study_url=records_watches.study_url,
    )
    if issued is not None:
        response.headers["Cache-Control"] = "no-store"  # the invitation link is shown once
    return response


def _invite_address(request: Request, issued: Any) -> str | None:
    # The full address to send the patient; the Host it is built from was checked against the allowed hosts.
    return f"{str(request.base_url).rstrip('/')}/invite/{issued.token}" if issued is not None else None


@router.get("/records/{record}", response_class=HTMLResponse, name="web.record")
async def record(request: Request, record: str, session: Staff) -> HTMLResponse:
    """The record: summary and new alerts first, the timeline chart, events, add forms, report, versions."""
    return await run_heavy(request, record_page, request, session, record_id_of(record))


@router.post("/records/{record}/events", response_class=HTMLResponse, name="web.record_event")
async def add_event(request: Request, record: str, session: Staff) -> Response:
    """Append one event on the version the form was based on (409 when another write got in first)."""
    record_id = record_id_of(record)
    form = await csrf.checked_form(request, session)
    return await run_heavy(request, _add_event, request, session, record_id, form)


def _add_event(request: Request, session: WebSession, record_id: int, form: FormData) -> Response:
    kind = str(form.get("kind") or "")
    spec = form_of(kind)
    if spec is None:
        raise InvalidInputError("kind", kind[:40], [f.kind for f in event_forms()])
    entry, payload = read_entry(form, spec)
    base = str(form.get("base_version") or "")
    base_version = whole_number(base)
    if base_version is None:
        raise InvalidInputError("base_version", base[:20], "the version number the form was based on")
    try:
        get_store(request).records.add_event(
            session.principal, record_id, kind, payload, base_version=base_version, request_id=request_id(request)
        )
    except RecordNotFound:
        raise not_found(record_id) from None
    except StaleVersionError:
        return record_page(request, session, record_id, status=409, entry=entry, notice=STALE)
    except InvalidInputError as exc:
        attach_problems(entry, spec, items_from_invalid_input(exc))
        return record_page(request, session, record_id, status=422, entry=entry)
    return RedirectResponse(f"/records/{record_id}#record-events", status_code=303)


@router.post("/records/{record}/alerts/{alert_id}/ack", name="web.record_ack")
async def acknowledge(
    request: Request,
    record: str,
    alert_id: str,
    session: Staff,
) -> Response:
    """Acknowledge one new alert (it stays acknowledged until its evidence changes)."""
    record_id = record_id_of(record)
    await csrf.checked_form(request, session)
    try:
        await run_in_threadpool(
            get_store(request).alerts.acknowledge,
            session.principal,
            record_id,
            alert_id[:200],
            request_id=request_id(request),
        )
    except (RecordNotFound, InvalidInputError):
        raise not_found(record_id) from None
    return RedirectResponse(f"/records/{record_id}#record-alerts", status_code=303)


@router.get("/records/{record}/diff", response_class=HTMLResponse, name="web.record_diff")
def diff(
    request: Request,
    record: str,
    session: Staff,
    a: int = 1,
    b: int = 0,
) -> HTMLResponse:
    """What changed from version ``a`` to version ``b`` (default: the current one)."""
    from metastasis.store.events import case_data
    from metastasis.web.records_diff import version_diff

    record_id = record_id_of(record)
    store, rid = get_store(request), request_id(request)
    try:
        new = store.records.get(session.principal, record_id, version=b or None, request_id=rid)
        old = store.records.get(session.principal, record_id, version=a, request_id=rid)
        versions = store.records.versions(session.principal, record_id, request_id=rid)
    except RecordNotFound:
        raise not_found(record_id) from None
    return page(
        request,
        "records/diff.html",
        section="records",
        title=f"{label_of(new)}: version {old.version} to {new.version}",
        record=new,
        old=old,
        versions=versions[-200:],  # the pickers list the newest 200; any version can be named in the address
        lines=version_diff(case_data(old.case), case_data(new.case)),
    )


@router.post("/records/{record}/invite", response_class=HTMLResponse, name="web.record_invite")
async def invite(request: Request, record: str, session: Staff) -> HTMLResponse:
    """A new invitation link for the patient, shown once on the record page (single use, 7 days, revocable)."""
    record_id = record_id_of(record)
    await csrf.checked_form(request, session)
    try:
        store = get_store(request)
        issued = await run_in_threadpool(
            store.tokens.invite, session.principal, record_id, request_id=request_id(request)
        )
    except RecordNotFound:
        raise not_found(record_id) from None
    return await run_heavy(request, _invited, request, session, record_id, issued)


def _invited(request: Request, session: WebSession, record_id: int, issued: Any) -> HTMLResponse:
    return record_page(request, session, record_id, issued=issued)


@router.post("/records/{record}/invitations/{credential}/revoke", name="web.record_revoke")
async def revoke(
    request: Request,
    record: str,
    credential: str,
    session: Staff,
) -> Response:
    """Revoke an invitation that has not been used yet."""
    record_id = record_id_of(record)
    await csrf.checked_form(request, session)
    await run_in_threadpool(_revoke, request, session, record_id, credential)
    return RedirectResponse(f"/records/{record_id}#record-invite", status_code=303)


def _revoke(request: Request, session: WebSession, record_id: int, credential: str) -> None:
    from metastasis.api.store_audit import audit_event

    store, rid = get_store(request), request_id(request)
    try:
        store.records.get(session.principal, record_id, request_id=rid)
        mine = {t.id for t in store.tokens.list_tokens(session.principal) if t.record_id == record_id}
        credential_id = whole_number(credential)
        allowed = credential_id is not None and credential_id in mine
        detail = f"invitation {credential_id}" if credential_id is not None else None
        # audited as the API's revocation is: who cut off the patient's access, allowed or not
        audit_event(
            store,
            session.principal,
            "invitation_revoke",
            allowed=allowed,
            record_id=record_id,
            request_id=rid,
            detail=detail,
        )
        if not allowed or credential_id is None:
            raise RecordNotFound(record_id)
        store.tokens.revoke_id(session.principal, credential_id)
    except (RecordNotFound, InvalidInputError):
        raise not_found(record_id) from None


@router.get("/records/{record}/export", name="web.record_export")
def export(request: Request, record: str, session: Staff) -> Response:
    """Everything held about the record (versions, events, its audit entries) as a JSON download (audited)."""
    record_id = record_id_of(record)
    try:
        data = get_store(request).records.export(session.principal, record_id, request_id=request_id(request))
    except RecordNotFound:
        raise not_found(record_id) from None
    body = json.dumps(data, indent=2, ensure_ascii=False, default=str)
    name = re.sub(r"[^0-9]", "", str(record_id))
    headers = {"Content-Disposition": f'attachment; filename="record-{name}.json"', "Cache-Control": "no-store"}
    return Response(body, media_type="application/json", headers=headers)


def _audit_denied(request: Request, session: WebSession, action: str, record_id: int) -> None:
    """An audit row for a page refused before any store service was asked (the store audits the rest)."""
    from metastasis.store import audit

    with get_store(request).write() as db:
        audit.write(
            db,
            session.principal,
            action,
            audit.Outcome.DENIED,
            record_id=record_id,
            request_id=request_id(request),
            detail="not permitted",
        )


@router.get("/records/{record}/erase", response_class=HTMLResponse, name="web.record_erase_confirm")
def erase_confirm(request: Request, record: str, session: Staff) -> HTMLResponse:
    """Ask before erasing (only for a caller who may erase; others get 404)."""
    record_id = record_id_of(record)
    try:
        found = get_store(request).records.get(session.principal, record_id, request_id=request_id(request))
    except RecordNotFound:
        raise not_found(record_id) from None
    if not is_allowed(session.principal, Action.ERASE, RecordRef(id=found.record_id, owner_id=found.owner_id)):
        _audit_denied(request, session, "erase", record_id)
        raise not_found(record_id)
    return page(
        request,
        "records/erase.html",
        section="records",
        title=f"Erase {label_of(found)}?",
        record=found,
        csrf_token=session.csrf_secret,
    )


@router.post("/records/{record}/erase", name="web.record_erase")
async def erase(request: Request, record: str, session: Staff) -> Response:
    """Erase the record for good (right to erasure); the audit trail keeps the erasure."""
    record_id = record_id_of(record)
    await csrf.checked_form(request, session)
    try:
        store = get_store(request)
        await run_in_threadpool(store.records.erase, session.principal, record_id, request_id=request_id(request))
    except RecordNotFound:
        raise not_found(record_id) from None
    return RedirectResponse("/records?erased=1", status_code=303)


router.include_router(records_watches.staff_router)
