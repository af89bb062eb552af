"""Computable, sourced knowledge about metastatic breast cancer: sites and codes, disease patterns,
treatment-option families and patient education.

Every catalogue entry names the sources it rests on (see :mod:`metastasis.evidence`); unverified codes and
facts are flagged, never passed off as checked.

Example
-------
>>> from metastasis.knowledge import get_site, classify_pattern
>>> get_site("bone").codes[1].code
'C79.51'
>>> classify_pattern(["bone", "liver"]).category.value
'visceral'
"""

from metastasis.knowledge.models import LesionType, Primary, Site, SiteCode, SiteFrequency, SiteGroup
from metastasis.knowledge.patterns import (
    DiseasePattern,
    OligometastaticResult,
    PatternCategory,
    Presentation,
    PresentationResult,
    assess_oligometastatic,
    classify_pattern,
    classify_presentation,
)
from metastasis.knowledge.sites import (
    all_sites,
    bone_primaries,
    children,
    codes_for,
    facts,
    get_primary,
    get_site,
    organ_of,
    site_frequencies,
    site_ids,
)

__all__ = [
    "DiseasePattern",
    "LesionType",
    "OligometastaticResult",
    "PatternCategory",
    "Presentation",
    "PresentationResult",
    "Primary",
    "Site",
    "SiteCode",
    "SiteFrequency",
    "SiteGroup",
    "all_sites",
    "assess_oligometastatic",
    "bone_primaries",
    "children",
    "classify_pattern",
    "classify_presentation",
    "codes_for",
    "facts",
    "get_primary",
    "get_site",
    "organ_of",
    "site_frequencies",
    "site_ids",
]
