"""Pages for patients and families: plain language, what to do now, sources on every page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metastasis.web.templating import page

router = APIRouter(prefix="/patient", include_in_schema=False)


@router.get("", response_class=HTMLResponse, name="web.patient_home")
def patient_home(request: Request) -> HTMLResponse:
    """The patient entrance."""
    return page(request, "patient/home.html", section="patient")
