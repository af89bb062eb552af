"""Site-wide pages: the start page with its two entrances."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from metastasis.web.templating import page

router = APIRouter(include_in_schema=False)


@router.get("/", response_class=HTMLResponse, name="web.home")
def home(request: Request) -> HTMLResponse:
    """The start page: the patient and clinician entrances."""
    return page(request, "home.html")
