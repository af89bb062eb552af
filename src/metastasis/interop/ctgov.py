"""A ClinicalTrials.gov API v2 client: page through ``/api/v2/studies`` with retries, back-off and resume.

``fetch_pages`` asks for ``query.cond``, ``filter.overallStatus`` and (with ``since``) studies updated since a
date, ``pageSize`` studies a page, following ``nextPageToken``. A failed request is retried with exponential
back-off (timeouts, connection errors, 429 and 5xx); after the last try it raises :class:`CtgovUnavailable`.
With a ``state`` file, the token of the next page is saved after each page is handed over, so an interrupted
update resumes where it stopped; the file is removed when the last page is done. Tests replay recorded
responses through ``httpx.MockTransport``.

Example
-------
>>> import httpx
>>> transport = httpx.MockTransport(lambda request: httpx.Response(200, json={"studies": []}))
>>> client = httpx.Client(transport=transport, base_url=BASE_URL)
>>> [len(page.studies) for page in fetch_pages("breast cancer", client=client)]
[0]
"""

from __future__ import annotations

import datetime
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from metastasis.errors import InvalidInputError, MetastasisError
from metastasis.trials.engine import check_statuses
from metastasis.trials.models import Study, parse_study

BASE_URL = "https://clinicaltrials.gov"
STUDIES_PATH = "/api/v2/studies"
MAX_PAGE_SIZE = 1000  # the API's largest page
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
SOURCES = ("ctgov-api-v2", "ctgov-terms")


class CtgovUnavailable(MetastasisError):
    """The API could not be reached or kept failing after the retries."""


@dataclass(frozen=True)
class Page:
    """One page of studies, the token of the next page (``None`` on the last) and the total when reported."""

    studies: tuple[Study, ...]
    next_token: str | None
    total: int | None


def query_params(
    condition: str, statuses: tuple[str, ...] = (), since: datetime.date | None = None, page_size: int = 100
) -> dict[str, str]:
    """The query of one update (without the page token).

    Example
    -------
    >>> query_params("breast cancer", ("recruiting",), datetime.date(2025, 1, 1), 50)["filter.advanced"]
    'AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]'
    """
    if not condition.strip():
        raise InvalidInputError("condition", condition, "a condition to search for, e.g. 'breast cancer'")
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInputError("page_size", page_size, f"1 to {MAX_PAGE_SIZE}")
    params = {"format": "json", "query.cond": condition.strip(), "pageSize": str(page_size), "countTotal": "true"}
    if statuses:
        params["filter.overallStatus"] = ",".join(sorted(check_statuses(statuses)))
    if since is not None:
        params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
    return params


def _get(
    client: httpx.Client, params: dict[str, str], retries: int, backoff: float, sleep: Callable[[float], None]
) -> dict[str, Any]:
    last = "no answer"
    for attempt in range(retries + 1):
        try:
            response = client.get(STUDIES_PATH, params=params)
        except httpx.TransportError as exc:
            last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        else:
            if response.status_code == 200:
                try:
                    data = response.json()
                except ValueError:
                    raise CtgovUnavailable("ClinicalTrials.gov answered with text that is not JSON") from None
                if not isinstance(data, dict):
                    raise CtgovUnavailable("ClinicalTrials.gov answered with JSON that is not a page of studies")
                return data
            if response.status_code not in RETRY_STATUSES:
                raise CtgovUnavailable(f"ClinicalTrials.gov answered HTTP {response.status_code}")
            last = f"HTTP {response.status_code}"
        if attempt < retries:
            sleep(backoff * 2**attempt)
    raise CtgovUnavailable(f"ClinicalTrials.gov could not be reached after {retries + 1} tries ({last})")


def new_client() -> httpx.Client:
    """The client of a live update: the public API, a 30-second timeout."""
    return httpx.Client(base_url=BASE_URL, timeout=30.0, headers={"Accept": "application/json"})


def _load_state(state: Path | None, params: dict[str, str]) -> str | None:
    if state is None or not state.exists():
        return None
    try:
        saved = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if isinstance(saved, dict) and saved.get("params") == params and isinstance(saved.get("next_token"), str):
        return saved["next_token"]
    return None


def fetch_pages(
    condition: str,
    *,
    statuses: tuple[str, ...] = (),
    since: datetime.date | None = None,
    page_size: int = 100,
    client: httpx.Client | None = None,
    state: Path | None = None,
    retries: int = 4,
    backoff: float = 1.0,
    sleep: Callable[[float], None] | None = None,
) -> Iterator[Page]:
    """The pages of studies matching a query, following the page tokens.

    Parameters
    ----------
    condition:
        ``query.cond``, e.g. ``"breast cancer"``.
    statuses:
        Recruitment statuses (``filter.overallStatus``), any spelling of ``RECRUITING``.
    since:
        Only studies whose record was updated on or after this date.
    page_size:
        Studies per page (1-1000).
    client:
        An ``httpx.Client`` (tests pass one over a mock transport); one with a 30 s timeout otherwise.
    state:
        A file that keeps the next page's token, so an interrupted run resumes.
    retries, backoff, sleep:
        Tries after the first, the back-off (seconds, doubled each time) and how to wait (``time.sleep``).

    Raises
    ------
    CtgovUnavailable
        When the API cannot be reached or keeps failing.
    """
    params = query_params(condition, statuses, since, page_size)
    own = client is None
    client = client or new_client()
    wait = sleep or time.sleep
    token = _load_state(state, params)
    seen: set[str] = set()  # a token met again would page in a circle for ever
    try:
        while True:
            asked = {**params, **({"pageToken": token} if token else {})}
            data = _get(client, asked, retries, backoff, wait)
            raw = data.get("studies", [])
            if not isinstance(raw, list):
                raise CtgovUnavailable("ClinicalTrials.gov answered a page without a list of studies")
            studies = tuple(parse_study(item, where=f"API page study {i}") for i, item in enumerate(raw))
            next_token = data.get("nextPageToken") if isinstance(data.get("nextPageToken"), str) else None
            total = data.get("totalCount") if isinstance(data.get("totalCount"), int) else None
            if next_token is not None and (next_token in seen or next_token == token):
                raise CtgovUnavailable("ClinicalTrials.gov answered the same next page token again; stopped paging")
            seen.add(token or "")
            yield Page(studies, next_token, total)
            if next_token is None:
                if state is not None:
                    state.unlink(missing_ok=True)
                return
            if state is not None:
                state.write_text(json.dumps({"params": params, "next_token": next_token}), encoding="utf-8")
            token = next_token
    finally:
        if own:
            client.close()
