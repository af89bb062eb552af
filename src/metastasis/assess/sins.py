"""SINS: the Spinal Instability Neoplastic Score."""

from __future__ import annotations

from typing import Literal

from metastasis.assess._tables import compute
from metastasis.assess.result import ScoreResult

SinsLocation = Literal["junctional", "mobile", "semi_rigid", "rigid"]
SinsPain = Literal["mechanical", "occasional", "none"]
SinsLesion = Literal["lytic", "mixed", "blastic"]
SinsAlignment = Literal["subluxation", "de_novo_deformity", "normal"]
SinsCollapse = Literal["gt_50", "lt_50", "no_collapse_gt_50_involved", "none"]
SinsPosterolateral = Literal["bilateral", "unilateral", "none"]


def sins(
    *,
    location: SinsLocation,
    pain: SinsPain,
    lesion: SinsLesion,
    alignment: SinsAlignment,
    collapse: SinsCollapse,
    posterolateral: SinsPosterolateral,
) -> ScoreResult:
    """Spinal Instability Neoplastic Score (Fisher 2010; total 0-18, higher = worse).

    Parameters
    ----------
    location:
        ``junctional`` (3; occiput-C2, C7-T2, T11-L1, L5-S1), ``mobile`` (2; C3-C6, L2-L4),
        ``semi_rigid`` (1; T3-T10) or ``rigid`` (0; S2-S5).
    pain:
        ``mechanical`` (3), ``occasional`` (1, not mechanical) or ``none`` (0).
    lesion:
        ``lytic`` (2), ``mixed`` (1) or ``blastic`` (0).
    alignment:
        ``subluxation`` (4, subluxation or translation), ``de_novo_deformity`` (2) or ``normal`` (0).
    collapse:
        ``gt_50`` (3), ``lt_50`` (2), ``no_collapse_gt_50_involved`` (1) or ``none`` (0).
    posterolateral:
        Facet, pedicle or costovertebral joint involvement: ``bilateral`` (3), ``unilateral`` (1) or ``none`` (0).

    Returns
    -------
    ScoreResult
        Bands ``stable`` (0-6), ``potentially_unstable`` (7-12) and ``unstable`` (13-18).

    Examples
    --------
    >>> r = sins(location="junctional", pain="mechanical", lesion="lytic", alignment="subluxation",
    ...          collapse="gt_50", posterolateral="bilateral")
    >>> r.total, r.band
    (18, 'unstable')
    """
    return compute(
        "sins",
        {
            "location": location,
            "pain": pain,
            "lesion": lesion,
            "alignment": alignment,
            "collapse": collapse,
            "posterolateral": posterolateral,
        },
    )
