"""Pages for clinicians: calculators for every score and staging, PREDICT, the case report, simulations."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metastasis.web.templating import page

router = APIRouter(prefix="/clinician", include_in_schema=False)


@router.get("", response_class=HTMLResponse, name="web.clinician_home")
def clinician_home(request: Request) -> HTMLResponse:
    """The clinician entrance."""
    return page(request, "clinician/home.html", section="clinician")
