"""The result of staging one breast cancer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from metastasis.domain.biomarkers import ReceptorStatus
from metastasis.evidence import Evidenced

Stage = Literal["0", "IA", "IB", "IIA", "IIB", "IIIA", "IIIB", "IIIC", "IV"]
System = Literal["ajcc8", "uicc8"]
Basis = Literal["clinical", "pathological"]


class StageResult(Evidenced):
    """Anatomic and prognostic stage groups with the reasons and sources behind them.

    ``anatomic_stage`` and ``prognostic_stage`` are ``None`` when no group can be assigned; the reasons then
    say why (for example T0 N0 M0, Tis with positive nodes, NX, unknown grade or biomarkers).
    """

    system: System
    basis: Basis
    t: str = Field(description="T category as staged, with its prefix (e.g. 'pT2').")
    n: str
    m: str
    t_group: str = Field(description="T group used by the tables: TX, T0, Tis, T1-T4.")
    n_group: str = Field(description="N group used by the tables: NX, N0, N1mi, N1, N2, N3.")
    m_group: str
    post_therapy: bool = Field(description="True for post-neoadjuvant (yc/yp) classifications.")
    grade: int | None
    er: ReceptorStatus
    pr: ReceptorStatus
    her2: ReceptorStatus
    oncotype_rs: float | None
    anatomic_stage: Stage | None
    prognostic_stage: Stage | None
    prognostic_table: Basis | None = Field(description="Which AJCC 8th prognostic table gave the stage.")

    @property
    def stage(self) -> Stage | None:
        """The stage to report: the prognostic group where there is one, else the anatomic group."""
        return self.prognostic_stage or self.anatomic_stage

    def explain(self) -> str:
        """Plain-language explanation for a patient: what T, N, M and this stage mean."""
        from metastasis.staging.explain import explain_stage

        return explain_stage(self)
