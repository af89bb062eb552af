"""Data models of the symptom-triage knowledge (vocabulary, rules, work-up, actions), loaded once from YAML."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from pydantic import Field, field_validator, model_validator

from metastasis.errors import DataIntegrityError
from metastasis.evidence.records import CitedRecord, DataRecord
from metastasis.knowledge._data import load_model, load_models
from metastasis.knowledge.sites import site_ids

_PKG = "metastasis.assess"


class Urgency(StrEnum):
    """How soon to get help, most urgent first."""

    EMERGENCY_NOW = "emergency_now"
    SAME_DAY = "same_day"
    SOON = "soon"
    ROUTINE = "routine"

    @property
    def rank(self) -> int:
        """0 for the most urgent level."""
        return list(Urgency).index(self)


_Frozen = DataRecord


class _Cited(CitedRecord):
    sources: tuple[str, ...] = Field(min_length=1)


class Symptom(_Cited):
    """One term of the controlled symptom vocabulary."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    label: str
    aliases: tuple[str, ...] = ()
    points_to: dict[str, int] = Field(default_factory=dict)
    hints: tuple[str, ...] = ()

    @field_validator("points_to")
    @classmethod
    def _known_sites(cls, value: dict[str, int]) -> dict[str, int]:
        unknown = set(value) - set(site_ids())
        if unknown:
            raise ValueError(f"unknown site ids {sorted(unknown)}")
        return value


class Count(_Frozen):
    min: int = Field(ge=1)
    of: tuple[str, ...]


class Clause(_Frozen):
    """One condition of a rule; exactly one field is set."""

    any: tuple[str, ...] | None = None
    count: Count | None = None
    calcium_grade_min: int | None = Field(default=None, ge=0, le=4)
    calcium_grade_max: int | None = Field(default=None, ge=0, le=4)
    calcium_given: bool | None = None
    lab_above_uln: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _exactly_one(self) -> Clause:
        if sum(value is not None for value in self.__dict__.values()) != 1:
            raise ValueError("a clause sets exactly one condition")
        return self

    def symptom_ids(self) -> tuple[str, ...]:
        """Symptom ids this clause mentions."""
        return self.any or (self.count.of if self.count else ())


class Rule(_Cited):
    """A red-flag or urgency rule: fires when all clauses hold."""

    id: str
    title: str
    urgency: Urgency
    condition: str | None = None
    when: tuple[Clause, ...] = Field(min_length=1)
    text: str
    patient_text: str


class SiteWorkup(_Cited):
    """Recommended tests for one suspected site."""

    imaging: tuple[str, ...] = ()
    labs: tuple[str, ...] = ()
    biopsy: str | None = None


class FirstMetastasis(_Cited):
    text: str


class Workup(_Frozen):
    first_metastasis: FirstMetastasis
    sites: dict[str, SiteWorkup]
    conditions: dict[str, SiteWorkup]


class DefaultUln(_Cited):
    si: float
    conventional: float


class Actions(_Frozen):
    notice: str
    urgency: dict[Urgency, str]
    default_calcium_uln: DefaultUln


@cache
def symptoms() -> Mapping[str, Symptom]:
    """The symptom vocabulary, by id (catalogue order)."""
    return MappingProxyType({s.id: s for s in load_models(_PKG, "triage_symptoms.yaml", Symptom)})


@cache
def aliases() -> Mapping[str, str]:
    """Accepted input spellings (ids and aliases) mapped to symptom ids."""
    found: dict[str, str] = {}
    for symptom in symptoms().values():
        for name in (symptom.id, *symptom.aliases):
            if found.setdefault(name, symptom.id) != symptom.id:
                raise DataIntegrityError(f"triage_symptoms.yaml: {name!r} names two symptoms")
    return MappingProxyType(found)


@cache
def rules() -> tuple[Rule, ...]:
    """The triage rules, in file order; every symptom id they mention must be in the vocabulary."""
    loaded = load_models(_PKG, "triage_rules.yaml", Rule)
    known = symptoms()
    for rule in loaded:
        for clause in rule.when:
            unknown = set(clause.symptom_ids()) - set(known)
            if unknown:
                raise DataIntegrityError(f"triage_rules.yaml: {rule.id} names unknown symptoms {sorted(unknown)}")
    return loaded


@cache
def workup() -> Workup:
    """Recommended work-up per site and per suspected complication."""
    return load_model(_PKG, "triage_workup.yaml", Workup)


@cache
def actions() -> Actions:
    """What to do now, per urgency level, and the not-a-diagnosis notice."""
    loaded = load_model(_PKG, "triage_actions.yaml", Actions)
    if set(loaded.urgency) != set(Urgency):
        raise DataIntegrityError("triage_actions.yaml: one action per urgency level is required")
    return loaded
