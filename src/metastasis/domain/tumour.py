"""The primary tumour: where it is, what it is, its TNM categories at diagnosis and its biomarkers.

T, N and M are written as the staging parser accepts them (``pT2``, ``cN1``, ``cM0``, ``pN0(i+)``) and are
checked by :mod:`metastasis.staging.tnm`; ER, PR, HER2, Ki67 and grade by :mod:`metastasis.domain.biomarkers`.
The HER2 IHC score and ISH result, when recorded, must agree with ``her2`` by the ASCO/CAP rules
(:func:`~metastasis.domain.biomarkers.her2_from_tests`); they also tell HER2-low from HER2 IHC 0.

Example
-------
>>> t = Tumour(t="pt2", n="pN1a", m="cM0", grade="G2", er="+", her2="negative")
>>> t.t, t.grade, t.er.value
('pT2', 2, 'positive')
"""

from __future__ import annotations

from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, WithJsonSchema, model_validator

from metastasis.domain._types import CaseModel, Count, PositiveNumber, Vocabulary
from metastasis.domain.biomarkers import (
    Her2Ihc,
    ReceptorStatus,
    her2_from_tests,
    her2_ihc_score,
    histologic_grade,
    receptor_status,
)
from metastasis.domain.problems import Issue, Severity, raise_errors, rules_skipped
from metastasis.domain.vocabularies import detection_modes
from metastasis.errors import InvalidInputError

BreastLocation = Literal[
    "nipple",
    "central",
    "upper_inner",
    "lower_inner",
    "upper_outer",
    "lower_outer",
    "axillary_tail",
    "overlapping",
    "unknown",
]
Histology = Literal[
    "invasive_nst", "invasive_lobular", "mixed_nst_lobular", "invasive_special_type", "dcis", "other", "unknown"
]
Laterality = Literal["left", "right", "bilateral", "unknown"]


def _category(axis: str, value: Any) -> Any:
    if value is None:
        return None
    from metastasis.staging.tnm import parse_category

    return parse_category(value, axis, field=axis.lower()).label  # type: ignore[arg-type]


def _receptor(field: str, equivocal: bool, value: Any) -> Any:
    if value is None:
        return None
    return receptor_status(value, field=field, equivocal_allowed=equivocal)


def _grade(value: Any) -> Any:
    return None if value is None else histologic_grade(value)


def _ihc(value: Any) -> Any:
    return her2_ihc_score(value)


HER2_TESTING_SOURCES: tuple[str, ...] = ("wolff-2018-asco-cap-her2", "wolff-2023-asco-cap-her2")
"""ASCO/CAP HER2 testing guideline (2018 focused update, affirmed 2023): the HER2 consistency rules rest on it."""


def _tnm(axis: str, *examples: str) -> Any:
    shown = ", ".join(repr(e) for e in examples)
    return Field(
        default=None,
        description=f"{axis} category at diagnosis with its prefix (c, p, yc, yp, r, rc, rp), e.g. {shown}.",
        examples=list(examples),
    )


# ER, PR and Ki67 are never equivocal (HER2 can be): the published schema says so.
_NOT_EQUIVOCAL = WithJsonSchema(
    {"anyOf": [{"enum": ["positive", "negative", "unknown"], "type": "string"}, {"type": "null"}]}
)


class Tumour(CaseModel):
    """The primary breast tumour at diagnosis."""

    location: BreastLocation | None = Field(default=None, description="Where in the breast (quadrant).")
    laterality: Laterality | None = Field(default=None, description="Which breast.")
    histology: Histology | None = Field(
        default=None, description="Histological type: invasive NST (ductal), lobular, mixed, special type, DCIS..."
    )
    size_mm: PositiveNumber | None = Field(
        default=None, description="Greatest dimension of the invasive tumour in millimetres (> 0)."
    )
    t: Annotated[str | None, BeforeValidator(partial(_category, "T"))] = _tnm("T", "cT2", "pT1c", "ypT0")
    n: Annotated[str | None, BeforeValidator(partial(_category, "N"))] = _tnm("N", "cN1", "pN1a", "pN0(i+)")
    m: Annotated[str | None, BeforeValidator(partial(_category, "M"))] = _tnm("M", "cM0", "cM1", "pM1")
    nodes_positive: Annotated[int, Field(strict=True, ge=0)] | None = Field(
        default=None, description="Number of positive axillary lymph nodes (PREDICT and NPI use it)."
    )
    nodes_examined: Count | None = Field(default=None, description="Number of axillary lymph nodes examined.")
    micrometastases_only: bool | None = Field(
        default=None, description="With one positive node: it holds micrometastases only (PREDICT)."
    )
    grade: Annotated[Annotated[int, Field(ge=1, le=3)] | None, BeforeValidator(_grade)] = Field(
        default=None, description="Nottingham histological grade 1, 2 or 3 ('G2' is accepted)."
    )
    er: Annotated[ReceptorStatus | None, BeforeValidator(partial(_receptor, "er", False)), _NOT_EQUIVOCAL] = Field(
        default=None, description="Oestrogen receptor: positive, negative or unknown ('+'/'-' accepted)."
    )
    pr: Annotated[ReceptorStatus | None, BeforeValidator(partial(_receptor, "pr", False)), _NOT_EQUIVOCAL] = Field(
        default=None, description="Progesterone receptor: positive, negative or unknown."
    )
    her2: Annotated[ReceptorStatus | None, BeforeValidator(partial(_receptor, "her2", True))] = Field(
        default=None, description="HER2: positive, negative, equivocal or unknown."
    )
    her2_ihc: Annotated[Her2Ihc | None, BeforeValidator(_ihc)] = Field(
        default=None,
        description="HER2 immunohistochemistry score: 0, 1+, 2+ or 3+ ('IHC 1+' and 0-3 accepted). IHC 1+, or 2+ "
        "with negative ISH, is HER2-low.",
    )
    her2_ish: Annotated[ReceptorStatus | None, BeforeValidator(partial(_receptor, "her2_ish", True))] = Field(
        default=None,
        description="HER2 in situ hybridisation, the final call (ISH groups 2-4 resolved with the IHC): positive, "
        "negative, equivocal (older reports) or unknown.",
    )
    ki67: Annotated[ReceptorStatus | None, BeforeValidator(partial(_receptor, "ki67", False)), _NOT_EQUIVOCAL] = Field(
        default=None, description="Ki67 as PREDICT takes it: positive (high), negative (low) or unknown."
    )
    ki67_percent: Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)] | None = Field(
        default=None, description="Ki67 index in percent of tumour cells, as reported."
    )
    oncotype_rs: Annotated[float, Field(strict=True, ge=0, le=100, allow_inf_nan=False)] | None = Field(
        default=None, description="Oncotype DX recurrence score, 0-100."
    )
    detection: Annotated[str, Vocabulary("detection mode", detection_modes)] | None = Field(
        default=None, description="How the cancer was found: screen, clinical or unknown (PREDICT)."
    )

    def issues(self) -> list[Issue]:
        """Contradictions inside the tumour record (relative locations); warnings included."""
        return [*self._size_issues(), *self._node_issues(), *self._prefix_issues(), *self._her2_issues()]

    def _size_issues(self) -> list[Issue]:
        if self.size_mm is None:
            return []
        from metastasis.staging.measure import t_from_size
        from metastasis.staging.tnm import parse_t

        try:
            derived = t_from_size(self.size_mm)
        except InvalidInputError as exc:
            return [
                Issue(
                    loc=("size_mm",),
                    message="implausible tumour size",
                    value=self.size_mm,
                    allowed=exc.allowed,
                    rule="tumour.size_implausible",
                )
            ]
        if self.t is None:
            return []
        recorded = parse_t(self.t)
        by_size = parse_t(derived.code)
        if recorded.group not in {"T1", "T2", "T3"} or recorded.group == by_size.group:
            return []
        return [
            Issue(
                loc=("t",),
                message=f"{self.t} does not match the size: {self.size_mm:g} mm is {derived.code} by size",
                value=self.t,
                severity=Severity.WARNING,
                rule="tumour.t_size_mismatch",
                sources=tuple(s for r in derived.reasons for s in r.sources),
            )
        ]

    def _node_issues(self) -> list[Issue]:
        issues: list[Issue] = []
        positive, examined = self.nodes_positive, self.nodes_examined
        if positive is not None and examined is not None and positive > examined:
            issues.append(
                Issue(
                    loc=("nodes_positive",),
                    message=f"more positive nodes ({positive}) than nodes examined ({examined})",
                    value=positive,
                    allowed=f"at most nodes_examined ({examined})",
                    rule="tumour.nodes_positive_above_examined",
                )
            )
        if positive is not None:
            from metastasis.staging.measure import pn_from_nodes

            try:
                pn_from_nodes(positive)
            except InvalidInputError as exc:
                issues.append(
                    Issue(
                        loc=("nodes_positive",),
                        message="implausible number of positive nodes",
                        value=positive,
                        allowed=exc.allowed,
                        rule="tumour.nodes_implausible",
                    )
                )
        if positive and self.n is not None:
            from metastasis.staging.tnm import parse_n

            if parse_n(self.n).group == "N0":
                issues.append(
                    Issue(
                        loc=("n",),
                        message=f"{self.n} (no nodal metastasis) but {positive} positive node(s) recorded",
                        value=self.n,
                        severity=Severity.WARNING,
                        rule="tumour.n0_with_positive_nodes",
                    )
                )
        return issues

    def _prefix_issues(self) -> list[Issue]:
        if self.t is None or self.n is None:
            return []
        from metastasis.staging.tnm import parse_n, parse_t

        t, n = parse_t(self.t), parse_n(self.n)
        if t.prefix and n.prefix and t.is_post_therapy != n.is_post_therapy:
            return [
                Issue(
                    loc=("n",),
                    message=f"{t.label} and {n.label} mix post-neoadjuvant (y) and other classifications",
                    value=self.n,
                    allowed="the same kind of prefix as T",
                    rule="tumour.mixed_y_prefix",
                )
            ]
        return []

    def _her2_issues(self) -> list[Issue]:
        call = her2_from_tests(self.her2_ihc, self.her2_ish)
        if call is None:
            return []
        recorded = self.her2 or ReceptorStatus.UNKNOWN
        tests = " and ".join(
            f"{name} {value}" for name, value in (("IHC", self.her2_ihc), ("ISH", self.her2_ish)) if value is not None
        )
        if recorded is ReceptorStatus.UNKNOWN:
            return [
                Issue(
                    loc=("her2",),
                    message=f"HER2 is not recorded, but {tests} calls it {call.value}",
                    value=recorded.value,
                    allowed=call.value,
                    severity=Severity.WARNING,
                    rule="tumour.her2_not_recorded",
                    sources=HER2_TESTING_SOURCES,
                )
            ]
        if call is ReceptorStatus.EQUIVOCAL:
            if recorded is ReceptorStatus.EQUIVOCAL:
                return []
            return [
                Issue(
                    loc=("her2_ish",),
                    message=f"HER2 {recorded.value} with {tests}: at IHC 2+ the HER2 status rests on ISH; "
                    "record the ISH result",
                    value=self.her2_ish.value if self.her2_ish else None,
                    allowed="positive or negative",
                    severity=Severity.WARNING,
                    rule="tumour.her2_ihc2_without_ish",
                    sources=HER2_TESTING_SOURCES,
                )
            ]
        if recorded is call:
            return []
        return [
            Issue(
                loc=("her2",),
                message=f"HER2 {recorded.value} but {tests} means HER2 {call.value} (ASCO/CAP)",
                value=recorded.value,
                allowed=call.value,
                rule="tumour.her2_tests_mismatch",
                sources=HER2_TESTING_SOURCES,
            )
        ]

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Tumour:
        if not rules_skipped(info):
            raise_errors(self.issues())
        return self
