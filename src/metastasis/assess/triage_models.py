"""Data models of the symptom-triage knowledge (vocabulary, rules, conditions, work-up, actions), loaded once from
YAML and cross-checked at load: rules name known symptoms and conditions, and every condition has one text per
urgency level its rules can reach."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from functools import cache
from types import MappingProxyType

from pydantic import Field, TypeAdapter, ValidationError, field_validator, model_validator

from metastasis.errors import DataIntegrityError
from metastasis.evidence.records import CitedRecord, DataRecord
from metastasis.knowledge._data import load_model, load_models, read_yaml
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
    """At least ``min`` (and, when given, at most ``max``) of the symptoms ``of`` are present."""

    min: int = Field(ge=1)
    max: int | None = Field(default=None, ge=1)
    of: tuple[str, ...]

    @model_validator(mode="after")
    def _bounds(self) -> Count:
        if self.min > len(self.of) or (self.max is not None and not self.min <= self.max < len(self.of)):
            raise ValueError(f"count of {len(self.of)} symptoms needs min <= {len(self.of)} and min <= max < it")
        return self


class Clause(_Frozen):
    """One condition of a rule; exactly one field is set."""

    any: tuple[str, ...] | None = Field(default=None, min_length=1)
    none: tuple[str, ...] | None = Field(default=None, min_length=1)
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
        """Symptom ids this clause mentions (required or excluded)."""
        return self.required_ids() + (self.none or ())

    def required_ids(self) -> tuple[str, ...]:
        """Symptom ids this clause asks to be present (``any`` or ``count``)."""
        return self.any or (self.count.of if self.count else ())


class Rule(_Cited):
    """A red-flag or urgency rule: fires when all clauses hold; ``condition`` names its clinical situation.

    A ``residual`` (catch-all) rule sees only the symptoms that no other fired rule matched.
    """

    id: str
    title: str
    urgency: Urgency
    condition: str = Field(pattern=r"^[a-z][a-z_]*$")
    residual: bool = False
    when: tuple[Clause, ...] = Field(min_length=1)
    text: str
    patient_text: str

    @model_validator(mode="after")
    def _requires_what_it_excludes_never(self) -> Rule:
        required = {s for clause in self.when for s in clause.required_ids()}
        excluded = {s for clause in self.when for s in clause.none or ()}
        if required & excluded:
            raise ValueError(f"{self.id} both requires and excludes {sorted(required & excluded)}")
        return self


class Condition(_Cited):
    """A clinical situation that rules fire for: titles and immediate management, per urgency level."""

    title: str
    plain_title: str
    action: dict[Urgency, str] = Field(min_length=1)
    plain_action: dict[Urgency, str] = Field(min_length=1)


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
    """The triage rules, in file order; every symptom id they mention must be in the vocabulary and every
    condition they name must be in ``triage_conditions.yaml``."""
    loaded = load_models(_PKG, "triage_rules.yaml", Rule)
    known = symptoms()
    for rule in loaded:
        for clause in rule.when:
            unknown = set(clause.symptom_ids()) - set(known)
            if unknown:
                raise DataIntegrityError(f"triage_rules.yaml: {rule.id} names unknown symptoms {sorted(unknown)}")
    _check_conditions(loaded, _load_conditions())
    return loaded


@cache
def conditions() -> Mapping[str, Condition]:
    """The clinical situations the rules fire for, by id (file order), checked against the rules."""
    loaded = _load_conditions()
    _check_conditions(rules(), loaded)
    return loaded


@cache
def _load_conditions() -> Mapping[str, Condition]:
    try:
        table = TypeAdapter(dict[str, Condition]).validate_python(read_yaml(_PKG, "triage_conditions.yaml"))
    except ValidationError as exc:
        raise DataIntegrityError(f"{_PKG}/data/triage_conditions.yaml: {exc}") from exc
    return MappingProxyType(table)


def _check_conditions(loaded_rules: tuple[Rule, ...], table: Mapping[str, Condition]) -> None:
    """Every rule's condition has an entry, every entry is used, and each has one text per reachable urgency."""
    reached: dict[str, set[Urgency]] = {}
    for rule in loaded_rules:
        if rule.condition not in table:
            raise DataIntegrityError(f"triage_conditions.yaml: no entry for {rule.condition!r} (rule {rule.id})")
        reached.setdefault(rule.condition, set()).add(rule.urgency)
    for condition_id, entry in table.items():
        levels = reached.get(condition_id)
        if levels is None:
            raise DataIntegrityError(f"triage_conditions.yaml: {condition_id!r} is named by no rule")
        for field in ("action", "plain_action"):
            given = set(getattr(entry, field))
            if given != levels:
                raise DataIntegrityError(
                    f"triage_conditions.yaml: {condition_id}.{field} has levels {sorted(given)}; "
                    f"its rules reach {sorted(levels)}"
                )


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
