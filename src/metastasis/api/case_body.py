"""Reading a case from a request body: JSON or YAML, by the Content-Type, with bounded size and depth.

A case is read by hand rather than by a FastAPI model so that :func:`metastasis.domain.validate_case` sees the
raw data and can report every problem with its JSON path (a model would stop at the first structural error).
Every way a body can be unreadable raises :class:`InvalidInputError` (answered 422), never a 500.
"""

from __future__ import annotations

import email.message
from typing import Any

from starlette.requests import Request

from metastasis.domain.io import Format, parse_text
from metastasis.errors import InvalidInputError

#: Media types read as YAML (no registered type existed until RFC 9512's application/yaml; the others are common).
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
#: What a case body may be sent as.
CASE_MEDIA = "application/json or application/yaml"
#: Most values (objects, lists and scalars, counted through YAML aliases) a case may hold; real cases hold a few
#: hundred. Counting stops at the limit, so a YAML alias bomb is refused before anything walks it.
MAX_CASE_NODES = 20_000
#: Deepest nesting a case may have; the schema itself nests five levels.
MAX_CASE_DEPTH = 32
CASE_ALLOWED = "a case as a JSON object or YAML mapping (schema: GET /api/v1/case/schema)"


def json_type(data: Any) -> str:
    """The JSON name of a parsed value's type (``array`` for a list, ``null`` for None)."""
    if data is None:
        return "null"
    names = {dict: "object", list: "array", str: "string", bool: "boolean", int: "number", float: "number"}
    return names.get(type(data), type(data).__name__)


def body_format(content_type: str | None) -> Format:
    """``json`` or ``yaml`` from a Content-Type header; anything else is refused naming the header."""
    message = email.message.Message()
    message["content-type"] = content_type or ""
    media = message.get_content_type() if content_type else ""
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return "json"
    if media in YAML_TYPES:
        return "yaml"
    raise InvalidInputError(
        "Content-Type", content_type, CASE_MEDIA, detail="the case must be sent as JSON or YAML with its media type"
    )


def measure(data: Any, limit: int = MAX_CASE_NODES) -> tuple[int, int]:
    """How many values parsed data holds (shared, aliased values counted each time) and how deep they nest.

    Counting stops just past ``limit`` values, so the walk stays cheap for any input.

    Examples
    --------
    >>> measure({"labs": [{"value": 2.9}]})
    (4, 4)
    """
    seen, deepest, stack = 0, 0, [(data, 1)]
    while stack and seen <= limit:
        item, depth = stack.pop()
        seen, deepest = seen + 1, max(deepest, depth)
        if isinstance(item, dict):
            stack.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list | tuple | set):
            stack.extend((value, depth + 1) for value in item)
    return seen, deepest


def parse_case_body(raw: bytes, content_type: str | None) -> Any:
    """The plain data of a case body (not yet validated).

    Raises
    ------
    InvalidInputError
        For a missing or unsupported Content-Type, an empty body, text that is not UTF-8, JSON or YAML that
        does not parse (with its line), or data with more than :data:`MAX_CASE_NODES` values.
    """
    fmt = body_format(content_type)
    if not raw.strip():
        raise InvalidInputError("body", None, CASE_ALLOWED, detail="the request has no body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("body", f"byte {exc.start}", "UTF-8 text", detail="not UTF-8") from None
    try:
        data = parse_text(text, fmt=fmt, source="body")
    except InvalidInputError:
        raise
    except (ValueError, RecursionError) as exc:  # a number too long to read, or nesting too deep for the parser
        raise InvalidInputError("body", type(exc).__name__, CASE_ALLOWED, detail=f"not readable as {fmt}") from None
    nodes, depth = measure(data)
    if nodes > MAX_CASE_NODES or depth > MAX_CASE_DEPTH:
        raise InvalidInputError(
            "body",
            f"{nodes} values nested {depth} deep",
            f"at most {MAX_CASE_NODES} values nested at most {MAX_CASE_DEPTH} deep",
        )
    return data


async def read_case_body(request: Request) -> Any:
    """The plain data of the case in a request's body (see :func:`parse_case_body`)."""
    content_type = request.headers.get("content-type")
    body_format(content_type)  # refuse before reading a body that cannot be used
    return parse_case_body(await request.body(), content_type)
