"""How the patient is: symptoms (the triage vocabulary) and performance status (ECOG or Karnofsky).

Example
-------
>>> SymptomReport(id="leg_weakness").id            # the triage's alias, stored under its id
'limb_weakness'
>>> PerformanceStatus(scale="ecog", value=2, date="2024-05-02").value
2
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from metastasis.domain._types import CaseDate, CaseModel, Vocabulary
from metastasis.domain.problems import Issue, raise_errors, rules_skipped
from metastasis.domain.vocabularies import symptom_aliases, symptom_ids
from metastasis.errors import InvalidInputError

_LABELS = {"ecog": "ECOG", "karnofsky": "Karnofsky"}


class SymptomReport(CaseModel):
    """A symptom the patient has now, by its triage id (`metastasis triage --help` lists them)."""

    id: Annotated[str, Vocabulary("symptom id", symptom_ids, aliases=symptom_aliases)] = Field(
        description="Symptom id of the triage vocabulary, e.g. back_pain_radiating, limb_weakness, confusion."
    )
    onset: CaseDate | None = Field(default=None, description="When it started, when known.")
    note: str | None = Field(default=None, description="Free text.")


class PerformanceStatus(CaseModel):
    """A performance-status assessment on one scale."""

    scale: Literal["ecog", "karnofsky"] = Field(description="ecog (0-5) or karnofsky (0-100 in steps of 10).")
    value: Annotated[int, Field(strict=True)] = Field(description="The grade (ECOG) or score (Karnofsky).")
    date: CaseDate | None = Field(default=None, description="Date of the assessment.")

    def issues(self) -> list[Issue]:
        """A value outside the scale, as :mod:`metastasis.assess.performance` defines it."""
        from metastasis.assess.performance import ecog, karnofsky

        try:
            if self.scale == "ecog":
                ecog(grade=self.value)
            else:
                karnofsky(score=self.value)
        except InvalidInputError as exc:
            return [
                Issue(
                    loc=("value",),
                    message=f"{self.value} is not a valid {_LABELS[self.scale]} value ({exc.detail})",
                    value=self.value,
                    allowed=exc.allowed,
                    rule="performance.out_of_scale",
                )
            ]
        return []

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> PerformanceStatus:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
