"""Typed ClinicalTrials.gov API v2 study records, as the API sends them, and the results of matching a case.

A :class:`Study` accepts a real record as it comes: keys this package does not read are kept (``extra="allow"``)
and every module may be missing. The accessors read the few fields matching needs.

Example
-------
>>> study = Study.model_validate({"protocolSection": {"identificationModule": {"nctId": "NCT00000001"}}})
>>> study.nct_id, study.overall_status, study.criteria_text
('NCT00000001', None, '')
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from metastasis.errors import InvalidInputError

NCT_ID = re.compile(r"^NCT\d{8}$")
STUDY_URL = "https://clinicaltrials.gov/study/{nct_id}"

CriterionStatus = Literal["met", "not_met", "unknown"]
CriterionKind = Literal["structured", "inclusion", "exclusion"]
MatchStatus = Literal["eligible", "possibly_eligible", "not_eligible"]


class _Open(BaseModel):
    """A part of an API record: known fields typed, every other key kept as sent."""

    model_config = ConfigDict(extra="allow", populate_by_name=True, frozen=True)


class Identification(_Open):
    nct_id: str = Field(alias="nctId")
    brief_title: str | None = Field(default=None, alias="briefTitle")
    official_title: str | None = Field(default=None, alias="officialTitle")


class DateStruct(_Open):
    date: str | None = None


class StatusModule(_Open):
    overall_status: str | None = Field(default=None, alias="overallStatus")
    last_update_post: DateStruct | None = Field(default=None, alias="lastUpdatePostDateStruct")
    last_update_submit: str | None = Field(default=None, alias="lastUpdateSubmitDate")


class Conditions(_Open):
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()


class Design(_Open):
    phases: tuple[str, ...] = ()
    study_type: str | None = Field(default=None, alias="studyType")


class Eligibility(_Open):
    criteria: str | None = Field(default=None, alias="eligibilityCriteria")
    healthy_volunteers: bool | None = Field(default=None, alias="healthyVolunteers")
    sex: str | None = None
    minimum_age: str | None = Field(default=None, alias="minimumAge")
    maximum_age: str | None = Field(default=None, alias="maximumAge")


class GeoPoint(_Open):
    lat: float
    lon: float


class Location(_Open):
    facility: str | None = None
    city: str | None = None
    country: str | None = None
    status: str | None = None
    geo_point: GeoPoint | None = Field(default=None, alias="geoPoint")


class ContactsLocations(_Open):
    locations: tuple[Location, ...] = ()


class ProtocolSection(_Open):
    identification: Identification = Field(alias="identificationModule")
    status: StatusModule = Field(default_factory=lambda: StatusModule(), alias="statusModule")
    conditions: Conditions = Field(default_factory=lambda: Conditions(), alias="conditionsModule")
    design: Design = Field(default_factory=lambda: Design(), alias="designModule")
    eligibility: Eligibility = Field(default_factory=lambda: Eligibility(), alias="eligibilityModule")
    contacts_locations: ContactsLocations = Field(
        default_factory=lambda: ContactsLocations(), alias="contactsLocationsModule"
    )


class Study(_Open):
    """One ClinicalTrials.gov API v2 study record (unknown keys kept, missing modules tolerated)."""

    protocol: ProtocolSection = Field(alias="protocolSection")
    derived: dict[str, Any] | None = Field(default=None, alias="derivedSection")

    @property
    def nct_id(self) -> str:
        return self.protocol.identification.nct_id

    @property
    def title(self) -> str:
        ident = self.protocol.identification
        return ident.brief_title or ident.official_title or self.nct_id

    @property
    def overall_status(self) -> str | None:
        return self.protocol.status.overall_status

    @property
    def version(self) -> str | None:
        """The record's last-update date (``lastUpdatePostDateStruct.date``), which says which copy is newer."""
        status = self.protocol.status
        if status.last_update_post is not None and status.last_update_post.date:
            return status.last_update_post.date
        return status.last_update_submit

    @property
    def criteria_text(self) -> str:
        return self.protocol.eligibility.criteria or ""

    @property
    def conditions(self) -> tuple[str, ...]:
        return self.protocol.conditions.conditions

    @property
    def condition_terms(self) -> tuple[str, ...]:
        """Conditions, keywords and the MeSH condition terms ClinicalTrials.gov derived."""
        browse = (self.derived or {}).get("conditionBrowseModule") or {}
        meshes = tuple(
            str(item.get("term")) for item in browse.get("meshes", ()) if isinstance(item, dict) and item.get("term")
        )
        return (*self.conditions, *self.protocol.conditions.keywords, *meshes)

    @property
    def phases(self) -> tuple[str, ...]:
        return self.protocol.design.phases

    @property
    def url(self) -> str:
        return STUDY_URL.format(nct_id=self.nct_id)

    def to_record(self) -> dict[str, Any]:
        """The record as the API sent it (its own key names)."""
        return self.model_dump(mode="json", by_alias=True, exclude_unset=True)


def parse_study(data: Any, *, where: str = "study") -> Study:
    """Validate one API v2 study record.

    Parameters
    ----------
    data:
        The parsed JSON object of one study.
    where:
        Names the record in an error (``"line 3"``).

    Raises
    ------
    InvalidInputError
        When it is not an object with ``protocolSection.identificationModule.nctId`` of the form NCT + 8 digits.

    Example
    -------
    >>> parse_study({"protocolSection": {"identificationModule": {"nctId": "NCT01234567"}}}).nct_id
    'NCT01234567'
    """
    allowed = "a ClinicalTrials.gov API v2 study object with protocolSection.identificationModule.nctId"
    if not isinstance(data, dict):
        raise InvalidInputError(where, type(data).__name__, allowed)
    try:
        study = Study.model_validate(data)
    except ValueError as exc:
        first = exc.errors()[0] if hasattr(exc, "errors") else {}
        path = ".".join(str(part) for part in first.get("loc", ())) or "record"
        raise InvalidInputError(f"{where}: {path}", first.get("input", "missing"), allowed) from None
    if not NCT_ID.match(study.nct_id):
        raise InvalidInputError(f"{where}: nctId", study.nct_id, "NCT followed by 8 digits")
    return study


def age_in_years(text: str | None) -> float | None:
    """An API age such as ``"18 Years"``, ``"6 Months"`` or ``"N/A"`` in years (``None`` when absent).

    Example
    -------
    >>> age_in_years("18 Years"), age_in_years("6 Months"), age_in_years("N/A")
    (18.0, 0.5, None)
    """
    if not text:
        return None
    found = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(year|month|week|day)s?\s*$", text, re.IGNORECASE)
    if not found:
        return None
    per_year = {"year": 1.0, "month": 12.0, "week": 52.0, "day": 365.0}[found.group(2).lower()]
    return float(found.group(1)) / per_year


class CriterionResult(BaseModel):
    """One criterion judged against the case: met, not met or unknown, with the reason and the case fields used.

    ``status`` says whether the patient meets the criterion's statement as written: for an exclusion, ``met``
    means the exclusion applies.
    """

    model_config = ConfigDict(frozen=True)

    kind: CriterionKind = Field(
        description="structured (sex, age, healthy volunteers, condition), inclusion, exclusion."
    )
    text: str = Field(description="The criterion as written in the record.")
    status: CriterionStatus = Field(description="met, not_met or unknown.")
    reason: str = Field(description="Why, in words.")
    case_fields: tuple[str, ...] = Field(default=(), description="JSON paths of the case fields used.")
    concepts: tuple[str, ...] = Field(default=(), description="Concepts recognised in the text.")
    depth: int = Field(default=0, description="0 for a top-level criterion, 1 for its sub-bullets, ...")
    parent: int | None = Field(default=None, description="Index in `criteria` of the bullet this one is under.")
    sources: tuple[str, ...] = Field(default=(), description="Sources of the concepts used.")


class TrialMatch(BaseModel):
    """One study matched against one case. ``(nct_id, study_version)`` identifies what was judged, so that a watch
    can compare an earlier result with a new one."""

    model_config = ConfigDict(frozen=True)

    nct_id: str
    title: str
    status: MatchStatus = Field(description="eligible, possibly_eligible or not_eligible.")
    score: float = Field(description="Share of criteria met, 0-100 (a ranking aid, not a probability).")
    overall_status: str | None = Field(description="The study's recruitment status; it never decides eligibility.")
    relevance: str = Field(description="breast_metastatic, breast, basket, unrecognised or other_disease.")
    conditions: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    url: str
    study_version: str | None = Field(default=None, description="The record's last-update date.")
    nearest_km: float | None = Field(default=None, description="Distance to the nearest site, when --near is given.")
    counts: dict[str, int] = Field(description="How many criteria are met, not_met and unknown.")
    criteria: tuple[CriterionResult, ...]
    sources: tuple[str, ...] = Field(default=())

    @property
    def check_next(self) -> tuple[CriterionResult, ...]:
        """The unknown top-level criteria: what would decide a possibly eligible trial."""
        return tuple(c for c in self.criteria if c.status == "unknown" and c.depth == 0)
