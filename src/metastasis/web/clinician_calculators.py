"""Calculator pages: one page per catalogued operation (staging, every score, calcium, performance status, triage,
treatment options and patterns, PREDICT, NPI, CTS5, late recurrence, statistics) at ``/clinician/calc/<name>``.

The form is the operation's request model presented by its page spec; a post runs the same operation the API
serves and shows the library's result with its reasons, caveats and sources. The same inputs as query parameters
(``GET /clinician/calc/scores_mirels?site=lower_limb&...``) render the same result, so a result can be bookmarked,
shared and pasted into the notes as a link.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import ImmutableMultiDict
from starlette.exceptions import HTTPException

from metastasis.api.catalogue import operation
from metastasis.api.operations import Operation
from metastasis.errors import InvalidInputError
from metastasis.web.clinician_forms import (
    field_groups,
    fields_for,
    has_inputs,
    problem_summary,
    problems_by_field,
    request_values,
    run_form,
)
from metastasis.web.clinician_results import clinician_page, figures_for, notes_text
from metastasis.web.clinician_specs import PERFORMANCE_MAPPINGS
from metastasis.web.clinician_tools import calculators, related_tools, summary_of, title_of
from metastasis.web.forms import Submission
from metastasis.web.templating import path_for

router = APIRouter(include_in_schema=False)


def _calculator(name: str) -> Operation:
    found = calculators().get(name)
    if found is None:
        raise HTTPException(404, f"There is no calculator named {name!r}; see the list of clinician tools.")
    return found


def result_query(op: Operation, given: ImmutableMultiDict) -> str:
    """The query string that reproduces a result: the inputs given, empty ones left out, TNM prefixes joined."""
    values = request_values(op, given)
    names = set(op.request_model.model_fields)
    return urlencode([(k, str(v)) for k, v in values.multi_items() if k in names and str(v).strip()])


#: A description page also shows the other scale under every published correspondence (one page for both scales).
COMPANIONS = {
    "performance_ecog": ("grade", tuple(f"performance_ecog_to_kps_{m}" for m in PERFORMANCE_MAPPINGS)),
    "performance_karnofsky": ("score", tuple(f"performance_kps_to_ecog_{m}" for m in PERFORMANCE_MAPPINGS)),
}


def companions(op: Operation, result: Any) -> list[tuple[str, Any]]:
    """The correspondences shown beside a performance-status description: (title, result or the reason it has
    none, such as a value the published table does not cover)."""
    if op.name not in COMPANIONS or result is None:
        return []
    name, others = COMPANIONS[op.name]
    found: list[tuple[str, Any]] = []
    for other in others:
        companion = operation(other)
        request = companion.request_model.model_validate({name: result.value})
        try:
            found.append((title_of(companion), companion.run(request)))
        except InvalidInputError:
            found.append((title_of(companion), "not covered by this published table"))
    return found


def _page(
    request: Request, op: Operation, submission: Submission | None = None, given: ImmutableMultiDict | None = None
) -> HTMLResponse:
    controls = fields_for(op, submission.values if submission else None)
    problems = submission.problems if submission else None
    result = submission.result if submission else None
    path = path_for(request, "web.clinician_calc", name=op.name)
    link = notes = None
    if result is not None and given is not None:
        link = f"{path}?{result_query(op, given)}"
        notes = notes_text(title_of(op), controls, result, link)
    return clinician_page(
        request,
        "clinician/calculator.html",
        status_code=422 if problems else 200,
        title=title_of(op),
        summary=summary_of(op),
        action=path_for(request, "web.clinician_calc_submit", name=op.name),
        fields=controls,
        groups=field_groups(op, controls),
        labels={f.name: f.label for f in controls},
        problems=problems_by_field(problems, controls),
        items=problem_summary(problems, controls),
        result=result,
        figures=figures_for(result) if result is not None else [],
        side_panel=True,
        link=link,
        notes=notes,
        related=related_tools(op.name),
        companions=companions(op, result),
        current_path=path,
    )


def _run_page(request: Request, op: Operation, given: ImmutableMultiDict) -> HTMLResponse:
    return _page(request, op, run_form(op, given), given)


@router.get("/calc/{name}", response_class=HTMLResponse, name="web.clinician_calc")
async def calculator(request: Request, name: str) -> HTMLResponse:
    """A calculator's form; with its inputs as query parameters, the result too (a shareable link)."""
    op = _calculator(name)
    if has_inputs(op, request.query_params):
        return await run_in_threadpool(_run_page, request, op, request.query_params)
    return await run_in_threadpool(_page, request, op)


@router.post("/calc/{name}", response_class=HTMLResponse, name="web.clinician_calc_submit")
async def calculator_submit(request: Request, name: str) -> HTMLResponse:
    """Run the posted form; 422 with the problems next to the fields and the values kept."""
    op = _calculator(name)
    form = await request.form()
    return await run_in_threadpool(_run_page, request, op, form)
