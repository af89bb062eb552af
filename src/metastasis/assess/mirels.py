"""Mirels' score: risk of pathological fracture of a long bone with a metastasis."""

from __future__ import annotations

from typing import Literal

from metastasis.assess._tables import compute
from metastasis.assess.result import ScoreResult

MirelsSite = Literal["upper_limb", "lower_limb", "peritrochanteric"]
MirelsPain = Literal["mild", "moderate", "functional"]
MirelsLesion = Literal["blastic", "mixed", "lytic"]
MirelsSize = Literal["lt_one_third", "one_third_to_two_thirds", "gt_two_thirds"]


def mirels(*, site: MirelsSite, pain: MirelsPain, lesion: MirelsLesion, size: MirelsSize) -> ScoreResult:
    """Mirels' score (1989) for impending pathological fracture of a long bone (total 4-12, higher = worse).

    Parameters
    ----------
    site:
        ``upper_limb`` (1), ``lower_limb`` (2) or ``peritrochanteric`` (3).
    pain:
        ``mild`` (1), ``moderate`` (2) or ``functional`` (3, pain aggravated by use of the limb).
    lesion:
        ``blastic`` (1), ``mixed`` (2) or ``lytic`` (3).
    size:
        Fraction of the bone's diameter involved: ``lt_one_third`` (1), ``one_third_to_two_thirds`` (2) or
        ``gt_two_thirds`` (3).

    Returns
    -------
    ScoreResult
        Bands ``low`` (7 or less), ``borderline`` (8) and ``high`` (9 or more). The original 1989 abstract's
        statement that 8 or more needs prophylactic fixation is kept as a caveat on band 8.

    Raises
    ------
    InvalidInputError
        When a value is not one of the listed choices.

    Examples
    --------
    >>> r = mirels(site="lower_limb", pain="functional", lesion="lytic", size="lt_one_third")
    >>> r.total, r.band
    (9, 'high')
    """
    return compute("mirels", {"site": site, "pain": pain, "lesion": lesion, "size": size})
