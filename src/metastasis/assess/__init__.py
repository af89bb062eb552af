"""Bone-metastasis risk scores, calcium and performance status.

Every score takes keyword-only typed choices and returns a result carrying its total (or grade), band,
interpretation, recommended action, per-item breakdown, the outcomes published for the band, the direction of
the scale (``higher_is``), the sources and the caveats. Bad input raises
:class:`metastasis.errors.InvalidInputError` naming the allowed values. Point tables, bands and thresholds are
data (``metastasis/assess/data/*.yaml``); see ``docs/scores.md``.

Example
-------
>>> from metastasis.assess import mirels
>>> mirels(site="lower_limb", pain="functional", lesion="lytic", size="lt_one_third").total
9
"""

from metastasis.assess.bauer import bauer, bauer_modified
from metastasis.assess.bilsky import bilsky_escc, escc_grades
from metastasis.assess.calcium import (
    CorrectedCalciumResult,
    HypercalcemiaResult,
    convert_albumin,
    convert_calcium,
    corrected_calcium,
    hypercalcemia_grade,
)
from metastasis.assess.katagiri import KatagiriLaboratoryResult, katagiri_laboratory, katagiri_new
from metastasis.assess.mirels import mirels
from metastasis.assess.performance import (
    MappingResult,
    PerformanceResult,
    ecog,
    ecog_to_kps_buccheri_1996,
    ecog_to_kps_ecog_acrin,
    ecog_to_kps_prasad_2018,
    karnofsky,
    kps_to_ecog_buccheri_1996,
    kps_to_ecog_ecog_acrin,
    kps_to_ecog_prasad_2018,
)
from metastasis.assess.result import EsccResult, ItemPoints, Outcome, ScoreResult
from metastasis.assess.sins import sins
from metastasis.assess.spine_survival import tokuhashi_revised, tomita

__all__ = [
    "CorrectedCalciumResult",
    "EsccResult",
    "HypercalcemiaResult",
    "ItemPoints",
    "KatagiriLaboratoryResult",
    "MappingResult",
    "Outcome",
    "PerformanceResult",
    "ScoreResult",
    "bauer",
    "bauer_modified",
    "bilsky_escc",
    "convert_albumin",
    "convert_calcium",
    "corrected_calcium",
    "ecog",
    "ecog_to_kps_buccheri_1996",
    "ecog_to_kps_ecog_acrin",
    "ecog_to_kps_prasad_2018",
    "escc_grades",
    "hypercalcemia_grade",
    "karnofsky",
    "katagiri_laboratory",
    "katagiri_new",
    "kps_to_ecog_buccheri_1996",
    "kps_to_ecog_ecog_acrin",
    "kps_to_ecog_prasad_2018",
    "mirels",
    "sins",
    "tokuhashi_revised",
    "tomita",
]
from metastasis.assess.triage import triage as triage
