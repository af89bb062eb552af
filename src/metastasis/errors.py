"""The one error hierarchy of the project.

Every error raised on purpose by ``metastasis`` derives from :class:`MetastasisError`. Bad input raises
:class:`InvalidInputError`, which names the field, the bad value and what is allowed, so that the CLI can
print it on one line (exit status 2) and the API can answer 422 with the same three facts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any


class MetastasisError(Exception):
    """Base class of every error the package raises on purpose."""


MAX_SHOWN_VALUE = 120
"""Longest rendering of a bad value in an error message: a huge input is named, not echoed whole."""


def _shown(value: Any) -> str:
    try:
        text = repr(value)
    except ValueError:  # an int too long for Python to write out
        return f"<a number of about {int(value.bit_length() * 0.30103) + 1} digits>"
    return text if len(text) <= MAX_SHOWN_VALUE else f"{text[: MAX_SHOWN_VALUE - 1]}…"


class InvalidInputError(MetastasisError, ValueError):
    """An input value that is not allowed.

    Parameters
    ----------
    field:
        Name of the offending input, as the caller spelled it (``"t"``, ``"grade"``, ``"size_mm"``).
    value:
        The value that was given.
    allowed:
        What is allowed: either a short description (``"a number of millimetres > 0"``) or the list of
        allowed values.
    detail:
        Optional extra explanation of why the value is refused.
    """

    def __init__(self, field: str, value: Any, allowed: str | Iterable[str], detail: str | None = None):
        self.field = field
        self.value = value
        self.allowed = allowed if isinstance(allowed, str) else ", ".join(str(a) for a in allowed)
        self.detail = detail
        why = f" ({detail})" if detail else ""
        super().__init__(f"invalid {field}: {_shown(value)}{why}; allowed: {self.allowed}")

    def to_dict(self) -> dict[str, Any]:
        """The error as plain data (for JSON output and HTTP 422 bodies)."""
        return {
            "field": self.field,
            "value": self.value if isinstance(self.value, str | int | float | bool | None) else repr(self.value),
            "allowed": self.allowed,
            "detail": self.detail,
            "message": str(self),
        }


class DataIntegrityError(MetastasisError):
    """The package's own data files are inconsistent (for example a rule cites an unknown source id)."""
