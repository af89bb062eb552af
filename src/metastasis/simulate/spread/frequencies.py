"""Breast-cancer site frequencies from the literature, each labelled with its kind, population and source.

"How often does breast cancer spread to the liver?" has several different answers depending on what is
counted. The kinds are kept apart (see :class:`FrequencyKind`); mixing them (for example treating the share
of patients with liver metastases at death as the chance that the liver is the first site) is a category
error that this module is designed to make visible.

Example
-------
>>> [f.id for f in site_frequencies(kind="first_site")][:2]
['iranian-first-site', 'newton-2015-first-site']
"""

from __future__ import annotations

from enum import StrEnum
from functools import cache

from pydantic import BaseModel, ConfigDict, Field, field_validator

from metastasis.errors import DataIntegrityError, InvalidInputError
from metastasis.evidence import Verification, get_source
from metastasis.evidence.registry import check_cited
from metastasis.simulate.spread._data import load_models


class FrequencyKind(StrEnum):
    """What a site frequency counts (spread_models.md section 0.4, plus clinical relapse cohorts)."""

    AUTOPSY_INVOLVEMENT = "autopsy_involvement"
    """% of autopsied patients with the site involved (terminal pattern; several sites per patient)."""
    SHARE_OF_METASTASES = "share_of_metastases"
    """Fraction of all metastases found at the site (sums to 1 over sites; Newton's target normalisation)."""
    FIRST_SITE = "first_site"
    """Distribution of the first metastatic site among patients who develop metastases."""
    AT_DIAGNOSIS = "at_diagnosis"
    """% of newly diagnosed patients presenting with the site at diagnosis (de novo stage IV)."""
    RELAPSE_INVOLVEMENT = "relapse_involvement"
    """% of patients with metastatic disease in whom the site is involved (clinical cohorts)."""


KIND_MEANING: dict[FrequencyKind, str] = {
    FrequencyKind.AUTOPSY_INVOLVEMENT: "% of autopsied patients with the site involved",
    FrequencyKind.SHARE_OF_METASTASES: "fraction of all metastases at the site",
    FrequencyKind.FIRST_SITE: "distribution of the first metastatic site",
    FrequencyKind.AT_DIAGNOSIS: "% of newly diagnosed patients with the site involved at diagnosis",
    FrequencyKind.RELAPSE_INVOLVEMENT: "% of patients with metastatic disease with the site involved",
}


class SiteFrequency(BaseModel):
    """One published set of site frequencies."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    kind: FrequencyKind
    measure: str = Field(description="percent_of_patients, percent_of_newly_diagnosed, share, odds_ratio or count.")
    primary: str = "breast"
    population: str
    subtype: str = Field(description="Receptor subtype of the population ('all' for every subtype).")
    source_group: str | None = Field(default=None, description="The group's name in the source, if different.")
    n: int | None = None
    reference: str | None = Field(default=None, description="Reference subtype of an odds ratio.")
    values: dict[str, float] = Field(default_factory=dict)
    lower_bounds: dict[str, float] = Field(default_factory=dict)
    upper_bounds: dict[str, float] = Field(default_factory=dict)
    intervals: dict[str, tuple[float, float]] = Field(default_factory=dict)
    sources: tuple[str, ...]
    notes: str = ""

    @field_validator("sources")
    @classmethod
    def _known(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("every site frequency needs at least one source")
        return check_cited(value)

    @property
    def verification(self) -> Verification:
        """The weakest verification among the record's sources."""
        levels = [get_source(s).verification for s in self.sources]
        order = [Verification.UNVERIFIED, Verification.CORROBORATED, Verification.VERIFIED]
        return min(levels, key=order.index)


_MEASURES = {"percent_of_patients", "percent_of_newly_diagnosed", "share", "odds_ratio", "count"}


@cache
def _records() -> tuple[SiteFrequency, ...]:
    records = load_models("site_frequencies.yaml", SiteFrequency)
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        raise DataIntegrityError("simulate/spread/data/site_frequencies.yaml: duplicate ids")
    for record in records:
        if record.measure not in _MEASURES:
            raise DataIntegrityError(f"site frequency {record.id}: unknown measure {record.measure!r}")
        if not (record.values or record.lower_bounds or record.upper_bounds):
            raise DataIntegrityError(f"site frequency {record.id}: no values")
    return records


def site_frequencies(kind: str | None = None, subtype: str | None = None) -> tuple[SiteFrequency, ...]:
    """Published site frequencies, optionally only of one kind and/or one subtype.

    Parameters
    ----------
    kind:
        One of :class:`FrequencyKind` (``"autopsy_involvement"``, ``"share_of_metastases"``,
        ``"first_site"``, ``"at_diagnosis"``, ``"relapse_involvement"``).
    subtype:
        A subtype label as used in the records (``"all"``, ``"hr+/her2-"``, ``"hr-/her2+"``,
        ``"triple-negative"``, ...).
    """
    records = _records()
    if kind is not None:
        allowed = [k.value for k in FrequencyKind]
        if kind not in allowed:
            raise InvalidInputError("kind", kind, allowed)
        records = tuple(r for r in records if r.kind.value == kind)
    if subtype is not None:
        records = tuple(r for r in records if r.subtype == subtype)
    return records


def site_frequency(record_id: str) -> SiteFrequency:
    """One site-frequency record by id."""
    for record in _records():
        if record.id == record_id:
            return record
    raise InvalidInputError("record", record_id, [r.id for r in _records()])


_records()  # fail at import when the data file is malformed or cites an unknown source
