"""The base of every clinical result: reasons, caveats and the sources they cite."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from metastasis.evidence.registry import check_cited, get_source
from metastasis.evidence.source import Source


class Reason(BaseModel):
    """Which rule or table row produced (part of) a result, and what it rests on."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="Stable id of the rule or table row, e.g. 'ajcc8.clinical:B/G2/HER2-/ER+/PR+'.")
    text: str = Field(description="What the rule says, in words.")
    sources: tuple[str, ...] = Field(default=(), description="Ids of the sources this rule rests on.")

    @field_validator("sources")
    @classmethod
    def _known_sources(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return check_cited(value)


class Evidenced(BaseModel):
    """Mixin base for results: every result says why (reasons) and on what (sources)."""

    reasons: list[Reason] = Field(default_factory=list)
    caveats: list[str] = Field(default_factory=list, description="Limits and unverified items to know about.")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def sources(self) -> list[str]:
        """Ids of every source cited by the reasons, in order of first citation."""
        seen: dict[str, None] = {}
        for reason in self.reasons:
            for source_id in reason.sources:
                seen.setdefault(source_id, None)
        return list(seen)

    def references(self) -> list[Source]:
        """The full :class:`Source` records behind :attr:`sources`."""
        return [get_source(source_id) for source_id in self.sources]
