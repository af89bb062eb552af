"""A deadline on reading request bodies, and clients that leave mid-request.

uvicorn times out idle keep-alive connections but not a body that trickles in: a client sending a byte a second
would hold its request open for as long as it liked. :class:`BodyDeadline` wraps ``receive`` so that the whole
body must arrive within ``METASTASIS_BODY_TIMEOUT`` seconds (default 20: a case file is a few kilobytes, the
largest body allowed 1 MB) of the request's start; after that the request answers **408** in the usual error
format with ``Connection: close``, so the server drops the connection.

A client that disconnects before its body is complete raises :class:`ClientGone` where the body is read. It is
answered as 499 (nginx's "client closed request"): nothing reaches the client, but the request's log line says
what happened, at info level, instead of an "unexpected error".
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Mapping

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from metastasis.api.errors import ApiError, ErrorItem
from metastasis.errors import InvalidInputError

TIMEOUT_VARIABLE = "METASTASIS_BODY_TIMEOUT"
#: Seconds from a request's start by which its whole body must have arrived.
DEFAULT_BODY_TIMEOUT = 20.0
#: Status logged for a request whose client left before sending its whole body (never sent).
CLIENT_CLOSED_REQUEST = 499


class BodyTooSlow(ApiError):
    """408: the body did not arrive in time."""

    def __init__(self, seconds: float):
        message = f"the request body did not arrive within {seconds:g} s"
        super().__init__(408, [ErrorItem(field="body", allowed=f"a body sent within {seconds:g} s", message=message)])
        self.headers = {"Connection": "close"}


class ClientGone(ApiError):
    """The client disconnected before its body was complete (logged as 499, never sent)."""

    def __init__(self) -> None:
        message = "the client disconnected before sending the whole body"
        super().__init__(CLIENT_CLOSED_REQUEST, [ErrorItem(field="body", message=message)])


def body_timeout(environ: Mapping[str, str] | None = None) -> float:
    """Seconds allowed for a body, from ``METASTASIS_BODY_TIMEOUT``.

    Raises
    ------
    InvalidInputError
        Naming the variable, for a value that is not a positive number of seconds.
    """
    environ = os.environ if environ is None else environ
    raw = environ.get(TIMEOUT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_BODY_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = float("nan")
    if not seconds > 0 or seconds == float("inf"):
        raise InvalidInputError(TIMEOUT_VARIABLE, raw, "a positive number of seconds")
    return seconds


class BodyDeadline:
    """ASGI middleware: 408 for a body not complete within ``seconds`` (:func:`body_timeout` when the app is
    built); :class:`ClientGone` on a disconnect."""

    def __init__(self, app: ASGIApp, seconds: float):
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds
        complete = False

        async def receive_in_time() -> Message:
            nonlocal complete
            if complete:  # after the body: only a disconnect can come, whenever it comes
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise BodyTooSlow(self.seconds) from None
            if message["type"] == "http.disconnect":
                raise ClientGone()
            complete = not message.get("more_body", False)
            return message

        await self.app(scope, receive_in_time, send)
