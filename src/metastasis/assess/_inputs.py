"""Input checks shared by every assessment: each bad value raises :class:`InvalidInputError`.

The checks are strict on purpose: a clinical score must never guess what a caller meant. Free text that is not
one of the listed choices, ``True`` where a number is expected, NaN, infinities and values outside the
plausible range are all refused with the allowed values named.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from numbers import Real
from typing import Any

from metastasis.errors import InvalidInputError

YES_NO_ALLOWED = ("True", "False", "'yes'", "'no'")


def choice(field: str, value: Any, allowed: Sequence[str]) -> str:
    """Return ``value`` when it is exactly one of ``allowed`` (strings), else raise.

    Examples
    --------
    >>> choice("pain", "mild", ("mild", "moderate"))
    'mild'
    """
    if isinstance(value, str) and value in allowed:
        return value
    raise InvalidInputError(field, value, allowed)


def yes_no(field: str, value: Any) -> str:
    """Normalise a yes/no answer: ``True``/``"yes"`` -> ``"yes"``, ``False``/``"no"`` -> ``"no"``.

    Examples
    --------
    >>> yes_no("previous_chemotherapy", True)
    'yes'
    """
    if value is True or value == "yes":
        return "yes"
    if value is False or value == "no":
        return "no"
    raise InvalidInputError(field, value, YES_NO_ALLOWED)


def integer(field: str, value: Any, minimum: int, maximum: int | None = None, step: int | None = None) -> int:
    """Return ``value`` when it is an ``int`` (not a bool) in range and on the step grid, else raise.

    Examples
    --------
    >>> integer("kps", 70, 10, 100, 10)
    70
    """
    top = "" if maximum is None else f" to {maximum}"
    grid = "" if step is None else f" in steps of {step}"
    allowed = f"a whole number from {minimum}{top}{grid}"
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInputError(field, value, allowed, "not a whole number")
    if value < minimum or (maximum is not None and value > maximum):
        raise InvalidInputError(field, value, allowed, "out of range")
    if step is not None and (value - minimum) % step:
        raise InvalidInputError(field, value, allowed, f"not a multiple of {step}")
    return value


def number(field: str, value: Any, low: float, high: float, unit: str, hint: str | None = None) -> float:
    """Return ``value`` as a float when it is a finite real number within ``[low, high]``, else raise.

    ``hint`` is added to the message when the value is out of range (for example a likely unit mix-up).

    Examples
    --------
    >>> number("albumin", 2.0, 0.5, 7.0, "g/dL")
    2.0
    """
    allowed = f"a number of {unit} from {low:g} to {high:g}"
    if isinstance(value, bool) or not isinstance(value, Real):
        raise InvalidInputError(field, value, allowed, "not a number")
    as_float = float(value)
    if math.isnan(as_float) or math.isinf(as_float):
        raise InvalidInputError(field, value, allowed, "not a finite number")
    if as_float < 0:
        raise InvalidInputError(field, value, allowed, "negative")
    if not low <= as_float <= high:
        raise InvalidInputError(field, value, allowed, hint or "out of the plausible range")
    return as_float
