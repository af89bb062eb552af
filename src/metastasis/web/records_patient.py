"""The patient's own record (``/my-record``): read-only, in plain words, with the "get help now" card first.

A patient session comes only from an invitation link and is bound to one record; the page shows that record's
patient report (:func:`metastasis.report.render.render_html_body` with ``audience="patient"``) and nothing to edit.
A signed-in clinician is sent to the records list; a visitor without a session is told how to open a record.
New studies that may fit (trial alerts) are listed in plain words with a link to each study; asking to be told about
new studies is on its own page (:mod:`metastasis.web.records_watches`, ``/my-record/trials``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from metastasis.api.deps import get_store, request_id
from metastasis.api.workers import run_heavy
from metastasis.store import RecordNotFound
from metastasis.web import records_watches
from metastasis.web.session import WebSession, read_session
from metastasis.web.templating import page

router = APIRouter(include_in_schema=False)
router.include_router(records_watches.patient_router)


def _page(request: Request, session: WebSession | None, status: int = 200) -> HTMLResponse:
    from metastasis import assess_case
    from metastasis.report.render import render_html_body, report_css
    from metastasis.web.patient_content import EMERGENCY_NUMBERS

    report_html, studies = None, []
    if session is not None and session.principal.record_id is not None:
        try:
            found = get_store(request).records.get(
                session.principal, session.principal.record_id, request_id=request_id(request)
            )
        except RecordNotFound:  # erased since the link was opened
            found = None
        if found is not None:
            report_html = render_html_body(assess_case(found.case), audience="patient", heading_level=2)
            studies = _new_studies(request, session)
    return page(
        request,
        "records/my_record.html",
        status_code=status if report_html is not None or session is None else 404,
        section="patient",
        title="Your record",
        numbers=EMERGENCY_NUMBERS,
        report_html=report_html,
        report_css=report_css(),
        studies=studies,
        signed_in=session is not None,
        csrf_token=session.csrf_secret if session is not None else "",
    )


def _new_studies(request: Request, session: WebSession) -> list[str]:
    """The study pages of the record's open trial alerts (new or seen by the care team), newest match first."""
    principal = session.principal
    alerts = get_store(request).alerts.list(principal, principal.record_id, request_id=request_id(request))
    found = [a for a in alerts if a.kind == "trial" and a.nct_id and a.state != "resolved"]
    found.sort(key=lambda a: a.last_version, reverse=True)
    return [records_watches.study_url(a.nct_id) for a in found]


@router.get("/my-record", response_class=HTMLResponse, name="web.my_record")
async def my_record(request: Request) -> Response:
    """The patient's record, read-only; without a patient session, how to open one."""
    from starlette.concurrency import run_in_threadpool

    session = await run_in_threadpool(read_session, request) if request.cookies else None
    if session is not None and not session.is_patient:
        return RedirectResponse("/records", status_code=303)
    return await run_heavy(request, _page, request, session)
