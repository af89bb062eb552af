"""Receptor status, histologic grade and HER2 scores: the spellings people use, normalised at the boundary.

HER2 status follows the ASCO/CAP rules (2018 focused update, affirmed in 2023; sources
``wolff-2018-asco-cap-her2`` and ``wolff-2023-asco-cap-her2``): IHC 3+ or a positive ISH is HER2-positive, IHC 0
and 1+ are negative, IHC 2+ is equivocal until ISH decides. HER2-low (IHC 1+, or 2+ with negative ISH) is the
entry criterion of DESTINY-Breast04, not a separate HER2 status. The test results that select other treatments
(germline BRCA, PD-L1, PIK3CA, AKT1, PTEN, ESR1) live in :class:`~metastasis.domain.predictive.Biomarkers`.

Example
-------
>>> receptor_status("+", field="er")
<ReceptorStatus.POSITIVE: 'positive'>
>>> histologic_grade("G2")
2
>>> her2_ihc_score("2"), her2_low("2+", ReceptorStatus.NEGATIVE)
('2+', True)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

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


HER2_IHC_SCORES: tuple[str, ...] = ("0", "1+", "2+", "3+")
"""HER2 immunohistochemistry scores, in order."""

Her2Ihc = Literal["0", "1+", "2+", "3+"]
_IHC_ALLOWED = '"0", "1+", "2+", "3+" (or 0-3), or "unknown"/None'


def her2_ihc_score(value: Any, *, field: str = "her2_ihc") -> str | None:
    """Normalise a HER2 IHC score to ``"0"``, ``"1+"``, ``"2+"``, ``"3+"`` or ``None`` (not known).

    Accepts those texts (any case, spaces ignored, an ``IHC`` prefix allowed), ``"0+"``, ``"1"``-``"3"``, the
    integers 0-3, and ``None``/``"unknown"`` for not known.

    Example
    -------
    >>> her2_ihc_score("IHC 1+"), her2_ihc_score(3), her2_ihc_score("unknown")
    ('1+', '3+', None)
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidInputError(field, value, _IHC_ALLOWED)
    if isinstance(value, int) and 0 <= value <= 3:
        return HER2_IHC_SCORES[value]
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "").removeprefix("ihc")
        if text == "unknown":
            return None
        digits = text.removesuffix("+")
        if digits in {"0", "1", "2", "3"}:
            return HER2_IHC_SCORES[int(digits)]
    raise InvalidInputError(field, value, _IHC_ALLOWED)


def her2_from_tests(ihc: str | None, ish: ReceptorStatus | None) -> ReceptorStatus | None:
    """The HER2 status that an IHC score and an ISH result call, by the ASCO/CAP 2018 rules.

    ``ish`` is the final ISH call (dual-probe groups 2 to 4 already resolved with the IHC, as the 2018 update
    asks). Positive: ISH positive, or IHC 3+. Negative: IHC 0 or 1+, IHC 2+ with ISH negative, or ISH negative
    without an IHC score. Equivocal: IHC 2+ (or an equivocal ISH) without a positive or negative ISH. ``None``:
    nothing recorded calls a status.

    Example
    -------
    >>> her2_from_tests("2+", None).value, her2_from_tests("1+", ReceptorStatus.POSITIVE).value
    ('equivocal', 'positive')
    """
    if ish is ReceptorStatus.POSITIVE or ihc == "3+":
        return ReceptorStatus.POSITIVE
    if ihc in ("0", "1+") or ish is ReceptorStatus.NEGATIVE:
        return ReceptorStatus.NEGATIVE
    if ihc == "2+" or ish is ReceptorStatus.EQUIVOCAL:
        return ReceptorStatus.EQUIVOCAL
    return None


def her2_low(ihc: str | None, ish: ReceptorStatus | None) -> bool | None:
    """HER2-low as DESTINY-Breast04 defined it: IHC 1+, or IHC 2+ with negative ISH.

    ``False`` for IHC 0 or HER2-positive results; ``None`` when the IHC score (or, at 2+, the ISH) is not known.

    Example
    -------
    >>> her2_low("1+", None), her2_low("0", None), her2_low("2+", None), her2_low(None, None)
    (True, False, None, None)
    """
    if her2_from_tests(ihc, ish) is ReceptorStatus.POSITIVE or ihc == "0":
        return False
    if ihc == "1+" or (ihc == "2+" and ish is ReceptorStatus.NEGATIVE):
        return True
    return None
