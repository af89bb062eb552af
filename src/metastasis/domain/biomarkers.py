"""Receptor status and histologic grade: the spellings people use, normalised at the boundary.

Example
-------
>>> receptor_status("+", field="er")
<ReceptorStatus.POSITIVE: 'positive'>
>>> histologic_grade("G2")
2
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from metastasis.errors import InvalidInputError


class ReceptorStatus(StrEnum):
    """Result of a receptor test (ER, PR, HER2)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"
    EQUIVOCAL = "equivocal"  # HER2 only
    UNKNOWN = "unknown"


_STATUS_SPELLINGS: dict[str, ReceptorStatus] = {
    "positive": ReceptorStatus.POSITIVE,
    "pos": ReceptorStatus.POSITIVE,
    "+": ReceptorStatus.POSITIVE,
    "negative": ReceptorStatus.NEGATIVE,
    "neg": ReceptorStatus.NEGATIVE,
    "-": ReceptorStatus.NEGATIVE,
    "equivocal": ReceptorStatus.EQUIVOCAL,
    "unknown": ReceptorStatus.UNKNOWN,
}
_STATUS_ALLOWED = '"positive"/"+"/True, "negative"/"-"/False, "unknown"/None'


def receptor_status(value: Any, *, field: str, equivocal_allowed: bool = False) -> ReceptorStatus:
    """Normalise a receptor result.

    Parameters
    ----------
    value:
        ``"positive"``/``"pos"``/``"+"``/``True``, ``"negative"``/``"neg"``/``"-"``/``False``,
        ``"unknown"``/``None``, and ``"equivocal"`` where *equivocal_allowed* (HER2). Case and surrounding
        spaces are ignored.
    field:
        The input's name, used in the error message.
    equivocal_allowed:
        Whether "equivocal" is a valid result for this test (true for HER2 only).

    Raises
    ------
    InvalidInputError
        For any other value.
    """
    allowed = _STATUS_ALLOWED + (', "equivocal"' if equivocal_allowed else "")
    if value is None:
        return ReceptorStatus.UNKNOWN
    if isinstance(value, bool):
        return ReceptorStatus.POSITIVE if value else ReceptorStatus.NEGATIVE
    if isinstance(value, ReceptorStatus):
        status = value
    elif isinstance(value, str):
        status = _STATUS_SPELLINGS.get(value.strip().lower())
        if status is None:
            raise InvalidInputError(field, value, allowed)
    else:
        raise InvalidInputError(field, value, allowed)
    if status is ReceptorStatus.EQUIVOCAL and not equivocal_allowed:
        raise InvalidInputError(field, value, allowed, detail="equivocal applies to HER2 only")
    return status


_GRADE_ALLOWED = '1, 2, 3, "G1", "G2", "G3", or None/"GX"/"unknown"'


def histologic_grade(value: Any, *, field: str = "grade") -> int | None:
    """Normalise the Nottingham combined histologic grade to 1, 2, 3 or ``None`` (unknown).

    Accepts 1-3 (int), "1"-"3", "G1"-"G3" (any case), and ``None``, "GX", "unknown" for unknown.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInputError(field, value, _GRADE_ALLOWED)
    if isinstance(value, int):
        if value in (1, 2, 3):
            return value
        raise InvalidInputError(field, value, _GRADE_ALLOWED)
    if isinstance(value, str):
        text = value.strip().lower()
        if text in {"gx", "unknown"}:
            return None
        text = text.removeprefix("g")
        if text in {"1", "2", "3"}:
            return int(text)
    raise InvalidInputError(field, value, _GRADE_ALLOWED)
