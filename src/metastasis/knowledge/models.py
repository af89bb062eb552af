"""Typed records of the knowledge catalogue (sites, codes, primaries, facts), validated from YAML."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from metastasis.evidence import Verification
from metastasis.evidence.records import CitedRecord


class _Cited(CitedRecord):
    """A record that names the sources it rests on (at least one; every id must be registered)."""

    sources: tuple[str, ...] = Field(min_length=1)


class SiteGroup(StrEnum):
    """Organ group of a metastatic site, used by the disease-pattern helpers."""

    BONE = "bone"
    VISCERAL = "visceral"
    CNS = "cns"
    NODAL = "nodal"
    SOFT_TISSUE = "soft_tissue"
    OTHER = "other"


class CodeSystem(StrEnum):
    """Terminologies used for site codes."""

    SNOMED_CT = "snomed-ct"
    ICD_10_CM = "icd-10-cm"
    ICD_O_3_TOPOGRAPHY = "icd-o-3-topography"


class SiteCode(_Cited):
    """One code for a metastatic site, with how well it was checked."""

    system: CodeSystem
    code: str
    display: str
    verification: Verification

    @property
    def flagged(self) -> bool:
        """True when the code is unverified and must be checked before use."""
        return self.verification is Verification.UNVERIFIED


class Site(_Cited):
    """A metastatic site (or bone subsite) with its codes.

    Example
    -------
    >>> from metastasis.knowledge import get_site
    >>> get_site("spine").parent
    'bone'
    """

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: str
    plain_name: str
    group: SiteGroup
    parent: str | None = None
    notes: str = ""
    codes: tuple[SiteCode, ...] = ()


class LesionType(StrEnum):
    """Radiographic type of a bone metastasis."""

    OSTEOLYTIC = "osteolytic"
    OSTEOBLASTIC = "osteoblastic"
    MIXED = "mixed"
    VARIABLE = "variable"


class Primary(_Cited):
    """A primary cancer that commonly spreads to bone, with its typical lesion type."""

    id: str
    name: str
    lesion_type: LesionType
    lesion_note: str
    lesion_verification: Verification
    bone_share_percent: str | None = None


class FrequencyMeasure(StrEnum):
    """What a site-frequency figure counts (never mix them)."""

    AUTOPSY_PATIENTS = "autopsy_patients"
    AT_DIAGNOSIS = "at_diagnosis"


class SiteFrequency(_Cited):
    """One published site-frequency figure for breast cancer."""

    site: str
    measure: FrequencyMeasure
    percent: float
    note: str = ""


class BoneRank(_Cited):
    """Where bone ranks among metastatic sites over all cancers."""

    rank: int
    after: tuple[str, ...]
    text: str


class Facts(BaseModel):
    """The content of ``facts.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    bone_rank: BoneRank
    frequencies: tuple[SiteFrequency, ...]
