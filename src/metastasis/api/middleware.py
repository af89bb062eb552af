"""Per-request context: a request id, one structured log line, and a 500 (never a stack trace) on failure."""

from __future__ import annotations

import re
import time
import uuid

from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from metastasis.api.errors import ErrorResponder
from metastasis.api.logs import logger

#: A caller's own request id is kept when it looks like an id (so it cannot inject text into the logs).
_CALLER_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestContext(BaseHTTPMiddleware):
    """Gives each request an id (the caller's ``X-Request-ID`` when well-formed), logs it, and answers 500 for
    anything unexpected."""

    def __init__(self, app: ASGIApp, respond: ErrorResponder):
        super().__init__(app)
        self.respond = respond

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        given = request.headers.get("x-request-id", "")
        request.state.request_id = given if _CALLER_ID.match(given) else uuid.uuid4().hex
        started = time.perf_counter()
        try:
            response = await call_next(request)
        except Exception as exc:  # the one place that turns any failure into a clean 500
            response = self.respond.unexpected(request, exc)
        response.headers["X-Request-ID"] = request.state.request_id
        route = request.scope.get("route")
        logger.info(
            "request",
            extra={
                "request_id": request.state.request_id,
                "method": request.method,
                "route": getattr(route, "path", "unmatched"),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            },
        )
        return response
