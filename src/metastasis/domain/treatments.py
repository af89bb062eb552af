"""Treatments with their dates, and specialist reviews (a surgical review is what the bone alerts ask for).

Example
-------
>>> t = Treatment(kind="bone_targeted", drug="denosumab", start="2024-03-01")
>>> t.kind.value, t.ongoing
('bone_targeted', True)
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, ValidationInfo, model_validator

from metastasis.domain._types import CaseDate, CaseModel, Vocabulary
from metastasis.domain.problems import Issue, raise_errors, rules_skipped
from metastasis.domain.vocabularies import bone_targeted_drug_sources, bone_targeted_drugs, metastatic_site_ids


class TreatmentKind(StrEnum):
    """Kinds of treatment a case records."""

    SURGERY = "surgery"
    """An operation: on the breast and axilla, or on a metastasis (then give ``site``)."""
    RADIOTHERAPY = "radiotherapy"
    CHEMOTHERAPY = "chemotherapy"
    ENDOCRINE = "endocrine"
    HER2_TARGETED = "her2_targeted"
    CDK46_INHIBITOR = "cdk46_inhibitor"
    BONE_TARGETED = "bone_targeted"
    """Denosumab or a bisphosphonate (``drug`` names it)."""
    IMMUNOTHERAPY = "immunotherapy"
    PARP_INHIBITOR = "parp_inhibitor"
    OTHER = "other"


class Treatment(CaseModel):
    """One treatment (a course of a drug, an operation, a course of radiotherapy) with its dates."""

    kind: TreatmentKind = Field(description="surgery, radiotherapy, chemotherapy, endocrine, her2_targeted, ...")
    drug: str | None = Field(
        default=None,
        description="The drug or regimen, free text (e.g. 'letrozole'); for bone_targeted one of denosumab, "
        "zoledronic_acid, pamidronate.",
    )
    site: Annotated[str, Vocabulary("site id", metastatic_site_ids)] | None = Field(
        default=None,
        description="For treatment aimed at a metastasis (radiotherapy, surgery): its catalogue site id.",
    )
    start: CaseDate = Field(description="Start date (the date of an operation).")
    end: CaseDate | None = Field(default=None, description="End date; none while ongoing.")
    note: str | None = Field(default=None, description="Free text.")

    @property
    def ongoing(self) -> bool:
        """True when no end date is recorded."""
        return self.end is None

    def issues(self) -> list[Issue]:
        """Contradictions inside the treatment record (relative locations)."""
        issues: list[Issue] = []
        if self.end is not None and self.end < self.start:
            issues.append(
                Issue(
                    loc=("end",),
                    message=f"ends ({self.end.isoformat()}) before it starts ({self.start.isoformat()})",
                    value=self.end.isoformat(),
                    allowed=f"a date on or after {self.start.isoformat()}",
                    rule="treatments.end_before_start",
                )
            )
        drugs = bone_targeted_drugs()
        if self.kind is TreatmentKind.BONE_TARGETED and self.drug is not None and self.drug not in drugs:
            issues.append(
                Issue(
                    loc=("drug",),
                    message=f"{self.drug!r} is not a bone-targeted agent this schema knows",
                    value=self.drug,
                    allowed=", ".join(drugs),
                    rule="treatments.bone_targeted_drug",
                    sources=bone_targeted_drug_sources(),
                )
            )
        return issues

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Treatment:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self


class ReviewKind(StrEnum):
    """Specialist reviews a case can record."""

    ORTHOPAEDIC_SURGERY = "orthopaedic_surgery"
    SPINAL_SURGERY = "spinal_surgery"
    RADIATION_ONCOLOGY = "radiation_oncology"
    MEDICAL_ONCOLOGY = "medical_oncology"
    PALLIATIVE_CARE = "palliative_care"
    DENTAL = "dental"
    OTHER = "other"


SURGICAL_REVIEWS: frozenset[ReviewKind] = frozenset({ReviewKind.ORTHOPAEDIC_SURGERY, ReviewKind.SPINAL_SURGERY})
"""The reviews that count as a surgical review of a bone lesion."""


class Review(CaseModel):
    """A specialist review or referral (for example a spinal surgical opinion for an unstable spine)."""

    kind: ReviewKind = Field(description="orthopaedic_surgery, spinal_surgery, radiation_oncology, dental, ...")
    date: CaseDate | None = Field(default=None, description="Date of the review (or referral).")
    note: str | None = Field(default=None, description="Free text.")

    @property
    def surgical(self) -> bool:
        return self.kind in SURGICAL_REVIEWS
