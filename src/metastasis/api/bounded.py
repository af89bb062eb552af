"""A bound on request bodies: every API route reads at most :data:`MAX_BODY_BYTES`.

A larger body answers 413 in the API's error format (field ``body``) without being read: at once when its
``Content-Length`` says so, else as soon as the streamed bytes pass the bound. (Starlette's own body limit
answers plain text, so the API uses this route class instead.)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from metastasis.api.errors import ApiError, ErrorBody, ErrorItem

#: Largest request body the API reads; a case file is a few kilobytes.
MAX_BODY_BYTES = 1_000_000
#: The 413 answer, documented on the routes that read a body.
TOO_LARGE: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorBody, "description": f"The body is larger than {MAX_BODY_BYTES:,} bytes."}
}


def too_large(size: str) -> ApiError:
    """413 naming the size given and the bound."""
    return ApiError(
        413,
        [
            ErrorItem(
                field="body",
                value=size,
                allowed=f"at most {MAX_BODY_BYTES:,} bytes",
                message=f"the body is larger than {MAX_BODY_BYTES:,} bytes",
            )
        ],
    )


class BoundedRequest(Request):
    """A request whose body is read only up to :data:`MAX_BODY_BYTES`."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
                raise too_large(f"{int(declared):,} bytes")
            chunks, size = [], 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > MAX_BODY_BYTES:
                    raise too_large(f"more than {MAX_BODY_BYTES:,} bytes")
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body


class BoundedRoute(APIRoute):
    """An API route that hands its endpoint a :class:`BoundedRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            return await handler(BoundedRequest(request.scope, request.receive))

        return bounded
