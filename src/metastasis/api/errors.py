"""One error policy for the API and the web app.

* Bad input (the library's :class:`InvalidInputError`, a case with problems, or a request that does not fit
  its model) answers **422** with, for each problem, the field, the bad value and what is allowed.
* Unknown pages answer 404; a wrong method 405.
* Anything unexpected answers **500** with a request id and no stack trace; the log line carries the same id.

API paths (``/api/...``) answer JSON (:class:`ErrorBody`); web pages answer an HTML page in the site layout.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException

from metastasis.api.logs import logger, where
from metastasis.domain.problems import CaseValidationError
from metastasis.errors import InvalidInputError

API_PREFIX = "/api/"


class ErrorItem(BaseModel):
    """One problem with a request."""

    field: str = Field(description="The offending input: a parameter name or a JSON path ('$.labs[0].unit').")
    value: Any = Field(default=None, description="The value given (null when the field was missing).")
    allowed: str | None = Field(default=None, description="What is allowed there.")
    message: str = Field(description="The problem in one line.")


class ErrorBody(BaseModel):
    """The body of every error response."""

    detail: list[ErrorItem]
    request_id: str = Field(description="Quote this id when reporting a problem; the server log carries it.")


def request_id_of(request: Request) -> str:
    return getattr(request.state, "request_id", "unknown")


def _safe(value: Any) -> Any:
    return value if isinstance(value, str | int | float | bool | None) else repr(value)


def items_from_invalid_input(exc: InvalidInputError) -> list[ErrorItem]:
    """The problems carried by a library error (every problem of a case; else the one field)."""
    if isinstance(exc, CaseValidationError):
        return [
            ErrorItem(field=p.path, value=_safe(p.value), allowed=p.allowed, message=p.message) for p in exc.problems
        ]
    return [ErrorItem(field=exc.field, value=_safe(exc.value), allowed=exc.allowed, message=str(exc))]


def _allowed_from_pydantic(error: dict[str, Any]) -> str | None:
    context = error.get("ctx") or {}
    if "expected" in context:
        return str(context["expected"])
    bounds = [
        f"{word} {context[key]}"
        for key, word in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))
        if key in context
    ]
    if bounds:
        return "a number " + " and ".join(bounds)
    kind = error.get("type", "")
    if kind == "missing":
        return "a value (this field is required)"
    if kind == "extra_forbidden":
        return "no such field: see the request schema at /docs"
    if kind.startswith(("int_", "float_")):
        return "a number" if kind.startswith("float_") else "a whole number"
    if kind.startswith("bool_"):
        return "true or false"
    if kind.startswith("string_"):
        return "text"
    return None


def items_from_validation(errors: Sequence[dict[str, Any]]) -> list[ErrorItem]:
    """Pydantic's errors as field / value / allowed (the body's own location prefix dropped)."""
    items = []
    for error in errors:
        if error.get("type") == "json_invalid":
            detail = (error.get("ctx") or {}).get("error", "not JSON")
            message = f"the body is not valid JSON ({detail})"
            items.append(ErrorItem(field="body", allowed="a JSON object of the request fields", message=message))
            continue
        location = [str(part) for part in error.get("loc", ()) if part != "body"]
        value = None if error.get("type") == "missing" else _safe(error.get("input"))
        items.append(
            ErrorItem(
                field=".".join(location) or "body",
                value=value,
                allowed=_allowed_from_pydantic(error),
                message=str(error.get("msg", "invalid value")),
            )
        )
    return items


HtmlErrorPage = Callable[[Request, int, str, list[ErrorItem]], Response]


class ErrorResponder:
    """Answers an error as JSON on API paths and as an HTML page (``html_page``) elsewhere."""

    def __init__(self, html_page: HtmlErrorPage):
        self.html_page = html_page

    def __call__(self, request: Request, status: int, title: str, items: list[ErrorItem]) -> Response:
        rid = request_id_of(request)
        if request.url.path.startswith(API_PREFIX):
            body = ErrorBody(detail=items, request_id=rid).model_dump(mode="json")
            return JSONResponse(body, status_code=status, headers={"X-Request-ID": rid})
        response = self.html_page(request, status, title, items)
        response.headers["X-Request-ID"] = rid
        return response

    def unexpected(self, request: Request, exc: Exception) -> Response:
        """500 with the request id; the log names the exception type and code location, not its message."""
        rid = request_id_of(request)
        logger.error("unexpected error", extra={"request_id": rid, "error": type(exc).__name__, "where": where(exc)})
        message = f"Something went wrong on our side. Please quote request id {rid}."
        return self(request, 500, "Something went wrong", [ErrorItem(field="server", message=message)])


def install_error_handlers(app: FastAPI, respond: ErrorResponder) -> None:
    """Register the handlers for bad input (422) and HTTP errors (404, 405); see ``RequestContext`` for 500."""

    @app.exception_handler(InvalidInputError)
    async def invalid_input(request: Request, exc: InvalidInputError) -> Response:
        return respond(request, 422, "Please check what was entered", items_from_invalid_input(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        return respond(request, 422, "Please check what was entered", items_from_validation(exc.errors()))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        field = "path" if exc.status_code == 404 else "method" if exc.status_code == 405 else "request"
        message = str(exc.detail)
        response = respond(request, exc.status_code, message, [ErrorItem(field=field, message=message)])
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
