"""What the case-store routes take and answer, their documented error answers, and the ``If-Match`` rule.

No ``from __future__ import annotations`` here: FastAPI reads these models' annotations.
"""

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from metastasis.api.auth import UNAUTHORIZED
from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.api.workers import BUSY
from metastasis.store.events import EVENT_KINDS

#: A version in ``If-Match``: the ETag a read gave (``"3"``), or the bare number.
_IF_MATCH = re.compile(r'^\s*"?([1-9][0-9]{0,9})"?\s*$')
IF_MATCH_ALLOWED = 'the ETag of the version the change is based on, e.g. "3" (GET /api/v1/cases/{case_id})'

EventKind = Literal[tuple(EVENT_KINDS)]  # type: ignore[valid-type]


def etag(version: int) -> str:
    """The ETag of a version: its number in quotes.

    Example
    -------
    >>> etag(3)
    '"3"'
    """
    return f'"{version}"'


def base_version(if_match: str | None, *, required: bool) -> int | None:
    """The version an ``If-Match`` header names.

    Parameters
    ----------
    if_match:
        The header as sent (``"3"`` or ``3``), or ``None``.
    required:
        Whether a missing header is refused (428) rather than read as "no base version".

    Returns
    -------
    int | None
        The version, or ``None`` when the header is absent and not required.

    Raises
    ------
    ApiError
        428 when required and missing; 422 naming ``If-Match`` when it is not one version (``*`` and lists are
        refused: a change must name the one version it read).

    Example
    -------
    >>> base_version('"3"', required=True), base_version(None, required=False)
    (3, None)
    """
    if if_match is None or not if_match.strip():
        if not required:
            return None
        message = "this change needs the If-Match header: the ETag of the version it is based on"
        raise ApiError(428, [ErrorItem(field="If-Match", allowed=IF_MATCH_ALLOWED, message=message)])
    found = _IF_MATCH.match(if_match)
    if found is None:
        item = ErrorItem(
            field="If-Match", value=if_match, allowed=IF_MATCH_ALLOWED, message="If-Match must name one version"
        )
        raise ApiError(422, [item])
    return int(found.group(1))


class CaseWritten(BaseModel):
    """Where a write left a case record: its id and the version written."""

    id: int = Field(description="The case record's id.")
    version: int = Field(description="The version written (also the ETag).")


class CaseRecord(BaseModel):
    """One version of a case record, with its case file."""

    id: int
    version: int = Field(description="This version (the ETag).")
    current_version: int = Field(description="The record's newest version.")
    owner_id: int = Field(description="The clinician who owns the record (a user id).")
    author_id: int | None = Field(description="Who wrote this version (a user id).")
    created_at: dt.datetime
    reason: str = Field(description="Why this version was written.")
    case: dict[str, Any] = Field(description="The case file of this version (fields at their defaults left out).")


class EventIn(BaseModel):
    """One event to append to the case: a lab result, symptom, treatment, imaging finding..."""

    model_config = ConfigDict(extra="forbid")

    kind: EventKind = Field(description="Which list of the case file the event joins (see docs/store.md).")
    payload: dict[str, Any] = Field(
        description="One item of that list, as the case file writes it.",
        examples=[{"analyte": "calcium", "value": 2.9, "unit": "mmol/L", "date": "2025-03-01"}],
    )


class AccessToken(BaseModel):
    """An OAuth2 bearer token (RFC 6749 section 5.1)."""

    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="Seconds until the token stops working.")


class ApiTokenIn(BaseModel):
    """A name for a new API token (for the integration that will use it)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=100, examples=["registry export"])


class ApiTokenIssued(BaseModel):
    """A new API token: shown once, never stored (only its hash is)."""

    id: int
    name: str
    token: str
    expires_at: dt.datetime


class ApiTokenListed(BaseModel):
    """An API token as listed (without the token)."""

    id: int
    name: str | None
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class InvitationIn(BaseModel):
    """An invitation token from a link ``/invite/{token}``."""

    model_config = ConfigDict(extra="forbid")

    invitation: str = Field(min_length=1, max_length=256)


class InvitationIssued(BaseModel):
    """A new invitation: the link's path, shown once (single use, expiring, revocable)."""

    id: int
    path: str = Field(description="Give this link to the patient or family: `/invite/{token}` on this server.")
    expires_at: dt.datetime


class WatchIn(BaseModel):
    """A trial watch's filters: a study is watched when it passes all that are given (none given: every study)."""

    model_config = ConfigDict(extra="forbid")

    statuses: list[str] = Field(
        default_factory=list,
        max_length=20,
        description="Recruitment statuses to keep (`recruiting`, `not_yet_recruiting` ...); empty keeps all.",
        examples=[["recruiting", "not_yet_recruiting"]],
    )
    phases: list[str] = Field(
        default_factory=list,
        max_length=10,
        description="Phases to keep (`phase2`, `2`, `early_phase1`, `na`); a study with any of them is kept.",
        examples=[["phase2", "phase3"]],
    )
    near: tuple[float, float] | None = Field(
        default=None, description="A point [latitude, longitude]: keep studies with a site within `within_km`."
    )
    within_km: float | None = Field(default=None, description="The radius around `near` in km (both or neither).")


def _answer(status: int, text: str) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": text}}


NOT_FOUND = _answer(404, "No such case record, or one you may not see (the same answer).")
FORBIDDEN = _answer(403, "Your role may not do this.")
STALE = {
    409: {
        "model": ErrorBody,
        "description": "The case changed since the version in If-Match: nothing was written; reload and retry.",
        "headers": {"ETag": {"description": "The current version.", "schema": {"type": "string"}}},
    }
}
PRECONDITION = _answer(428, "If-Match is missing: a change must name the version it is based on.")
UNAVAILABLE = _answer(503, "The database schema is out of date, or the store is busy: see the message.")

#: The errors of every route behind a bearer token.
AUTHED: dict[int | str, dict[str, Any]] = {**UNAUTHORIZED, **UNAVAILABLE}
#: ... and of the routes about one record.
ONE_RECORD: dict[int | str, dict[str, Any]] = {**AUTHED, **NOT_FOUND}
#: ... and of the routes that run the assessment on the worker pool.
HEAVY: dict[int | str, dict[str, Any]] = {**BUSY, **UNAVAILABLE}
