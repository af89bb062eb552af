"""Base models for the records read from data files: frozen, strict, and (when cited) checked against the
source registry, so a data file that cites an unknown source fails when it is loaded."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from metastasis.evidence.registry import check_cited


class DataRecord(BaseModel):
    """A record from a data file: immutable, and unknown keys are refused (a typo fails loudly)."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class CitedRecord(DataRecord):
    """A data record that names the sources it rests on; every id must be registered.

    Subclasses that require at least one source redeclare ``sources: tuple[str, ...] = Field(min_length=1)``;
    the registry check still applies.
    """

    sources: tuple[str, ...] = ()

    @field_validator("sources")
    @classmethod
    def _registered(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)
