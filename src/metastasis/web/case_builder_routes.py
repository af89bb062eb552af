"""The case builder's pages: a form that builds a case step by step, checks it as you go, saves it and opens its
report.

Without JavaScript every button posts the whole form and the page comes back with the change made (one more
row, a row removed, the problems shown at their controls). With htmx the same buttons swap the builder in place,
and each change posts the form to ``/clinician/case/new/check``, whose answer updates every control's problem
(out-of-band swaps) and the status line, without touching what is being typed.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from metastasis.api.workers import run_heavy
from metastasis.domain import Case
from metastasis.web.case_builder import BuilderState, Checked, add_row, check, dom_id, read_form, remove_row, state_of
from metastasis.web.case_builder_spec import MAX_ROWS, SECTIONS, all_units
from metastasis.web.clinician_results import clinician_page
from metastasis.web.templating import path_for, templates

router = APIRouter(include_in_schema=False)

#: Case file formats the builder saves: format -> (media type, file suffix).
SAVE_FORMATS: dict[str, tuple[str, str]] = {
    "yaml": ("application/yaml; charset=utf-8", "yaml"),
    "json": ("application/json", "json"),
}
MAX_BUILDER_FIELDS = 3_000
"""Most form fields one builder post may carry (every list at its largest fits)."""


def save_built_case(case: Case, fmt: str) -> Response:
    """A built case as a download of the case file (signed in, the builder's "Save to records" stores it instead:
    :func:`metastasis.web.records_list.save_to_records`).

    Parameters
    ----------
    case:
        The valid case the builder made.
    fmt:
        ``yaml`` or ``json`` (:data:`SAVE_FORMATS`).

    Returns
    -------
    Response
        The case file as an attachment named after the case's label (``case.yaml`` without one).

    Example
    -------
    >>> from metastasis.examples.cases import load_example_case
    >>> save_built_case(load_example_case("hypercalcaemia"), "json").headers["content-disposition"]
    'attachment; filename="hypercalcaemia.json"'
    """
    media_type, suffix = SAVE_FORMATS[fmt]
    content = case.to_yaml() if fmt == "yaml" else case.to_json()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", case.id or "case").strip("-") or "case"
    disposition = f'attachment; filename="{stem}.{suffix}"'
    return Response(content, media_type=media_type, headers={"Content-Disposition": disposition})


def _context(request: Request, state: BuilderState, checked: Checked | None) -> dict[str, Any]:
    from metastasis.examples.cases import example_case_names
    from metastasis.web.session import COOKIE, read_session

    # Signed in as a clinician: the builder can also save to the records (the store opens only for a session).
    session = read_session(request) if request.cookies.get(COOKIE) else None
    return {
        "records_session": session if session is not None and not session.is_patient else None,
        "title": "Build a case",
        "sections": SECTIONS,
        "state": state,
        "checked": checked,
        "dom_id": dom_id,
        "units": all_units(),
        "max_rows": MAX_ROWS,
        "examples": example_case_names(),
        "action": path_for(request, "web.case_builder_submit"),
        "check_action": path_for(request, "web.case_builder_check"),
        "here": path_for(request, "web.case_builder"),
        "case_page": path_for(request, "web.clinician_case"),
    }


def _builder(request: Request, state: BuilderState, checked: Checked | None, status: int = 200) -> HTMLResponse:
    return clinician_page(
        request, "clinician/case_builder.html", status_code=status, **_context(request, state, checked)
    )


@router.get("/case/new", response_class=HTMLResponse, name="web.case_builder")
def builder(request: Request, example: str = "") -> HTMLResponse:
    """The empty builder, or one filled with a bundled example (``?example=NAME``)."""
    from metastasis.errors import InvalidInputError
    from metastasis.examples.cases import load_example_case

    if not example:
        return _builder(request, BuilderState(), None)
    try:
        state = state_of(load_example_case(example))
    except InvalidInputError:
        return _builder(request, BuilderState(), None, status=404)
    return _builder(request, state, None)


async def _form(request: Request) -> FormData:
    from metastasis.web.clinician_case import refuse_large_body

    refuse_large_body(request)
    return await request.form(max_files=0, max_fields=MAX_BUILDER_FIELDS)


@router.post("/case/new", response_class=HTMLResponse, name="web.case_builder_submit")
async def builder_submit(request: Request) -> Response:
    """One step of the builder: ``action`` adds or removes a row, checks, saves (yaml, json) or opens the report."""
    form = await _form(request)
    return await run_heavy(request, _step, request, form)


def _step(request: Request, form: FormData) -> Response:
    state = read_form(form)
    action = str(form.get("action") or "check")
    verb, _, target = action.partition(":")
    if verb == "add":
        add_row(state, target)
        return _builder(request, state, check(state))  # the problems stay in view while the form grows
    if verb == "remove":
        key, _, row = target.rpartition(".")
        remove_row(state, key, int(row) if row.isdigit() else -1)
        return _builder(request, state, check(state))
    checked = check(state)
    if checked.case is None:
        return _builder(request, state, checked, status=422)
    if verb == "save" and target == "records":
        from metastasis.web.records_list import save_to_records

        return save_to_records(request, form, checked.case)
    if verb == "save" and target in SAVE_FORMATS:
        return save_built_case(checked.case, target)
    if verb == "report":
        return _report(request, checked.case, str(form.get("audience") or "clinician"))
    return _builder(request, state, checked)


def _report(request: Request, case: Case, audience: str) -> HTMLResponse:
    from metastasis.web.clinician_case import page_for
    from metastasis.web.clinician_case_input import CaseForm, read_case

    return page_for(request, read_case(CaseForm(text=case.to_yaml(), audience=audience)))


@router.post("/case/new/check", response_class=HTMLResponse, name="web.case_builder_check")
async def builder_check(request: Request) -> HTMLResponse:
    """The problems of the form as it stands: the status line, and every control's problem out of band (htmx)."""
    form = await _form(request)
    return await run_heavy(request, _checked_fragment, request, form)


def _checked_fragment(request: Request, form: FormData) -> HTMLResponse:
    state = read_form(form)
    context = {"request": request, **_context(request, state, check(state))}
    html = templates.get_template("clinician/case_builder_check.html").render(context)
    return HTMLResponse(html)


@router.post("/case/edit", response_class=HTMLResponse, name="web.case_builder_load")
async def builder_load(request: Request) -> HTMLResponse:
    """Open a pasted case (``case_text``, JSON or YAML) in the builder; a case with errors stays on the case page."""
    from metastasis.web.clinician_case import _read_form

    form = await _read_form(request)
    return await run_heavy(request, _loaded, request, str(form.get("case_text") or ""))


def _loaded(request: Request, text: str) -> HTMLResponse:
    from metastasis.domain import validate_case
    from metastasis.domain.io import parse_text
    from metastasis.errors import InvalidInputError
    from metastasis.web.clinician_case import page_for
    from metastasis.web.clinician_case_input import CaseForm, read_case, sniff_format

    try:
        validation = validate_case(parse_text(text, fmt=sniff_format(text), source="case text"))
    except InvalidInputError:
        validation = None
    if validation is None or validation.case is None:
        return page_for(request, read_case(CaseForm(text=text)))  # the case page lists every problem
    state = state_of(validation.case)
    return _builder(request, state, check(state))
