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


#: The longest search kept (a search box needs a few words; longer text is cut, so the work stays bounded).
MAX_QUERY = 80


@router.get("", response_class=HTMLResponse, name="web.clinician_home")
def clinician_home(request: Request, q: str = "") -> HTMLResponse:
    """The clinician entrance: every tool, grouped; ``?q=mir`` keeps the tools whose words match (the search box
    filters as you type with JavaScript, and submits this query without it)."""
    query = q.strip()[:MAX_QUERY]
    return clinician_page(request, "clinician/home.html", sections=index_sections(query), query=query)


for _module in (clinician_calculators, clinician_simulations, clinician_case):
    router.include_router(_module.router)
