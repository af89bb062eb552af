"""The Jinja2 environment of the web app, with the site-wide globals every page needs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context

from metastasis import DISCLAIMER, __version__
from metastasis.api.errors import ErrorItem, request_id_of
from metastasis.evidence import get_source

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"


def path_for(request: Request, name: str, /, **params: Any) -> str:
    """The path of a named route (``/patient/stage``), never a full URL.

    Starlette's ``url_for`` builds ``http://HOST/...`` from the request's ``Host`` header, which the client
    chooses; a relative link cannot point anywhere else, and works behind any proxy.
    """
    router = request.scope.get("router") or request.app.router  # no router yet: an error answered by middleware
    return request.scope.get("root_path", "") + str(router.url_path_for(name, **params))


@pass_context
def _url_for(context: dict[str, Any], name: str, /, **params: Any) -> str:
    return path_for(context["request"], name, **params)


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals.update(disclaimer=DISCLAIMER, version=__version__, source=get_source, url_for=_url_for)
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def page(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template in the site layout (``section`` marks the entrance in the navigation)."""
    context.setdefault("section", None)
    context.setdefault("request_id", request_id_of(request))
    return templates.TemplateResponse(request, name, context, status_code=status_code)


def error_page(request: Request, status: int, title: str, items: list[ErrorItem]) -> HTMLResponse:
    """An error in the site layout (the API's error policy, for browsers)."""
    return page(request, "error.html", status_code=status, title=title, status=status, items=items)
