"""New Katagiri score (2014) for skeletal metastases, and its laboratory item.

The original Katagiri score (2005) is not implemented: its item weights could not be verified, and the
package does not invent them.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Literal

from pydantic import Field

from metastasis.assess import _inputs
from metastasis.assess._tables import compute, load_yaml, score_spec
from metastasis.assess.result import ScoreResult
from metastasis.evidence import Evidenced, Reason

KatagiriGrowth = Literal["slow", "moderate", "rapid"]
KatagiriVisceral = Literal["none", "nodular", "disseminated"]
KatagiriLaboratory = Literal["normal", "abnormal", "critical"]
YesNo = bool | Literal["yes", "no"]

_COMPARE: dict[str, tuple[Callable[[float, float], bool], str]] = {
    "ge": (operator.ge, ">="),
    "lt": (operator.lt, "<"),
}


def katagiri_new(
    *,
    primary_growth: KatagiriGrowth,
    visceral_metastases: KatagiriVisceral,
    laboratory: KatagiriLaboratory,
    ecog: int,
    previous_chemotherapy: YesNo,
    multiple_skeletal_metastases: YesNo,
) -> ScoreResult:
    """New Katagiri score (Katagiri 2014) for skeletal metastases (total 0-10, higher = worse).

    Parameters
    ----------
    primary_growth:
        ``slow`` (0; hormone-dependent breast or prostate, thyroid, myeloma, lymphoma), ``moderate`` (2;
        targeted lung, hormone-independent breast or prostate, renal, sarcoma) or ``rapid`` (3; non-targeted
        lung, colorectal, gastric, pancreatic, head and neck, oesophageal, hepatocellular, melanoma, unknown).
    visceral_metastases:
        ``none`` (0), ``nodular`` (1; nodular visceral or cerebral) or ``disseminated`` (2; pleural, peritoneal
        or leptomeningeal dissemination).
    laboratory:
        ``normal`` (0), ``abnormal`` (1) or ``critical`` (2); :func:`katagiri_laboratory` derives it from values.
    ecog:
        ECOG performance status 0-4; 3 or 4 scores 1.
    previous_chemotherapy:
        ``True``/``"yes"`` scores 1.
    multiple_skeletal_metastases:
        ``True``/``"yes"`` scores 1.

    Returns
    -------
    ScoreResult
        Bands ``low`` (0-3), ``intermediate`` (4-6) and ``high`` (7-10).

    Examples
    --------
    >>> katagiri_new(primary_growth="slow", visceral_metastases="none", laboratory="normal", ecog=1,
    ...              previous_chemotherapy=False, multiple_skeletal_metastases=True).total
    1
    """
    return compute(
        "katagiri_new",
        {
            "primary_growth": primary_growth,
            "visceral_metastases": visceral_metastases,
            "laboratory": laboratory,
            "ecog": ecog,
            "previous_chemotherapy": previous_chemotherapy,
            "multiple_skeletal_metastases": multiple_skeletal_metastases,
        },
    )


class KatagiriLaboratoryResult(Evidenced):
    """The laboratory item of the New Katagiri score, derived from laboratory values."""

    tier: KatagiriLaboratory
    points: int
    met: list[str] = Field(default_factory=list, description="The criteria the values met.")
    not_assessed: list[str] = Field(default_factory=list, description="Analytes not supplied.")


def katagiri_laboratory(
    *,
    crp_mg_dl: float | None = None,
    ldh_iu_l: float | None = None,
    albumin_g_dl: float | None = None,
    platelets_per_ul: float | None = None,
    calcium_mg_dl: float | None = None,
    bilirubin_mg_dl: float | None = None,
) -> KatagiriLaboratoryResult:
    """Laboratory tier of the New Katagiri score: ``critical`` (2) overrides ``abnormal`` (1).

    Abnormal: CRP >= 0.4 mg/dL, LDH >= 250 IU/L or albumin < 3.7 g/dL. Critical: platelets < 100,000/uL,
    calcium >= 10.3 mg/dL or total bilirubin >= 1.4 mg/dL. Units are part of the keyword names; CRP in mg/L or
    bilirubin in umol/L must be converted first. Analytes not supplied are listed as not assessed, and
    ``normal`` then only means that none of the supplied values met a criterion.

    Examples
    --------
    >>> katagiri_laboratory(crp_mg_dl=0.5, platelets_per_ul=90_000).tier
    'critical'
    """
    table = load_yaml("katagiri_laboratory")
    given = {
        "crp_mg_dl": crp_mg_dl,
        "ldh_iu_l": ldh_iu_l,
        "albumin_g_dl": albumin_g_dl,
        "platelets_per_ul": platelets_per_ul,
        "calcium_mg_dl": calcium_mg_dl,
        "bilirubin_mg_dl": bilirubin_mg_dl,
    }
    values: dict[str, float] = {}
    for analyte, value in given.items():
        if value is None:
            continue
        limits = table["plausible"][analyte]
        values[analyte] = _inputs.number(
            analyte, value, limits["low"], limits["high"], limits["unit"], limits.get("hint")
        )
    sources = tuple(table["sources"])
    met: dict[str, list[str]] = {"abnormal": [], "critical": []}
    reasons: list[Reason] = []
    for tier in ("critical", "abnormal"):
        for criterion in table[tier]:
            value = values.get(criterion["analyte"])
            compare, _symbol = _COMPARE[criterion["comparison"]]
            if value is not None and compare(value, criterion["threshold"]):
                met[tier].append(criterion["label"])
                reasons.append(
                    Reason(
                        rule=f"katagiri_new.laboratory.{tier}:{criterion['analyte']}",
                        text=f"{criterion['label']} (given {value:g}) -> {tier}",
                        sources=sources,
                    )
                )
    tier_id: KatagiriLaboratory = "critical" if met["critical"] else "abnormal" if met["abnormal"] else "normal"
    item = score_spec("katagiri_new").item("laboratory")
    points = next(c.points for c in item.choices if c.value == tier_id)
    not_assessed = [name for name, value in given.items() if value is None]
    caveats = [
        "Laboratory thresholds rest on a single secondary reproduction of the Katagiri 2014 table (unverified).",
        "Whether the calcium criterion uses albumin-corrected calcium was not stated in what was read.",
    ]
    if not_assessed:
        caveats.append(f"Not assessed (not supplied): {', '.join(not_assessed)}.")
    if tier_id == "normal":
        reasons.append(
            Reason(rule="katagiri_new.laboratory.normal", text="No supplied value met a criterion", sources=sources)
        )
    return KatagiriLaboratoryResult(
        tier=tier_id,
        points=points,
        met=met["critical"] + met["abnormal"],
        not_assessed=not_assessed,
        reasons=reasons,
        caveats=caveats,
    )
