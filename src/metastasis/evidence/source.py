"""The :class:`Source` record."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Verification(StrEnum):
    """How well a source's use in this package was checked (the research notes' legend)."""

    VERIFIED = "verified"
    """Read directly in the cited document, or computed from its machine-readable table."""
    CORROBORATED = "corroborated"
    """Stated in two or more independent sources, but the primary text itself was not read."""
    UNVERIFIED = "unverified"
    """From a single weak source or conflicting sources: check before relying on it."""


class Source(BaseModel):
    """One bibliographic source that rules, tables or numbers in the package rest on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]*$", description="Stable identifier used in citations.")
    citation: str = Field(min_length=10, description="Full citation.")
    doi: str | None = Field(default=None, pattern=r"^10\.\d{4,9}/\S+$")
    url: str | None = Field(default=None, pattern=r"^https?://\S+$")
    verification: Verification
    notes: str = ""

    @property
    def link(self) -> str | None:
        """The best link to the source: its DOI resolver address, else its URL."""
        return f"https://doi.org/{self.doi}" if self.doi else self.url
