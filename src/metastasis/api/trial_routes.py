"""Clinical trials over HTTP: match a case against the local trial store, and read one stored study.

``POST /trials/match`` takes a case as JSON or YAML (read like ``POST /report``: a case with errors answers 422
listing every problem with its JSON path) and answers ``{"matches": [TrialMatch, ...]}``; query parameters filter
by recruitment status and distance. ``GET /trials/{nct_id}`` answers the stored record as the API sent it, 404
when it is not stored. No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations.
"""

import os
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from metastasis import DISCLAIMER
from metastasis.api.case_body import parse_case_body
from metastasis.api.case_routes import case_bytes, case_request_body
from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.api.workers import BUSY, run_heavy
from metastasis.domain import validate_case
from metastasis.errors import InvalidInputError
from metastasis.store.settings import database_url
from metastasis.trials import TrialMatch, match_trials
from metastasis.trials.models import NCT_ID
from metastasis.trials.store import ENV_FILE, TrialSource, TrialStore, case_store_present, open_trial_store


class TrialMatches(BaseModel):
    """The ranked matches of one case."""

    matches: list[TrialMatch] = Field(description="Ranked: trials for the patient's disease first, then by status.")
    disclaimer: str = DISCLAIMER


_STORES: dict[tuple[str, int, int], TrialStore] = {}
_DATABASES: dict[str, TrialSource] = {}


def _store() -> TrialSource:
    """The local trial store, chosen as the commands choose it (:func:`metastasis.trials.store.open_trial_store`),
    so that what ``metastasis trials import`` stored is what the server matches: ``$METASTASIS_TRIALS_FILE``, else
    the case store's database when one exists, else the default file. A file is read (and its criteria parsed)
    once per version of the file; the database keeps its own parse cache."""
    if os.environ.get(ENV_FILE, "").strip() or not case_store_present():
        return _file_store()
    url = database_url()
    found = _DATABASES.get(url)
    if found is None:
        _DATABASES.clear()
        found = _DATABASES[url] = open_trial_store()
    return found


def _file_store() -> TrialStore:
    store = TrialStore()
    try:
        stat = store.path.stat()
    except OSError:
        return store
    key = (str(store.path), stat.st_mtime_ns, stat.st_size)
    found = _STORES.get(key)
    if found is None:
        _STORES.clear()
        found = _STORES[key] = store
    return found


async def match(
    request: Request,
    status: Annotated[list[str], Query(description="Keep only these recruitment statuses, e.g. recruiting.")] = [],  # noqa: B006
    near_lat: Annotated[float | None, Query(ge=-90, le=90, description="Latitude to measure from.")] = None,
    near_lon: Annotated[float | None, Query(ge=-180, le=180, description="Longitude to measure from.")] = None,
    within_km: Annotated[
        float | None, Query(gt=0, le=20040, description="Keep studies with a site this close.")
    ] = None,
) -> TrialMatches:
    """Match a case against the stored trials: each criterion met, not met or unknown with its reason and the case
    fields used. The recruitment status is reported and can be filtered on; it never decides eligibility."""
    return await run_heavy(request, _match, *await case_bytes(request), tuple(status), near_lat, near_lon, within_km)


def _match(
    raw: bytes,
    content_type: str | None,
    status: tuple[str, ...],
    near_lat: float | None,
    near_lon: float | None,
    within_km: float | None,
) -> TrialMatches:
    checked = validate_case(parse_case_body(raw, content_type))
    checked.raise_for_errors(source="body")
    if (near_lat is None) != (near_lon is None):
        raise InvalidInputError("near_lat/near_lon", f"{near_lat},{near_lon}", "both a latitude and a longitude")
    near = (near_lat, near_lon) if near_lat is not None and near_lon is not None else None
    found = match_trials(checked.case, _store().studies(), statuses=status, near=near, within_km=within_km)
    return TrialMatches(matches=found)


def study(nct_id: str) -> dict[str, Any]:
    """One stored study as ClinicalTrials.gov sent it (API v2 record)."""
    key = nct_id.strip().upper()
    record = _store().get(key) if NCT_ID.match(key) else None
    if record is None:
        item = ErrorItem(
            field="nct_id",
            value=nct_id,
            allowed="the NCT id of a stored study (NCT + 8 digits)",
            message=f"no stored study {nct_id!r}",
        )
        raise ApiError(404, [item])
    return record.to_record()


def add_trial_routes(router: APIRouter) -> None:
    """Add the trial routes to ``router`` (under its prefix)."""
    router.add_api_route(
        "/trials/match",
        match,
        methods=["POST"],
        response_model=TrialMatches,
        tags=["trials"],
        responses={**BUSY},
        openapi_extra={"requestBody": case_request_body(f"{router.prefix}/trials/match")},
        operation_id="trials_match",
        name="api.trials_match",
    )
    router.add_api_route(
        "/trials/{nct_id}",
        study,
        methods=["GET"],
        response_model=dict[str, Any],
        tags=["trials"],
        responses={404: {"model": ErrorBody, "description": "No stored study with that NCT id."}},
        operation_id="trials_show",
        name="api.trials_show",
    )
