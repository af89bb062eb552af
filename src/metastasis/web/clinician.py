"""Pages for clinicians: calculators for every score and staging, PREDICT, the case report, simulations.

``/clinician`` is the index of every tool; the pages themselves live in ``clinician_calculators`` (one page per
catalogued operation), ``clinician_simulations`` (spread, cascade, bone, with their plots) and ``clinician_case``
(the whole-case report).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metastasis.web import clinician_calculators, clinician_case, clinician_simulations
from metastasis.web.clinician_results import clinician_page
from metastasis.web.clinician_tools import index_sections

router = APIRouter(prefix="/clinician", include_in_schema=False)


@router.get("", response_class=HTMLResponse, name="web.clinician_home")
def clinician_home(request: Request) -> HTMLResponse:
    """The clinician entrance: every tool, grouped."""
    return clinician_page(request, "clinician/home.html", sections=index_sections())


for _module in (clinician_calculators, clinician_simulations, clinician_case):
    router.include_router(_module.router)
