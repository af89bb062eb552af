"""The patient facts the models need: age at diagnosis, sex and menopausal status.

Example
-------
>>> Patient(age_at_diagnosis=58, sex="female", menopausal_status="postmenopausal").menopausal_status
'postmenopausal'
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from metastasis.domain._types import CaseModel, Vocabulary
from metastasis.domain.problems import Issue, raise_errors, rules_skipped
from metastasis.domain.vocabularies import menopausal_statuses

Sex = Literal["female", "male", "unknown"]


class Patient(CaseModel):
    """Demographics used by the staging, prognosis and option models (no names or identifiers)."""

    age_at_diagnosis: Annotated[int, Field(strict=True, ge=0, le=120)] | None = Field(
        default=None, description="Age in whole years at the first diagnosis of breast cancer (PREDICT uses it)."
    )
    sex: Sex | None = Field(default=None, description="Sex: female, male or unknown.")
    menopausal_status: Annotated[str, Vocabulary("menopausal status", menopausal_statuses)] | None = Field(
        default=None,
        description="Menopausal status now: premenopausal, postmenopausal or unknown (it changes endocrine options).",
    )

    def issues(self) -> list[Issue]:
        """Contradictions inside the patient record (relative locations)."""
        if self.sex == "male" and self.menopausal_status in {"premenopausal", "postmenopausal"}:
            return [
                Issue(
                    loc=("menopausal_status",),
                    message="a menopausal status is recorded for a male patient",
                    value=self.menopausal_status,
                    allowed="unknown or no value when sex is male",
                    rule="patient.menopausal_status_male",
                )
            ]
        return []

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Patient:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
