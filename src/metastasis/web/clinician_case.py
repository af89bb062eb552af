"""The whole-case report page: paste a case, upload a file or pick a bundled example (or build one step by step:
:mod:`metastasis.web.case_builder_routes`), and get the full report inside the site layout, summary first, with
downloads of the same report as HTML, Markdown or JSON.

The report is the library's own HTML report body (:func:`metastasis.report.render.render_html_body`), so the
page and the standalone file can never show different things.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from metastasis.api.errors import ApiError, ErrorItem
from metastasis.api.workers import run_heavy
from metastasis.web import case_builder_routes
from metastasis.web.clinician_case_input import DOWNLOADS, MAX_CASE_BYTES, CaseAttempt, CaseForm, read_case
from metastasis.web.clinician_results import clinician_page
from metastasis.web.templating import path_for

router = APIRouter(include_in_schema=False)
router.include_router(case_builder_routes.router)

#: Largest case form read: the text box and a file of at most ``MAX_CASE_BYTES`` each, and the other fields.
MAX_FORM_BYTES = 2 * MAX_CASE_BYTES + 100_000


def refuse_large_body(request: Request) -> None:
    """Refuse (413) a body declared larger than :data:`MAX_FORM_BYTES`, before it is read."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
        message = f"the form is larger than {MAX_FORM_BYTES:,} bytes (a case file is a few kilobytes)"
        allowed = f"a case file of at most {MAX_CASE_BYTES:,} bytes"
        size = f"{int(declared):,} bytes"
        raise ApiError(413, [ErrorItem(field="case_file", value=size, allowed=allowed, message=message)])


async def _read_form(request: Request) -> FormData:
    """The posted form; a body declared larger than :data:`MAX_FORM_BYTES` is refused (413) before it is read."""
    refuse_large_body(request)
    return await request.form()


def _examples() -> list[tuple[str, str]]:
    from metastasis.examples.cases import example_case_names, load_example_case

    return [(name, load_example_case(name).title or name) for name in example_case_names()]


def page_for(request: Request, attempt: CaseAttempt | None = None) -> HTMLResponse:
    """The case page: the form, and the report of ``attempt`` (first, in ``#result``) or its problems."""
    from metastasis.report.render import render_html_body, report_css
    from metastasis.report.view import AUDIENCES

    report = attempt.report if attempt else None
    body = render_html_body(report, audience=attempt.audience, heading_level=3) if attempt and report else None
    return clinician_page(
        request,
        "clinician/case.html",
        status_code=422 if attempt and attempt.problems else 200,
        title="Whole-case report",
        action=path_for(request, "web.clinician_case_submit"),
        builder=path_for(request, "web.case_builder"),
        load_action=path_for(request, "web.case_builder_load"),
        download_action=path_for(request, "web.clinician_case_download"),
        examples=_examples(),
        audiences=AUDIENCES,
        formats=list(DOWNLOADS),
        max_bytes=MAX_CASE_BYTES,
        text=attempt.text if attempt else "",
        audience=attempt.audience if attempt else "clinician",
        problems=attempt.problems if attempt else [],
        warnings=attempt.warnings if attempt else [],
        report_html=body,
        report_css=report_css(),
    )


async def _case_form(form: FormData) -> CaseForm:
    upload = form.get("case_file")
    has_file = isinstance(upload, UploadFile) and bool(upload.filename)
    return CaseForm(
        text=str(form.get("case_text") or ""),
        example=str(form.get("example") or ""),
        audience=str(form.get("audience") or "clinician"),
        file_name=upload.filename if has_file else None,  # type: ignore[union-attr]
        file_bytes=await upload.read(MAX_CASE_BYTES + 1) if has_file else None,  # type: ignore[union-attr]
    )


@router.get("/case", response_class=HTMLResponse, name="web.clinician_case")
def case(request: Request) -> HTMLResponse:
    """The empty case form."""
    return page_for(request)


@router.post("/case", response_class=HTMLResponse, name="web.clinician_case_submit")
async def case_submit(request: Request) -> HTMLResponse:
    """Read, validate and assess the posted case; 422 listing every problem with its JSON path.

    The work and the page run on the bounded worker pool (503 when it is full), as for the download."""
    return await run_heavy(request, _assessed, request, await _case_form(await _read_form(request)))


def _assessed(request: Request, form: CaseForm) -> HTMLResponse:
    return page_for(request, read_case(form))


def _file_name(attempt: CaseAttempt, suffix: str) -> str:
    case_id = attempt.report.case_id if attempt.report and attempt.report.case_id else "case"
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '-', case_id)}-{attempt.audience}.{suffix}"


def _download(attempt: CaseAttempt, fmt: str) -> Response | None:
    from metastasis.report.render import render

    if attempt.report is None:
        return None
    media_type, suffix = DOWNLOADS[fmt]
    content = render(attempt.report, audience=attempt.audience, fmt=fmt)  # type: ignore[arg-type]
    disposition = f'attachment; filename="{_file_name(attempt, suffix)}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


@router.post("/case/download", response_class=Response, name="web.clinician_case_download")
async def case_download(request: Request) -> Response:
    """The report of the posted case as an attachment (``format``: html, markdown or json)."""
    form = await _read_form(request)
    return await run_heavy(request, _downloaded, request, await _case_form(form), str(form.get("format") or ""))


def _downloaded(request: Request, form: CaseForm, fmt: str) -> Response:
    attempt = read_case(form)
    if fmt not in DOWNLOADS:
        attempt.problems.append(
            ErrorItem(field="format", value=fmt, allowed=", ".join(DOWNLOADS), message="unknown download format")
        )
    response = None if attempt.problems else _download(attempt, fmt)
    return response or page_for(request, attempt)
