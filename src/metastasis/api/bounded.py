"""Bounds on request bodies: every API route reads at most :data:`MAX_BODY_BYTES`, and decodes JSON through the
library's bounded, strict parser guard.

A larger body answers 413 in the API's error format (field ``body``) without being read: at once when its
``Content-Length`` says so, else as soon as the streamed bytes pass the bound. (Starlette's own body limit
answers plain text, so the API uses this route class instead.)

FastAPI decodes every JSON body with ``request.json()``; :class:`BoundedRequest` decodes it with
:func:`metastasis.domain.reading.loads_json` instead, so that a duplicate key, a lone surrogate (``"\\ud800"``),
an integer too long to read or nesting too deep answers 422 naming the field, for every endpoint at once.
Text that is not JSON still reaches FastAPI as a ``JSONDecodeError`` (its ``json_invalid`` error).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response

from metastasis.api.errors import JSON_OBJECT, ApiError, ErrorBody, ErrorItem, items_from_invalid_input
from metastasis.domain.reading import loads_json
from metastasis.errors import InvalidInputError

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
    """A request whose body is read only up to :data:`MAX_BODY_BYTES` and decoded as strict, bounded JSON."""

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

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            raw = await self.body()
            try:
                text = raw.decode("utf-8-sig")  # a byte-order mark is allowed, as before
            except UnicodeDecodeError as exc:
                item = ErrorItem(
                    field="body", value=f"byte {exc.start}", allowed=JSON_OBJECT, message="the body is not UTF-8 text"
                )
                raise ApiError(422, [item]) from None
            try:
                self._json = loads_json(text, style="dotted", source="body")
            except InvalidInputError as exc:
                raise ApiError(422, items_from_invalid_input(exc)) from None
        return self._json


class BoundedRoute(APIRoute):
    """An API route that hands its endpoint a :class:`BoundedRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> Response:
            return await handler(BoundedRequest(request.scope, request.receive))

        return bounded
