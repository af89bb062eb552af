"""Simulation pages: spread over metastatic sites, the metastatic cascade and a bone lesion, with their plots.

Each page is the operation's form (sizes bounded by the catalogue's documented maxima, smaller defaults so a page
answers in about a second) and, after a post, the library's result with the figures the CLI saves, inline as
SVG. The bone page calls :func:`~metastasis.simulate.bone.simulate_lesion` through the same operation but keeps
the whole scenario (the API presents only its summary), because the plot needs the trajectories.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException

from metastasis.api.catalogue import operation
from metastasis.api.operations import Operation
from metastasis.api.workers import run_heavy
from metastasis.web.clinician_figures import InlineFigure, bone_figures, cascade_figures, spread_figures
from metastasis.web.clinician_forms import fields_for, number_text, problem_summary, problems_by_field, run_form
from metastasis.web.clinician_results import clinician_page
from metastasis.web.clinician_tools import summary_of, title_of
from metastasis.web.forms import FormField, Submission
from metastasis.web.templating import path_for

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Simulation:
    """One simulation page: the operation it serves, how to run it for the page, and its figures."""

    kind: str
    operation: Operation
    runner: Operation  # the operation as run for the page (may keep more than the API presents)
    shown: Callable[[Any], Any]  # what the page shows of the run (an Evidenced result)
    figures: Callable[[Any], list[InlineFigure]]


#: What each page does, in words for the page (the operations' docstrings name their parameters).
SUMMARIES = {
    "spread": "Where breast cancer spreads between organ sites in a Markov chain model: the exact chance of being "
    "at each site after each step, next to a simulated group of patients.",
    "cascade": "How many shed tumour cells get through each quantified step of the metastatic cascade to found a "
    "metastasis, exactly and by simulation.",
    "bone": "A bone lesion simulated untreated and with a bone-targeted drug started on a chosen day: bone cells, "
    "bone mass and tumour over time.",
}


def _same(result: Any) -> Any:
    return result


@cache
def simulations() -> dict[str, Simulation]:
    """The simulation pages by kind (``spread``, ``cascade``, ``bone``)."""
    spread, cascade, bone = (operation(f"simulate_{kind}") for kind in ("spread", "cascade", "bone"))
    whole_bone = dataclasses.replace(bone, present=None)  # same request model; keeps the LesionScenario
    return {
        "spread": Simulation("spread", spread, spread, _same, spread_figures),
        "cascade": Simulation("cascade", cascade, cascade, _same, cascade_figures),
        "bone": Simulation("bone", bone, whole_bone, lambda scenario: scenario.summary, bone_figures),
    }


def _simulation(kind: str) -> Simulation:
    found = simulations().get(kind)
    if found is None:
        raise HTTPException(404, f"There is no simulation named {kind!r}; see the list of clinician tools.")
    return found


def _run(sim: Simulation, form: Any) -> tuple[Submission, Any, list[InlineFigure]]:
    submission = run_form(sim.runner, form)
    if submission.result is None:
        return submission, None, []
    return submission, sim.shown(submission.result), sim.figures(submission.result)


def _bounds(op: Operation, fields: list[FormField]) -> list[tuple[str, str, str]]:
    """Each bounded size with its label and limits, for the notice above the form."""
    labels = {f.name: f.label for f in fields}
    return [(labels.get(name, name), number_text(lim.ge), number_text(lim.le)) for name, lim in op.limits.items()]


def _page(
    request: Request,
    sim: Simulation,
    submission: Submission | None = None,
    result: Any = None,
    figures: list[InlineFigure] | None = None,
) -> HTMLResponse:
    fields = fields_for(sim.operation, submission.values if submission else None)
    problems = submission.problems if submission else None
    return clinician_page(
        request,
        "clinician/simulation.html",
        status_code=422 if problems else 200,
        title=title_of(sim.operation),
        summary=SUMMARIES.get(sim.kind) or summary_of(sim.operation),
        bounds=_bounds(sim.operation, fields),
        action=path_for(request, "web.clinician_simulate_submit", kind=sim.kind),
        fields=fields,
        problems=problems_by_field(problems, fields),
        items=problem_summary(problems, fields),
        result=result,
        figures=figures or [],
    )


@router.get("/simulate/{kind}", response_class=HTMLResponse, name="web.clinician_simulate")
def simulation(request: Request, kind: str) -> HTMLResponse:
    """A simulation's form, with its bounds."""
    return _page(request, _simulation(kind))


@router.post("/simulate/{kind}", response_class=HTMLResponse, name="web.clinician_simulate_submit")
async def simulation_submit(request: Request, kind: str) -> HTMLResponse:
    """Run the simulation; 422 with the problem next to the field when a size is over its bound.

    The run, its figures and the page are rendered on the bounded worker pool (503 when it is full)."""
    sim = _simulation(kind)
    return await run_heavy(request, _submitted, request, sim, await request.form())


def _submitted(request: Request, sim: Simulation, form: FormData) -> HTMLResponse:
    return _page(request, sim, *_run(sim, form))
