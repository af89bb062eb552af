"""The case store over HTTP: patients' case records over time, their alerts and reports, and the audit trail.

Every route here needs a bearer token (:mod:`metastasis.api.auth`) and calls one service of the store, which checks
the caller's role and relationship to the record and writes the audit row; a record the caller may not see answers
404 exactly as a missing one does. Writes use optimistic concurrency: ``GET /cases/{case_id}`` gives the version as
the ``ETag``; ``PUT`` must send it back in ``If-Match`` (428 without; 409 naming the current version when another
change got in first, and nothing is written).

Store calls run on Starlette's thread pool (each is one short transaction); those that assess the whole case
(writing a version recomputes its alerts; the report) run on the bounded worker pool (:mod:`metastasis.api.workers`,
503 when it is full). No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations.
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from metastasis.api.auth import CurrentPrincipal
from metastasis.api.bounded import TOO_LARGE
from metastasis.api.case_body import CASE_ALLOWED, json_type, parse_case_body
from metastasis.api.case_routes import _MEDIA, FORMAT_HELP, Audience, ReportFormat, case_bytes, case_request_body
from metastasis.api.deps import get_store, request_id
from metastasis.api.errors import ApiError, ErrorItem
from metastasis.api.store_audit import audit_event
from metastasis.api.store_auth_routes import RouteRow, add_auth_routes, add_route_table
from metastasis.api.store_models import (
    AUTHED,
    FORBIDDEN,
    ONE_RECORD,
    PRECONDITION,
    STALE,
    CaseRecord,
    CaseWritten,
    EventIn,
    InvitationIssued,
    WatchIn,
    base_version,
    etag,
)
from metastasis.api.workers import BUSY, run_heavy
from metastasis.assess.case import Report
from metastasis.errors import InvalidInputError
from metastasis.store import Principal, Store
from metastasis.store.alerts import AlertView
from metastasis.store.audit import AuditPage
from metastasis.store.records import MAX_PAGE_SIZE, RecordPage, RecordVersion, TimelineEntry, VersionMeta
from metastasis.store.watches import WatchView

RECORDS, AUDIT = "records", "audit"
CASES = "/cases"
#: Highest page number asked for (a larger one is refused rather than sent to the database as an offset).
MAX_PAGE = 1_000_000
MAX_ID = 2**31 - 1

CaseId = Annotated[int, Path(description="The case record's id.")]
Reason = Annotated[
    str | None, Query(max_length=200, description="Why this version is written (kept with it; no patient names).")
]


def _case_data(raw: bytes, content_type: str | None) -> dict[str, Any]:
    data = parse_case_body(raw, content_type)
    if not isinstance(data, dict):
        raise InvalidInputError("body", json_type(data), CASE_ALLOWED, detail="a case is a mapping of fields")
    return data


def _written(response: Response, info: Any, *, created: bool) -> CaseWritten:
    response.headers["ETag"] = etag(info.version)
    if created:
        response.headers["Location"] = f"/api/v1/cases/{info.record_id}"
    return CaseWritten(id=info.record_id, version=info.version)


def _record(found: RecordVersion) -> CaseRecord:
    return CaseRecord(
        id=found.record_id,
        version=found.version,
        current_version=found.current_version,
        owner_id=found.owner_id,
        author_id=found.author_id,
        created_at=found.created_at,
        reason=found.reason,
        case=found.case.model_dump(mode="json", exclude_defaults=True),
    )


def _create(store: Store, me: Principal, raw: bytes, ctype: str | None, reason: str, rid: str | None) -> Any:
    return store.records.create(me, _case_data(raw, ctype), reason=reason, request_id=rid)


def _update(
    store: Store, me: Principal, case_id: int, raw: bytes, ctype: str | None, base: int, reason: str, rid: str | None
) -> Any:
    data = _case_data(raw, ctype)
    return store.records.update(me, case_id, data, base_version=base, reason=reason, request_id=rid)


async def create_case(request: Request, response: Response, me: CurrentPrincipal, reason: Reason = None) -> CaseWritten:
    """Start a case record (clinicians and admins) whose version 1 is the case file in the body (JSON or YAML).

    Answers 201 with the new record's `id` and `version`, `Location` and `ETag`; a case with errors answers 422
    listing every problem with its JSON path.
    """
    raw, ctype = await case_bytes(request)
    store = get_store(request)
    info = await run_heavy(request, _create, store, me, raw, ctype, reason or "created", request_id(request))
    return _written(response, info, created=True)


async def list_cases(
    request: Request,
    me: CurrentPrincipal,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    alert_state: Annotated[
        Literal["new", "acknowledged"] | None, Query(description="Only records with alerts in this state.")
    ] = None,
) -> RecordPage:
    """The case records you may see (a clinician: their own; registrars and admins: all), most recently changed
    first, with their counts of new and acknowledged alerts."""
    store = get_store(request)
    return await run_in_threadpool(
        store.records.list, me, page=page, page_size=page_size, alert_state=alert_state, request_id=request_id(request)
    )


async def get_case(request: Request, response: Response, me: CurrentPrincipal, case_id: CaseId) -> CaseRecord:
    """The current version of a case record with its case file; the `ETag` is the version (send it back in
    `If-Match` to change the case)."""
    found = await run_in_threadpool(get_store(request).records.get, me, case_id, request_id=request_id(request))
    response.headers["ETag"] = etag(found.version)
    return _record(found)


async def update_case(
    request: Request,
    response: Response,
    me: CurrentPrincipal,
    case_id: CaseId,
    if_match: Annotated[str | None, Header(description='The ETag of the version read, e.g. "3".')] = None,
    reason: Reason = None,
) -> CaseWritten:
    """Write the case file in the body (JSON or YAML) as the record's next version.

    `If-Match` must name the version the change is based on: without it 428; if another change got in first,
    409 naming the current version, and nothing is written.
    """
    base = base_version(if_match, required=True)
    raw, ctype = await case_bytes(request)
    store, rid = get_store(request), request_id(request)
    info = await run_heavy(request, _update, store, me, case_id, raw, ctype, base, reason or "updated", rid)
    return _written(response, info, created=False)


def _add_event(store: Store, me: Principal, case_id: int, body: EventIn, base: int | None, rid: str | None) -> Any:
    return store.records.add_event(me, case_id, body.kind, body.payload, base_version=base, request_id=rid)


async def add_event(
    request: Request,
    response: Response,
    me: CurrentPrincipal,
    case_id: CaseId,
    body: EventIn,
    if_match: Annotated[str | None, Header(description="Optional: refuse (409) unless it is current.")] = None,
) -> CaseWritten:
    """Append one event (a lab result, symptom, performance status, treatment, review, skeletal event or imaging
    finding) to the case, as a new version; its alerts are recomputed. A payload the case file would not accept
    answers 422 naming the new item's path (`$.labs[6].unit`)."""
    base = base_version(if_match, required=False)
    store = get_store(request)
    info = await run_heavy(request, _add_event, store, me, case_id, body, base, request_id(request))
    return _written(response, info, created=False)


async def versions(request: Request, me: CurrentPrincipal, case_id: CaseId) -> list[VersionMeta]:
    """Every version of the record, oldest first: who wrote it, when and why (without the case files)."""
    return await run_in_threadpool(get_store(request).records.versions, me, case_id, request_id=request_id(request))


async def version(
    request: Request,
    response: Response,
    me: CurrentPrincipal,
    case_id: CaseId,
    number: Annotated[int, Path(ge=1, le=MAX_ID, description="The version number.")],
) -> CaseRecord:
    """One version of the record, with its case file as it was then."""
    store = get_store(request)
    found = await run_in_threadpool(store.records.get, me, case_id, version=number, request_id=request_id(request))
    response.headers["ETag"] = etag(found.version)
    return _record(found)


async def timeline(request: Request, me: CurrentPrincipal, case_id: CaseId) -> list[TimelineEntry]:
    """The record's versions and events in time order (an event right after the version it made)."""
    return await run_in_threadpool(get_store(request).records.timeline, me, case_id, request_id=request_id(request))


async def alerts(request: Request, me: CurrentPrincipal, case_id: CaseId) -> list[AlertView]:
    """The record's alerts in every state (new first, most urgent first), with who acknowledged them: timeline
    alerts (`kind` `timeline`) and "new trial match" alerts of its trial watches (`kind` `trial`, with `nct_id`)."""
    return await run_in_threadpool(get_store(request).alerts.list, me, case_id, request_id=request_id(request))


async def acknowledge(
    request: Request,
    me: CurrentPrincipal,
    case_id: CaseId,
    alert_id: Annotated[str, Path(max_length=200, description="The alert's id (from the alerts list).")],
) -> AlertView:
    """Acknowledge a new alert: it stays quiet until its evidence changes (then it is new again)."""
    store = get_store(request)
    try:
        return await run_in_threadpool(store.alerts.acknowledge, me, case_id, alert_id, request_id=request_id(request))
    except InvalidInputError as exc:
        if exc.field != "alert_id":
            raise
        message = f"case record {case_id} has no alert {alert_id!r}"
        item = ErrorItem(field="alert_id", value=alert_id, allowed=exc.allowed, message=message)
        raise ApiError(404, [item]) from None


async def list_watches(request: Request, me: CurrentPrincipal, case_id: CaseId) -> list[WatchView]:
    """The record's trial watches, oldest first (anyone who may read the record)."""
    return await run_in_threadpool(get_store(request).watches.list, me, case_id, request_id=request_id(request))


def _add_watch(store: Store, me: Principal, case_id: int, body: WatchIn, rid: str | None) -> WatchView:
    near = tuple(body.near) if body.near is not None else None
    return store.watches.add(
        me, case_id, statuses=body.statuses, phases=body.phases, near=near, within_km=body.within_km, request_id=rid
    )


async def add_watch(
    request: Request, response: Response, me: CurrentPrincipal, case_id: CaseId, body: WatchIn
) -> WatchView:
    """Save a trial watch on the record (its owning clinician, an admin, or the record's patient): the record is
    matched against the stored trials at once and again whenever trials are imported or the case changes; a
    study that becomes eligible or possibly eligible raises a "new trial match" alert. A bad filter answers 422."""
    store = get_store(request)
    watch = await run_heavy(request, _add_watch, store, me, case_id, body, request_id(request))
    response.headers["Location"] = f"/api/v1/cases/{case_id}/watches/{watch.id}"
    return watch


async def remove_watch(
    request: Request,
    me: CurrentPrincipal,
    case_id: CaseId,
    watch_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The watch's id (from the watches list).")],
) -> Response:
    """Remove a trial watch (a patient only the ones a patient saved); the record's trial alerts are matched again
    with the watches left."""
    store = get_store(request)
    try:
        await run_heavy(request, _remove_watch, store, me, case_id, watch_id, request_id(request))
    except InvalidInputError as exc:
        if exc.field != "watch_id":
            raise
        message = f"case record {case_id} has no watch {watch_id}"
        item = ErrorItem(field="watch_id", value=watch_id, allowed=exc.allowed, message=message)
        raise ApiError(404, [item]) from None
    return Response(status_code=204)


def _remove_watch(store: Store, me: Principal, case_id: int, watch_id: int, rid: str | None) -> None:
    store.watches.remove(me, case_id, watch_id, request_id=rid)


def _render(found: RecordVersion, audience: Audience, fmt: ReportFormat) -> Report | Response:
    from metastasis.assess.case import assess_case
    from metastasis.report.render import render

    result = assess_case(found.case)
    if fmt == "json":
        return result
    text = render(result, audience=audience, fmt=fmt)
    return HTMLResponse(text, media_type=_MEDIA[fmt]) if fmt == "html" else Response(text, media_type=_MEDIA[fmt])


async def report(
    request: Request,
    me: CurrentPrincipal,
    case_id: CaseId,
    audience: Annotated[Audience, Query(description="Whose wording markdown and html use.")] = "clinician",
    fmt: Annotated[ReportFormat, Query(alias="format", description=FORMAT_HELP)] = "json",
) -> Any:
    """The whole report of the record's current case, as `POST /api/v1/report` gives it for a case file."""
    found = await run_in_threadpool(get_store(request).records.get, me, case_id, request_id=request_id(request))
    return await run_heavy(request, _render, found, audience, fmt)


async def erase(request: Request, me: CurrentPrincipal, case_id: CaseId) -> Response:
    """Erase the record for good (right to erasure; admins and the owning clinician): every version, event, alert
    and invitation is deleted; the audit trail keeps the erasure. Afterwards the record is not found."""
    await run_in_threadpool(get_store(request).records.erase, me, case_id, request_id=request_id(request))
    return Response(status_code=204)


async def export(request: Request, me: CurrentPrincipal, case_id: CaseId) -> dict[str, Any]:
    """Everything held about the record, for a data-access request: every version's case file, the events and
    the audit entries about it (admins and the owning clinician)."""
    return await run_in_threadpool(get_store(request).records.export, me, case_id, request_id=request_id(request))


async def invite(request: Request, response: Response, me: CurrentPrincipal, case_id: CaseId) -> InvitationIssued:
    """An invitation link for the patient or family to read this record in plain language (the owning clinician
    or an admin): single use, for 7 days, revocable. The link is shown here once."""
    issued = await run_in_threadpool(get_store(request).tokens.invite, me, case_id, request_id=request_id(request))
    response.headers["Location"] = f"/api/v1/cases/{case_id}/invitations/{issued.id}"
    return InvitationIssued(id=issued.id, path=f"/invite/{issued.token}", expires_at=issued.expires_at)


async def revoke_invitation(
    request: Request,
    me: CurrentPrincipal,
    case_id: CaseId,
    invitation_id: Annotated[int, Path(description="The invitation's id (from its creation).")],
) -> Response:
    """Revoke an invitation you made for this record: its link stops working (a patient token already opened
    from it lasts its 2 hours)."""
    store = get_store(request)
    made = await run_in_threadpool(store.tokens.list_tokens, me)
    mine = any(t.id == invitation_id and t.kind == "invitation" and t.record_id == case_id for t in made)
    rid, detail = request_id(request), f"invitation {invitation_id}"
    record = case_id if 0 < case_id <= MAX_ID else None
    await run_in_threadpool(
        audit_event, store, me, "invitation_revoke", allowed=mine, record_id=record, request_id=rid, detail=detail
    )
    if not mine:
        message = f"no invitation {invitation_id} of yours for case record {case_id}"
        allowed = "the id of an invitation you made for this record"
        raise ApiError(404, [ErrorItem(field="invitation_id", value=invitation_id, allowed=allowed, message=message)])
    await run_in_threadpool(store.tokens.revoke_id, me, invitation_id)
    return Response(status_code=204)


async def audit_trail(
    request: Request,
    me: CurrentPrincipal,
    case: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only entries about this case record.")] = None,
    user: Annotated[str | None, Query(max_length=254, description="Only entries by this email.")] = None,
    page: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> AuditPage:
    """The audit trail, newest first (admins only; this read is itself audited): who did what to which record,
    when, with which request id, and the outcome (allowed, denied, error). No patient data."""
    store = get_store(request)
    return await run_in_threadpool(
        store.audit.query, me, case=case, user=user, page=page, page_size=page_size, request_id=request_id(request)
    )


def _report_responses() -> dict[int | str, dict[str, Any]]:
    rendered = {media.split(";")[0]: {"schema": {"type": "string"}} for media in _MEDIA.values()}
    return {200: {"content": rendered}, **ONE_RECORD, **BUSY}


def add_store_routes(router: APIRouter) -> None:
    """Add the case-store routes (sign-in, case records, audit trail) to ``router``."""
    add_auth_routes(router)
    prefix = router.prefix
    one = f"{CASES}/{{case_id}}"
    writes = {**TOO_LARGE, **BUSY}
    routes: list[RouteRow] = [
        (CASES, create_case, "POST", CaseWritten, 201, "cases_create", AUTHED | FORBIDDEN | writes),
        (CASES, list_cases, "GET", RecordPage, 200, "cases_list", AUTHED),
        (one, get_case, "GET", CaseRecord, 200, "case_get", ONE_RECORD),
        (one, update_case, "PUT", CaseWritten, 200, "case_update", ONE_RECORD | STALE | PRECONDITION | writes),
        (one, erase, "DELETE", None, 204, "case_erase", ONE_RECORD),
        (f"{one}/events", add_event, "POST", CaseWritten, 201, "case_event_add", ONE_RECORD | STALE | writes),
        (f"{one}/versions", versions, "GET", list[VersionMeta], 200, "case_versions", ONE_RECORD),
        (f"{one}/versions/{{number}}", version, "GET", CaseRecord, 200, "case_version", ONE_RECORD),
        (f"{one}/timeline", timeline, "GET", list[TimelineEntry], 200, "case_timeline", ONE_RECORD),
        (f"{one}/alerts", alerts, "GET", list[AlertView], 200, "case_alerts", ONE_RECORD),
        (f"{one}/alerts/{{alert_id}}/ack", acknowledge, "POST", AlertView, 200, "case_alert_ack", ONE_RECORD),
        (f"{one}/watches", list_watches, "GET", list[WatchView], 200, "case_watches", ONE_RECORD),
        (f"{one}/watches", add_watch, "POST", WatchView, 201, "case_watch_add", ONE_RECORD | writes),
        (f"{one}/watches/{{watch_id}}", remove_watch, "DELETE", None, 204, "case_watch_remove", ONE_RECORD | BUSY),
        (f"{one}/report", report, "GET", Report, 200, "case_report", _report_responses()),
        (f"{one}/export", export, "GET", dict[str, Any], 200, "case_export", ONE_RECORD),
        (f"{one}/invitations", invite, "POST", InvitationIssued, 201, "case_invite", ONE_RECORD),
        (
            f"{one}/invitations/{{invitation_id}}",
            revoke_invitation,
            "DELETE",
            None,
            204,
            "case_invitation_revoke",
            ONE_RECORD,
        ),
    ]
    schema_at = f"{prefix}/case/validate"
    body = {"requestBody": case_request_body(f"{prefix}{CASES}", schema_at=schema_at)}
    add_route_table(router, routes, RECORDS, lambda endpoint: body if endpoint in (create_case, update_case) else None)
    router.add_api_route(
        "/audit",
        audit_trail,
        methods=["GET"],
        response_model=AuditPage,
        tags=[AUDIT],
        responses=AUTHED | FORBIDDEN,
        operation_id="audit_query",
        name="api.audit_query",
    )
