"""Predictive test results of a case: the tests that select a targeted or immune treatment for metastatic disease.

HER2 (IHC score and ISH) is recorded on the tumour. The others live here: germline BRCA1/2 (PARP inhibitors,
OlympiAD and EMBRACA), PD-L1 by the 22C3 combined positive score (pembrolizumab with chemotherapy, KEYNOTE-355:
positive at CPS 10 or more), PIK3CA, AKT1 and PTEN (alpelisib, SOLAR-1; capivasertib, CAPItello-291) and ESR1
(elacestrant, EMERALD). Each is positive, negative or unknown; nothing is inferred from another test.

Example
-------
>>> b = Biomarkers(gbrca="negative", pdl1_cps=12)
>>> b.gbrca.value, b.pdl1_status().value
('negative', 'positive')
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, model_validator

from metastasis.domain._types import CaseModel, NonNegativeNumber
from metastasis.domain.biomarkers import ReceptorStatus, receptor_status
from metastasis.domain.problems import Issue, raise_errors, rules_skipped

PDL1_CPS_CUTOFF = 10.0
"""PD-L1 combined positive score (22C3) from which pembrolizumab with chemotherapy applies (KEYNOTE-355)."""

PDL1_SOURCES: tuple[str, ...] = ("cortes-2020-keynote-355", "cortes-2022-keynote-355-os")


def _result(field: str, value: Any) -> Any:
    return None if value is None else receptor_status(value, field=field)


# A positive/negative/unknown result ("+"/"-"/True/False accepted), never equivocal: the schema says so.
_NOT_EQUIVOCAL = WithJsonSchema(
    {"anyOf": [{"enum": ["positive", "negative", "unknown"], "type": "string"}, {"type": "null"}]}
)


class Biomarkers(CaseModel):
    """Results of the tests that select treatments for metastatic disease (HER2 is on the tumour)."""

    gbrca: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "gbrca")), _NOT_EQUIVOCAL] = Field(
        default=None,
        description="Germline (inherited) BRCA1 or BRCA2 pathogenic variant: positive, negative or unknown.",
    )
    pdl1_cps: NonNegativeNumber | None = Field(
        default=None, description="PD-L1 combined positive score (CPS) with the 22C3 assay, 0 or more."
    )
    pdl1: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "pdl1")), _NOT_EQUIVOCAL] = Field(
        default=None,
        description="PD-L1 when no CPS number is recorded: positive means CPS 10 or more with the 22C3 assay "
        "(KEYNOTE-355); negative; or unknown.",
    )
    pik3ca: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "pik3ca")), _NOT_EQUIVOCAL] = Field(
        default=None, description="PIK3CA mutation (tumour tissue or ctDNA): positive, negative or unknown."
    )
    akt1: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "akt1")), _NOT_EQUIVOCAL] = Field(
        default=None, description="AKT1 alteration (tumour tissue or ctDNA): positive, negative or unknown."
    )
    pten: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "pten")), _NOT_EQUIVOCAL] = Field(
        default=None, description="PTEN alteration (tumour tissue or ctDNA): positive, negative or unknown."
    )
    esr1: Annotated[ReceptorStatus | None, BeforeValidator(partial(_result, "esr1")), _NOT_EQUIVOCAL] = Field(
        default=None,
        description="ESR1 mutation, usually found in ctDNA after endocrine therapy: positive, negative or unknown.",
    )

    def pdl1_status(self) -> ReceptorStatus:
        """PD-L1 for pembrolizumab: from the CPS when recorded (10 or more is positive), else the status."""
        if self.pdl1_cps is not None:
            return ReceptorStatus.POSITIVE if self.pdl1_cps >= PDL1_CPS_CUTOFF else ReceptorStatus.NEGATIVE
        return self.pdl1 or ReceptorStatus.UNKNOWN

    def issues(self) -> list[Issue]:
        """A PD-L1 status that contradicts the recorded CPS (relative locations)."""
        if self.pdl1_cps is None or self.pdl1 in (None, ReceptorStatus.UNKNOWN):
            return []
        by_score = self.pdl1_status()
        if self.pdl1 is by_score:
            return []
        return [
            Issue(
                loc=("pdl1",),
                message=f"PD-L1 {self.pdl1.value} but the CPS is {self.pdl1_cps:g} "
                f"({by_score.value} at a cut-off of {PDL1_CPS_CUTOFF:g})",
                value=self.pdl1.value,
                allowed=f"{by_score.value}, or leave pdl1 out when pdl1_cps is recorded",
                rule="biomarkers.pdl1_cps_mismatch",
                sources=PDL1_SOURCES,
            )
        ]

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Biomarkers:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
