"""Reading a case from a request body: JSON or YAML, by the Content-Type, through the library's bounded, strict
parser guard (:mod:`metastasis.domain.reading`: no YAML aliases, no duplicate keys, bounded size and depth).

A case is read by hand rather than by a FastAPI model so that :func:`metastasis.domain.validate_case` sees the
raw data and can report every problem with its JSON path (a model would stop at the first structural error).
Every way a body can be unreadable raises :class:`InvalidInputError` (answered 422), never a 500.
"""

from __future__ import annotations

import email.message
from typing import Any

from starlette.requests import Request

from metastasis.domain.io import Format, parse_text
from metastasis.domain.reading import MAX_DEPTH, MAX_VALUES
from metastasis.errors import InvalidInputError

#: Media types read as YAML (no registered type existed until RFC 9512's application/yaml; the others are common).
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})
#: What a case body may be sent as.
CASE_MEDIA = "application/json or application/yaml"
#: Most values (objects, lists and scalars) a case may hold; real cases hold a few hundred.
MAX_CASE_NODES = MAX_VALUES
#: Deepest nesting a case may have; the schema itself nests five levels.
MAX_CASE_DEPTH = MAX_DEPTH
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


def parse_case_body(raw: bytes, content_type: str | None) -> Any:
    """The plain data of a case body (not yet validated).

    Raises
    ------
    InvalidInputError
        For a missing or unsupported Content-Type, an empty body, text that is not UTF-8, JSON or YAML that
        does not parse (with its line), or data the parser guard refuses (a YAML alias, a duplicate key, a lone
        surrogate, an integer too long, more than :data:`MAX_CASE_NODES` values or nesting deeper than
        :data:`MAX_CASE_DEPTH`), naming where.
    """
    fmt = body_format(content_type)
    if not raw.strip():
        raise InvalidInputError("body", None, CASE_ALLOWED, detail="the request has no body")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError("body", f"byte {exc.start}", "UTF-8 text", detail="not UTF-8") from None
    return parse_text(text, fmt=fmt, source="body")


async def read_case_body(request: Request) -> Any:
    """The plain data of the case in a request's body (see :func:`parse_case_body`)."""
    content_type = request.headers.get("content-type")
    body_format(content_type)  # refuse before reading a body that cannot be used
    return parse_case_body(await request.body(), content_type)
