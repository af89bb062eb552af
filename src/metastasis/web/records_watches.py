"""Trial watches on the records pages: the clinician's "Trial watch" panel of a record (add with filters, remove)
and the patient's "Tell me about new trials" page (``/my-record/trials``).

A watch is saved through :attr:`metastasis.store.Store.watches`, which checks who may watch the record and audits
every call; a record the caller may not see is 404, a bad filter is 422 with the problem shown at the form. Every
post is CSRF-checked first. Study links go to ClinicalTrials.gov (source ``ctgov-api-v2``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from metastasis.api.deps import get_store, request_id
from metastasis.api.errors import ApiError, ErrorItem
from metastasis.api.workers import run_heavy
from metastasis.errors import InvalidInputError
from metastasis.store import RecordNotFound
from metastasis.store.watches import PHASES
from metastasis.trials import OVERALL_STATUSES
from metastasis.web import csrf
from metastasis.web.session import Staff, WebSession, current_session
from metastasis.web.templating import page

staff_router = APIRouter(include_in_schema=False)
patient_router = APIRouter(include_in_schema=False)

STUDY_URL = "https://clinicaltrials.gov/study/{nct_id}"
"""A study's page on ClinicalTrials.gov (source ``ctgov-api-v2``)."""
PATIENT_STATUSES = ("RECRUITING", "NOT_YET_RECRUITING")
"""What a patient's watch keeps: studies open to new people now or soon (a closed study cannot take them)."""
MAX_FIELD = 60
"""Longest value read from a watch form field (a status name, a phase, a number or "lat, lon")."""
PHASE_WORDS = {"EARLY_PHASE1": "early phase 1", "NA": "no phase (not a drug study)"}


def status_words(status: str) -> str:
    """A recruitment status in words.

    Example
    -------
    >>> status_words("NOT_YET_RECRUITING")
    'not yet recruiting'
    """
    return status.lower().replace("_", " ")


def phase_words(phase: str) -> str:
    """A phase in words.

    Example
    -------
    >>> phase_words("PHASE2"), phase_words("NA")
    ('phase 2', 'no phase (not a drug study)')
    """
    return PHASE_WORDS.get(phase, phase.lower().replace("phase", "phase "))


def filters_in_words(watch: Any) -> str:
    """A watch's filters as one line (statuses, phases, distance; "every study" when it has none).

    Example
    -------
    >>> from types import SimpleNamespace as W
    >>> filters_in_words(W(statuses=["RECRUITING"], phases=["PHASE2", "PHASE3"], near_lat=41.8, near_lon=-71.4,
    ...                    within_km=50.0))
    'recruiting; phase 2 or phase 3; a site within 50 km of 41.8, -71.4'
    """
    parts = []
    if watch.statuses:
        parts.append(" or ".join(status_words(s) for s in watch.statuses))
    if watch.phases:
        parts.append(" or ".join(phase_words(p) for p in watch.phases))
    if watch.near_lat is not None and watch.within_km is not None:
        parts.append(f"a site within {watch.within_km:g} km of {watch.near_lat:g}, {watch.near_lon:g}")
    return "; ".join(parts) or "every study"


def study_url(nct_id: str) -> str:
    """The study's page on ClinicalTrials.gov.

    Example
    -------
    >>> study_url("NCT06974604")
    'https://clinicaltrials.gov/study/NCT06974604'
    """
    return STUDY_URL.format(nct_id=nct_id)


def watch_choices() -> dict[str, list[tuple[str, str]]]:
    """The form's checkboxes: the trials vocabulary of statuses and phases, each with its words."""
    return {
        "statuses": [(s, status_words(s)) for s in OVERALL_STATUSES],
        "phases": [(p, phase_words(p)) for p in PHASES],
    }


def _number(text: str, field: str, allowed: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInputError(field, text, allowed) from None
    if value != value or value in (float("inf"), float("-inf")):
        raise InvalidInputError(field, text, allowed)
    return value


def read_filters(form: FormData) -> dict[str, Any]:
    """The watch filters of a posted form (``status``, ``phase`` checkboxes; ``near`` "lat, lon"; ``within_km``).

    Raises
    ------
    InvalidInputError
        A value too long, a point that is not two numbers, or a radius that is not a number (the store checks
        the vocabularies and ranges).
    """
    values = {k: [str(v) for v in form.getlist(k)][:20] for k in ("status", "phase")}
    for key, items in values.items():
        for item in items:
            if len(item) > MAX_FIELD:
                raise InvalidInputError(key, item[:MAX_FIELD], "a value from the list")
    near_text = str(form.get("near") or "").strip()[: MAX_FIELD + 1]
    km_text = str(form.get("within_km") or "").strip()[: MAX_FIELD + 1]
    near = None
    if near_text:
        point = "latitude, longitude in degrees, e.g. 41.82, -71.41"
        pieces = near_text.split(",")
        if len(near_text) > MAX_FIELD or len(pieces) != 2:
            raise InvalidInputError("near", near_text[:MAX_FIELD], point)
        near = (_number(pieces[0].strip(), "near", point), _number(pieces[1].strip(), "near", point))
    within = _number(km_text, "within_km", "a number of kilometres") if km_text else None
    return {"statuses": values["status"], "phases": values["phase"], "near": near, "within_km": within}


def _problem(exc: InvalidInputError) -> str:
    allowed = f" Allowed: {exc.allowed}." if exc.allowed else ""
    return f"{exc.field}: {str(exc.value)[:60]!s} was not accepted.{allowed}"


@staff_router.post("/records/{record}/watches", response_class=HTMLResponse, name="web.record_watch_add")
async def add_watch(request: Request, record: str, session: Staff) -> Response:
    """Save a trial watch on the record (its owning clinician or an admin); the record is matched at once."""
    from metastasis.web.records_record import record_id_of

    record_id = record_id_of(record)
    form = await csrf.checked_form(request, session)
    return await run_heavy(request, _add_watch, request, session, record_id, form)


def _add_watch(request: Request, session: WebSession, record_id: int, form: FormData) -> Response:
    from metastasis.web.records_record import not_found, record_page

    try:
        filters = read_filters(form)
        get_store(request).watches.add(session.principal, record_id, **filters, request_id=request_id(request))
    except RecordNotFound:
        raise not_found(record_id) from None
    except InvalidInputError as exc:
        return record_page(request, session, record_id, status=422, watch_problem=_problem(exc))
    return RedirectResponse(f"/records/{record_id}#record-watches", status_code=303)


@staff_router.post("/records/{record}/watches/{watch_id}/remove", name="web.record_watch_remove")
async def remove_watch(request: Request, record: str, watch_id: str, session: Staff) -> Response:
    """Remove one trial watch of the record (its trial alerts are matched again with the watches left)."""
    from metastasis.web.records_record import not_found, record_id_of

    record_id = record_id_of(record)
    await csrf.checked_form(request, session)
    await run_in_threadpool(_remove, request, session.principal, record_id, watch_id, not_found(record_id))
    return RedirectResponse(f"/records/{record_id}#record-watches", status_code=303)


def _remove(request: Request, principal: Any, record_id: int, watch_id: str, missing: ApiError) -> None:
    from metastasis.web.records_record import whole_number

    number = whole_number(watch_id)
    if number is None:
        raise missing
    try:
        get_store(request).watches.remove(principal, record_id, number, request_id=request_id(request))
    except (RecordNotFound, InvalidInputError):
        raise missing from None


# The patient's page -------------------------------------------------------------------------------------------


def _patient(request: Request) -> WebSession:
    """The patient session behind the request (a staff session is sent to the records list)."""
    session = current_session(request)
    if not session.is_patient or session.principal.record_id is None:
        from fastapi import HTTPException

        raise HTTPException(303, "Records", headers={"Location": "/records"})
    return session


def _gone() -> ApiError:
    message = "This record is not here any more. Ask your care team for help."
    return ApiError(404, [ErrorItem(field="record", message=message)])


def _my_trials(request: Request, session: WebSession) -> HTMLResponse:
    from metastasis.web.patient_content import EMERGENCY_NUMBERS

    record_id = session.principal.record_id
    try:
        watches = get_store(request).watches.list(session.principal, record_id, request_id=request_id(request))
    except RecordNotFound:
        raise _gone() from None
    return page(
        request,
        "records/my_trials.html",
        section="patient",
        title="New studies",
        numbers=EMERGENCY_NUMBERS,
        mine=[w for w in watches if w.created_role == "patient"],
        csrf_token=session.csrf_secret,
    )


@patient_router.get("/my-record/trials", response_class=HTMLResponse, name="web.my_trials")
async def my_trials(request: Request) -> Response:
    """The patient's page about new studies: ask to be told about them, or stop."""
    session = await run_in_threadpool(_patient, request)
    return await run_in_threadpool(_my_trials, request, session)


@patient_router.post("/my-record/trials", name="web.my_trials_add")
async def my_trials_add(request: Request) -> Response:
    """Save a watch on the patient's own record: studies open now or soon, any phase, anywhere."""
    session = await run_in_threadpool(_patient, request)
    await csrf.checked_form(request, session)
    return await run_heavy(request, _watch_mine, request, session)


def _watch_mine(request: Request, session: WebSession) -> Response:
    store, record_id = get_store(request), session.principal.record_id
    try:
        mine = [w for w in store.watches.list(session.principal, record_id) if w.created_role == "patient"]
        if not mine:  # asking twice keeps one watch
            store.watches.add(session.principal, record_id, statuses=PATIENT_STATUSES, request_id=request_id(request))
    except RecordNotFound:
        raise _gone() from None
    return RedirectResponse("/my-record/trials?saved=1", status_code=303)


@patient_router.post("/my-record/trials/{watch_id}/stop", name="web.my_trials_stop")
async def my_trials_stop(request: Request, watch_id: str) -> Response:
    """Stop a watch the patient saved on their own record."""
    session = await run_in_threadpool(_patient, request)
    await csrf.checked_form(request, session)
    record_id = session.principal.record_id
    await run_in_threadpool(_remove, request, session.principal, record_id, watch_id, _gone())
    return RedirectResponse("/my-record/trials?stopped=1", status_code=303)
