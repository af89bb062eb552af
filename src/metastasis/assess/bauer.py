"""Bauer score (1995) and modified Bauer score (2008): one point per favourable factor, higher = better."""

from __future__ import annotations

from typing import Literal

from metastasis.assess._tables import compute
from metastasis.assess.result import ScoreResult

BauerPrimary = Literal["breast", "kidney", "lymphoma", "myeloma", "other", "lung"]
YesNo = bool | Literal["yes", "no"]


def bauer(
    *,
    primary: BauerPrimary,
    visceral_metastases: YesNo,
    pathological_fracture: YesNo,
    solitary_skeletal_metastasis: YesNo,
) -> ScoreResult:
    """Bauer score (Bauer & Wedin 1995) for skeletal metastases (total 0-5, HIGHER = BETTER).

    Parameters
    ----------
    primary:
        ``breast``, ``kidney``, ``lymphoma``, ``myeloma`` (2 points: not lung + favourable histology),
        ``other`` (1: not lung) or ``lung`` (0).
    visceral_metastases:
        Visceral (including brain) metastases present: ``False``/``"no"`` scores 1.
    pathological_fracture:
        Pathological fracture present: ``False``/``"no"`` scores 1.
    solitary_skeletal_metastasis:
        Only one skeletal metastasis: ``True``/``"yes"`` scores 1.

    Returns
    -------
    ScoreResult
        Bands ``poor`` (0-1), ``intermediate`` (2-3) and ``good`` (4-5); the cut-offs are unverified (caveat).

    Examples
    --------
    >>> bauer(primary="breast", visceral_metastases=False, pathological_fracture=False,
    ...       solitary_skeletal_metastasis=True).total
    5
    """
    return compute(
        "bauer",
        {
            "primary": primary,
            "visceral_metastases": visceral_metastases,
            "pathological_fracture": pathological_fracture,
            "solitary_skeletal_metastasis": solitary_skeletal_metastasis,
        },
    )


def bauer_modified(
    *, primary: BauerPrimary, visceral_metastases: YesNo, solitary_skeletal_metastasis: YesNo
) -> ScoreResult:
    """Modified Bauer score (Leithner 2008): Bauer without the fracture item (total 0-4, HIGHER = BETTER).

    Parameters
    ----------
    primary, visceral_metastases, solitary_skeletal_metastasis:
        As for :func:`bauer`.

    Returns
    -------
    ScoreResult
        Bands ``supportive`` (0-1), ``short_term_palliation`` (2) and ``middle_term_control`` (3-4).

    Examples
    --------
    >>> bauer_modified(primary="breast", visceral_metastases=False, solitary_skeletal_metastasis=True).total
    4
    """
    return compute(
        "bauer_modified",
        {
            "primary": primary,
            "visceral_metastases": visceral_metastases,
            "solitary_skeletal_metastasis": solitary_skeletal_metastasis,
        },
    )
