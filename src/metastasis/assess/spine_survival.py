"""Survival scores for spinal metastases: revised Tokuhashi (higher = better) and Tomita (higher = worse)."""

from __future__ import annotations

from typing import Literal

from metastasis.assess._tables import compute
from metastasis.assess.result import ScoreResult

TokuhashiOrgans = Literal["unremovable", "removable", "none"]
TokuhashiPrimary = Literal[
    "lung", "osteosarcoma", "stomach", "bladder", "esophagus", "pancreas",
    "liver", "gallbladder", "unidentified",
    "other",
    "kidney", "uterus",
    "rectum",
    "thyroid", "breast", "prostate", "carcinoid",
]  # fmt: skip
TokuhashiPalsy = Literal["complete", "incomplete", "none"]
TomitaGrowth = Literal["slow", "moderate", "rapid"]
TomitaVisceral = Literal["none", "treatable", "untreatable"]
TomitaBone = Literal["solitary", "multiple"]


def tokuhashi_revised(
    *,
    kps: int,
    extraspinal_bone_metastases: int,
    vertebral_metastases: int,
    internal_organ_metastases: TokuhashiOrgans,
    primary: TokuhashiPrimary,
    palsy: TokuhashiPalsy,
) -> ScoreResult:
    """Revised Tokuhashi score (2005) for metastatic spine tumours (total 0-15, HIGHER = BETTER).

    Parameters
    ----------
    kps:
        Karnofsky performance status 10-100 in steps of 10: 10-40 poor (0), 50-70 moderate (1), 80-100 good (2).
    extraspinal_bone_metastases:
        Number of extraspinal bone metastasis foci: 0 (2 points), 1-2 (1), 3 or more (0).
    vertebral_metastases:
        Number of metastases in the vertebral body, at least 1: 1 (2 points), 2 (1), 3 or more (0). Sources
        conflict on this item; see the caveat in the result when the count is 1.
    internal_organ_metastases:
        Metastases to major internal organs: ``unremovable`` (0), ``removable`` (1) or ``none`` (2).
    primary:
        Primary site: ``lung``, ``osteosarcoma``, ``stomach``, ``bladder``, ``esophagus``, ``pancreas`` (0);
        ``liver``, ``gallbladder``, ``unidentified`` (1); ``other`` (2); ``kidney``, ``uterus`` (3);
        ``rectum`` (4); ``thyroid``, ``breast``, ``prostate``, ``carcinoid`` (5).
    palsy:
        ``complete`` (0; Frankel A, B), ``incomplete`` (1; Frankel C, D) or ``none`` (2; Frankel E).

    Returns
    -------
    ScoreResult
        Bands ``lt_6_months`` (0-8), ``gte_6_months`` (9-11) and ``gte_1_year`` (12-15).

    Examples
    --------
    >>> r = tokuhashi_revised(kps=80, extraspinal_bone_metastases=1, vertebral_metastases=1,
    ...                       internal_organ_metastases="none", primary="breast", palsy="none")
    >>> r.total, r.band, r.higher_is
    (14, 'gte_1_year', 'better')
    """
    return compute(
        "tokuhashi_revised",
        {
            "kps": kps,
            "extraspinal_bone_metastases": extraspinal_bone_metastases,
            "vertebral_metastases": vertebral_metastases,
            "internal_organ_metastases": internal_organ_metastases,
            "primary": primary,
            "palsy": palsy,
        },
    )


def tomita(
    *, primary_growth: TomitaGrowth, visceral_metastases: TomitaVisceral, bone_metastases: TomitaBone
) -> ScoreResult:
    """Tomita score (2001) for spinal metastases (total 2-10, higher = worse).

    Parameters
    ----------
    primary_growth:
        ``slow`` (1; e.g. breast, thyroid, prostate), ``moderate`` (2; e.g. kidney, uterus) or ``rapid``
        (4; e.g. lung, liver, stomach, colon, unknown primary).
    visceral_metastases:
        ``none`` (0), ``treatable`` (2) or ``untreatable`` (4).
    bone_metastases:
        ``solitary`` (1) or ``multiple`` (2).

    Returns
    -------
    ScoreResult
        Bands ``long_term_control`` (2-3), ``middle_term_control`` (4-5), ``short_term_palliation`` (6-7) and
        ``terminal_care`` (8-10).

    Examples
    --------
    >>> tomita(primary_growth="slow", visceral_metastases="treatable", bone_metastases="multiple").total
    5
    """
    return compute(
        "tomita",
        {
            "primary_growth": primary_growth,
            "visceral_metastases": visceral_metastases,
            "bone_metastases": bone_metastases,
        },
    )
