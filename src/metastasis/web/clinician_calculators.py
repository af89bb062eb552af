"""Calculator pages: one page per catalogued operation (staging, every score, calcium, performance status, triage,
treatment options and patterns, PREDICT, NPI, CTS5, late recurrence, statistics) at ``/clinician/calc/<name>``.

The form is the operation's request model; a post runs the same operation the API serves and shows the library's
result with its reasons, caveats and sources (and the library's figures where it has them, as for PREDICT).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from metastasis.api.operations import Operation
from metastasis.web.clinician_forms import fields_for, problem_summary, problems_by_field, run_form
from metastasis.web.clinician_results import clinician_page, figures_for
from metastasis.web.clinician_tools import calculators, summary_of, title_of
from metastasis.web.forms import Submission
from metastasis.web.templating import path_for

router = APIRouter(include_in_schema=False)


def _calculator(name: str) -> Operation:
    found = calculators().get(name)
    if found is None:
        raise HTTPException(404, f"There is no calculator named {name!r}; see the list of clinician tools.")
    return found


def _page(request: Request, op: Operation, submission: Submission | None = None) -> HTMLResponse:
    fields = fields_for(op, submission.values if submission else None)
    problems = submission.problems if submission else None
    result = submission.result if submission else None
    return clinician_page(
        request,
        "clinician/calculator.html",
        status_code=422 if problems else 200,
        title=title_of(op),
        summary=summary_of(op),
        action=path_for(request, "web.clinician_calc_submit", name=op.name),
        fields=fields,
        problems=problems_by_field(problems, fields),
        items=problem_summary(problems, fields),
        result=result,
        figures=figures_for(result) if result is not None else [],
    )


@router.get("/calc/{name}", response_class=HTMLResponse, name="web.clinician_calc")
def calculator(request: Request, name: str) -> HTMLResponse:
    """A calculator's empty form."""
    return _page(request, _calculator(name))


@router.post("/calc/{name}", response_class=HTMLResponse, name="web.clinician_calc_submit")
async def calculator_submit(request: Request, name: str) -> HTMLResponse:
    """Run the posted form; 422 with the problems next to the fields and the values kept."""
    op = _calculator(name)
    form = await request.form()
    submission = await run_in_threadpool(run_form, op, form)
    return await run_in_threadpool(_page, request, op, submission)
