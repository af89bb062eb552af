"""One error policy for the API and the web app.

* Bad input (the library's :class:`InvalidInputError`, a case with problems, or a request that does not fit
  its model: wrong type, out of range, missing, unknown field, malformed JSON, a body that is not a JSON
  object, the wrong content type, an empty body) answers **422** with, for each problem, the field, the bad
  value and what is allowed.
* Unknown pages (and unknown ids in a path) answer 404; a wrong method 405; a body over the size limit 413.
* Anything unexpected answers **500** with a request id and no stack trace; the log line carries the same id.

API paths (``/api/...``) answer JSON (:class:`ErrorBody`); web pages answer an HTML page in the site layout.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field, field_validator
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from metastasis.api.logs import logger, where
from metastasis.domain.problems import CaseValidationError, Severity
from metastasis.errors import InvalidInputError
from metastasis.store.errors import (
    AccessDenied,
    AuthenticationError,
    RecordNotFound,
    SchemaOutOfDateError,
    StaleVersionError,
    StoreError,
)

API_PREFIX = "/api/"
#: Problems of one case listed in an error answer (the answer stays small whatever the case).
MAX_LISTED_PROBLEMS = 100
#: Longest rendering of a bad value echoed back in an error (a huge body is not sent back whole).
MAX_ECHO_CHARS = 200
#: What a request body must be, said once for every body-level problem.
JSON_OBJECT = "a JSON object of the request fields, sent with Content-Type: application/json"
_JSON_TYPES = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
_NOT_AN_OBJECT = {"model_attributes_type", "model_type", "dict_type"}
_LOCATIONS = {"body", "query", "path", "header", "cookie"}


class ErrorItem(BaseModel):
    """One problem with a request."""

    field: str = Field(description="The offending input: a parameter name or a JSON path ('$.labs[0].unit').")
    value: Any = Field(default=None, description="The value given (null when the field was missing).")
    allowed: str | None = Field(default=None, description="What is allowed there.")
    message: str = Field(description="The problem in one line.")

    @field_validator("field", "allowed", "message")
    @classmethod
    def _writable(cls, text: str | None) -> str | None:
        """Text that can be written as UTF-8 (a lone surrogate from the request is shown as ``\\ud800``)."""
        return None if text is None else _encodable(text)

    @field_validator("value")
    @classmethod
    def _writable_value(cls, value: Any) -> Any:
        """The value as :func:`_safe` shows it: JSON-safe, short, writable as UTF-8."""
        return _safe(value)


class ErrorBody(BaseModel):
    """The body of every error response."""

    detail: list[ErrorItem]
    request_id: str = Field(description="Quote this id when reporting a problem; the server log carries it.")


#: The error answers documented on every API route (OpenAPI ``responses``).
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorBody, "description": "Invalid input: the field, the value given and what is allowed."},
    500: {"model": ErrorBody, "description": "Unexpected error: quote the request id."},
}


class ApiError(HTTPException):
    """An HTTP error (404 for an unknown id, 413 for a body too large) carrying its problems as error items."""

    def __init__(self, status_code: int, items: list[ErrorItem]):
        super().__init__(status_code, detail=items[0].message)
        self.items = items


def request_id_of(request: Request) -> str:
    """The id the request context gave this request (``unknown`` outside it)."""
    return getattr(request.state, "request_id", "unknown")


def _encodable(text: str) -> str:
    """``text`` with any lone surrogate escaped (``\\ud800``), so that the answer can be written as UTF-8."""
    return text if text.isascii() else text.encode("utf-8", "backslashreplace").decode("utf-8")


def _safe(value: Any) -> Any:
    """A JSON-safe, short rendering of a bad value: NaN and infinities as text, long values truncated, lone
    surrogates escaped."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        if abs(value) < 10**MAX_ECHO_CHARS:
            return value
        return f"a number of about {int(value.bit_length() * math.log10(2)) + 1} digits"  # str() refuses > 4300
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = _encodable(value if isinstance(value, str) else _json_text(value))
    if len(text) > MAX_ECHO_CHARS:
        return text[: MAX_ECHO_CHARS - 1] + "…"
    return text if isinstance(value, str) else _plain(value)


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, default=repr)
    except ValueError:  # an integer too long to print, somewhere inside
        return f"a {type(value).__name__} holding a value too long to show"


def _plain(value: Any) -> Any:
    """Containers of JSON values as they are; anything else as its ``repr``."""
    if isinstance(value, list | tuple):
        return [_safe(item) for item in value]
    if isinstance(value, dict):
        return {_encodable(str(key)): _safe(item) for key, item in value.items()}
    return _encodable(repr(value))


def items_from_invalid_input(exc: InvalidInputError) -> list[ErrorItem]:
    """The problems carried by a library error (every problem of a case, warnings marked; else the one field)."""
    if isinstance(exc, CaseValidationError):
        ranked = sorted(exc.problems, key=lambda p: p.severity is Severity.WARNING)  # errors first, order kept
        items = [
            ErrorItem(
                field=p.path,
                value=_safe(p.value),
                allowed=p.allowed,
                message=p.message + (" (warning)" if p.severity is Severity.WARNING else ""),
            )
            for p in ranked[:MAX_LISTED_PROBLEMS]
        ]
        if len(ranked) > MAX_LISTED_PROBLEMS:
            more = len(ranked) - MAX_LISTED_PROBLEMS
            items.append(ErrorItem(field="$", message=f"{more} more problems not listed: fix these and send again"))
        return items
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
    if kind == "finite_number":
        return "a finite number (not NaN or Infinity)"
    if kind.startswith(("int_", "float_")):
        return "a number" if kind.startswith("float_") else "a whole number"
    if kind.startswith("bool_"):
        return "true or false"
    if kind.startswith("string_"):
        return "text"
    if kind.startswith("list_"):
        return "a list (JSON array)"
    if kind in _NOT_AN_OBJECT:
        return "a JSON object"
    return None


def _body_problem(error: dict[str, Any], content_type: str | None) -> ErrorItem | None:
    """The problem with the body as a whole (empty, not JSON, not an object, wrong content type), if any."""
    kind, location = error.get("type"), tuple(error.get("loc", ()))
    if kind == "json_invalid":
        detail = (error.get("ctx") or {}).get("error", "not JSON")
        return ErrorItem(field="body", allowed=JSON_OBJECT, message=f"the body is not valid JSON ({detail})")
    if location != ("body",):
        return None
    given = error.get("input")
    if kind == "missing":
        return ErrorItem(field="body", allowed=JSON_OBJECT, message="the request has no body")
    if isinstance(given, bytes):  # FastAPI passes the raw bytes on when the content type is not JSON
        return ErrorItem(
            field="Content-Type",
            value=content_type,
            allowed="application/json",
            message=f"the body must be sent as JSON (Content-Type: application/json), not {content_type or 'untyped'}",
        )
    if kind in _NOT_AN_OBJECT:
        kind_of = "null" if given is None else _JSON_TYPES.get(type(given), type(given).__name__)
        return ErrorItem(
            field="body", value=kind_of, allowed=JSON_OBJECT, message=f"the body must be a JSON object, not {kind_of}"
        )
    return None


def _message(error: dict[str, Any]) -> str:
    """Pydantic's message, less the "Value error, " it puts before an exception raised by a validator."""
    raised = (error.get("ctx") or {}).get("error")
    if error.get("type") in ("value_error", "assertion_error") and isinstance(raised, Exception):
        return str(raised) or "invalid value"
    return str(error.get("msg", "invalid value"))


def items_from_validation(errors: Sequence[dict[str, Any]], *, content_type: str | None = None) -> list[ErrorItem]:
    """Pydantic's errors as field / value / allowed (location prefixes such as ``body`` dropped).

    ``content_type`` is the request's, named when the body was not sent as JSON.
    """
    items = []
    for error in errors:
        whole = _body_problem(error, content_type)
        if whole is not None:
            items.append(whole)
            continue
        location = [str(part) for part in error.get("loc", ()) if part not in _LOCATIONS]
        value = None if error.get("type") == "missing" else _safe(error.get("input"))
        items.append(
            ErrorItem(
                field=".".join(location) or "body",
                value=value,
                allowed=_allowed_from_pydantic(error),
                message=_message(error),
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

    @staticmethod
    def log_unexpected(request_id: str, exc: Exception) -> None:
        """Log an unexpected error by type and code location only (its message may quote input values)."""
        logger.error(
            "unexpected error", extra={"request_id": request_id, "error": type(exc).__name__, "where": where(exc)}
        )

    def unexpected(self, request: Request, exc: Exception) -> Response:
        """500 with the request id; the log names the exception type and code location, not its message."""
        rid = request_id_of(request)
        self.log_unexpected(rid, exc)
        message = f"Something went wrong on our side. Please quote request id {rid}."
        return self(request, 500, "Something went wrong", [ErrorItem(field="server", message=message)])


def _http_items(request: Request, exc: HTTPException) -> tuple[int, list[ErrorItem]]:
    """Status and problems of an HTTP error; a body FastAPI could not parse is bad input (422)."""
    if isinstance(exc, ApiError):
        return exc.status_code, exc.items
    message = str(exc.detail)
    if exc.status_code == 400:  # FastAPI's "error parsing the body": not UTF-8, or a number too long to read
        return 422, [ErrorItem(field="body", allowed=JSON_OBJECT, message=f"the body could not be read ({message})")]
    if exc.status_code == 413:
        return 413, [ErrorItem(field="body", allowed="a smaller body", message="the body is too large")]
    if exc.status_code == 404:
        allowed = "an endpoint listed at /docs" if request.url.path.startswith(API_PREFIX) else None
        return 404, [ErrorItem(field="path", value=_safe(request.url.path), allowed=allowed, message=message)]
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow")
        return 405, [ErrorItem(field="method", value=request.method, allowed=allowed, message=message)]
    return exc.status_code, [ErrorItem(field="request", message=message)]


def items_from_store_error(exc: StoreError) -> tuple[int, list[ErrorItem], dict[str, str]]:
    """Status, problems and headers of a case-store error (the message is the store's own, never a class name).

    ===================== ====== ================================================================================
    error                 status answer
    ===================== ====== ================================================================================
    AuthenticationError   401    field ``Authorization``; ``WWW-Authenticate: Bearer`` on API paths
    AccessDenied          403    field ``role``: only some roles may do this (creating, the audit trail)
    RecordNotFound        404    field ``case_id``: no such record, or one the caller may not see (the same answer)
    StaleVersionError     409    field ``If-Match``: the version given and the current one (also the ``ETag``)
    SchemaOutOfDateError  503    field ``server``: the one-line instruction ``run `metastasis db upgrade```
    ===================== ====== ================================================================================
    """
    if isinstance(exc, AuthenticationError):
        allowed = "a correct email and password, or a valid bearer token"
        return 401, [ErrorItem(field="Authorization", allowed=allowed, message=str(exc))], {}
    if isinstance(exc, AccessDenied):
        return 403, [ErrorItem(field="role", allowed="a role that may do this", message=str(exc))], {}
    if isinstance(exc, RecordNotFound):
        shown = exc.record_id if isinstance(exc.record_id, int) else None
        item = ErrorItem(field="case_id", value=shown, allowed="the id of a case record you may see", message=str(exc))
        return 404, [item], {}
    if isinstance(exc, StaleVersionError):
        message = f"the case record is at version {exc.current}, not {exc.base_version}: reload it and retry"
        allowed = f'"{exc.current}" (the current version)'
        item = ErrorItem(field="If-Match", value=f'"{exc.base_version}"', allowed=allowed, message=message)
        return 409, [item], {"ETag": f'"{exc.current}"'}
    if isinstance(exc, SchemaOutOfDateError):
        return 503, [ErrorItem(field="server", allowed="an upgraded database", message=str(exc))], {}
    return 500, [ErrorItem(field="server", message="the case store could not complete the request")], {}


def install_error_handlers(app: FastAPI, respond: ErrorResponder) -> None:
    """Register the handlers for bad input (422), the case store's errors (401, 403, 404, 409, 503) and HTTP errors
    (404, 405, 413); see ``RequestContext`` for 500."""

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Response:
        status, items, headers = items_from_store_error(exc)
        if status == 401 and request.url.path.startswith(API_PREFIX):
            headers = {**headers, "WWW-Authenticate": 'Bearer realm="metastasis"'}
        response = respond(request, status, items[0].message, items)
        response.headers.update(headers)
        return response

    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, exc: OperationalError) -> Response:
        # a database that cannot be reached, or a writer that waited past the busy timeout: try again later
        respond.log_unexpected(request_id_of(request), exc)
        message = "the case store is busy or cannot be reached; try again in a moment"
        response = respond(request, 503, message, [ErrorItem(field="server", allowed="a retry", message=message)])
        response.headers["Retry-After"] = "5"
        return response

    @app.exception_handler(InvalidInputError)
    async def invalid_input(request: Request, exc: InvalidInputError) -> Response:
        return respond(request, 422, "Please check what was entered", items_from_invalid_input(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        items = items_from_validation(exc.errors(), content_type=request.headers.get("content-type"))
        return respond(request, 422, "Please check what was entered", items)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        status, items = _http_items(request, exc)
        response = respond(request, status, items[0].message, items)
        for name, value in (exc.headers or {}).items():
            response.headers[name] = value
        return response
