"""What an mCODE import returns: the case, and an account of every resource used, ignored or in conflict.

Resources are named ``Type/id`` and elements by a FHIRPath-style path (``Observation.valueCodeableConcept``),
so that a clinician or an interface engineer can find each one in the bundle.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from metastasis import DISCLAIMER
from metastasis.domain.case import Case


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class UsedResource(_Frozen):
    """A resource the import read, and the case fields it filled."""

    resource: str = Field(description="The resource as Type/id.")
    profile: str | None = Field(default=None, description="Its mCODE profile, when it claims one.")
    fields: tuple[str, ...] = Field(default=(), description="Case fields (JSON paths) it supplied.")
    note: str | None = Field(default=None, description="How it was read, when that needs saying.")


@dataclass(frozen=True, slots=True)
class Finding:
    """Something left out of the case (ignored) or worth checking (warning), with where it is in the bundle.

    A plain dataclass: a Synthea bundle yields hundreds (every encounter, vital sign, immunisation ...).
    """

    resource: str
    """The resource as Type/id ('Bundle' for the bundle itself)."""
    path: str
    """FHIRPath-style element path, e.g. Observation.valueCodeableConcept.coding[0]."""
    message: str
    """What happened and why."""


class Candidate(_Frozen):
    """One value a resource gives for a case field."""

    value: str | int | float = Field(description="The value as the case would hold it.")
    date: datetime.date | None = Field(default=None, description="Its effective date, when recorded.")
    resource: str
    path: str


class Conflict(_Frozen):
    """Two or more resources that give a case field different values: the latest by effective date is kept."""

    field: str = Field(description="The case field (JSON path).")
    kept: Candidate
    dropped: tuple[Candidate, ...]
    rule: str = Field(default="the latest effective date wins (undated values count as oldest)")


class RecordedStage(_Frozen):
    """A stage group the bundle records (the case does not hold one: the assessment derives it)."""

    stage: str = Field(description="AJCC stage group: 0, I, IA ... IV (I, II, III when the code gives no subgroup).")
    basis: Literal["clinical", "pathological"]
    date: datetime.date | None = None
    resource: str
    path: str


class DiseaseStatus(_Frozen):
    """A cancer disease status observation (mCODE): improved, stable, worsened or undetermined."""

    status: str
    date: datetime.date | None = None
    resource: str


class ImportResult(_Frozen):
    """The case read from an mCODE bundle, with an account of everything in the bundle."""

    case: Case = Field(description="The case (validated; warnings are in case.check()).")
    used: tuple[UsedResource, ...] = Field(default=(), description="Every resource read into the case.")
    ignored: tuple[Finding, ...] = Field(default=(), description="Every resource or element left out, and why.")
    warnings: tuple[Finding, ...] = Field(
        default=(), description="Unknown code systems, values dropped as contradictory, dates that could not be read."
    )
    conflicts: tuple[Conflict, ...] = Field(default=(), description="Fields given differently by several resources.")
    stage_group: RecordedStage | None = Field(
        default=None, description="The stage group the bundle records (latest; the most specific on one date)."
    )
    stage_groups: tuple[RecordedStage, ...] = Field(default=(), description="Every stage group recorded.")
    disease_status: tuple[DiseaseStatus, ...] = Field(default=(), description="Disease status over time.")
    sources: tuple[str, ...] = Field(default=(), description="Sources of the code maps used.")
    structure_checked: bool = Field(
        default=True, description="Whether each resource read was checked against its FHIR R4 (R4B) model."
    )
    disclaimer: str = DISCLAIMER
