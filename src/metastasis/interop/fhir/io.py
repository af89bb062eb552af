"""Reading a Bundle's JSON text with bounds: a size limit, strict JSON, and every failure as a clear error.

A Synthea patient with ten years of history is about 2.5 MB of JSON; the bound leaves room for larger records.
"""

from __future__ import annotations

import json
from typing import Any

from metastasis.errors import InvalidInputError

MAX_BUNDLE_BYTES = 16_000_000
"""Largest bundle read (bytes of UTF-8 JSON)."""
BUNDLE_TEXT = "a FHIR R4 Bundle as JSON text (application/fhir+json)"


def _no_constant(name: str) -> Any:
    raise InvalidInputError("bundle", name, "JSON numbers (NaN and Infinity are not JSON)")


def load_bundle(raw: bytes | str, *, source: str = "bundle") -> Any:
    """Parse a bundle's JSON text (not yet checked as FHIR: :func:`case_from_bundle` does that).

    Parameters
    ----------
    raw:
        The text, as bytes (UTF-8, a byte-order mark allowed) or str.
    source:
        How to name the input in errors (a file name, ``body``).

    Raises
    ------
    InvalidInputError
        Too large, not UTF-8, not JSON (with line and column), or nested too deeply.

    Example
    -------
    >>> load_bundle('{"resourceType": "Bundle", "type": "collection"}')["type"]
    'collection'
    """
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_BUNDLE_BYTES:
        raise InvalidInputError(source, f"{size:,} bytes", f"at most {MAX_BUNDLE_BYTES:,} bytes")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(source, f"byte {exc.start}", BUNDLE_TEXT, detail="not UTF-8 text") from None
    try:
        return json.loads(raw, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise InvalidInputError(source, where, BUNDLE_TEXT, detail=f"not JSON: {exc.msg}") from None
    except RecursionError:
        raise InvalidInputError(source, "nesting too deep", BUNDLE_TEXT) from None
    except ValueError as exc:  # an integer with more digits than Python converts (int_max_str_digits)
        raise InvalidInputError(source, "a number too long to read", BUNDLE_TEXT, detail=str(exc)[:80]) from None
