"""The API v2 client replayed over the real records: paging, filters, retries with back-off, resume, no network."""

from __future__ import annotations

import datetime

import httpx
import pytest

from metastasis.errors import InvalidInputError
from metastasis.interop.ctgov import BASE_URL, CtgovUnavailable, fetch_pages, query_params


class Replay:
    """Answers /api/v2/studies from the bundled records, ``size`` a page, with integer page tokens."""

    def __init__(self, records: list[dict], failures: int = 0, status: int = 503) -> None:
        self.records = records
        self.failures = failures
        self.status = status
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.failures:
            self.failures -= 1
            return httpx.Response(self.status)
        assert request.url.path == "/api/v2/studies"
        params = request.url.params
        wanted = set(params.get("filter.overallStatus", "").split(",")) - {""}
        chosen = [
            r for r in self.records if not wanted or r["protocolSection"]["statusModule"]["overallStatus"] in wanted
        ]
        size = int(params["pageSize"])
        start = int(params.get("pageToken", "0"))
        body: dict = {"studies": chosen[start : start + size], "totalCount": len(chosen)}
        if start + size < len(chosen):
            body["nextPageToken"] = str(start + size)
        return httpx.Response(200, json=body)


def client(replay: Replay) -> httpx.Client:
    return httpx.Client(transport=httpx.MockTransport(replay), base_url=BASE_URL)


def test_pages_through_every_record(records):
    replay = Replay(records)
    pages = list(fetch_pages("breast cancer", page_size=20, client=client(replay)))
    assert [len(p.studies) for p in pages] == [20, 20, 20, 9]
    assert pages[-1].next_token is None and pages[0].total == 69
    assert [r.url.params.get("pageToken") for r in replay.requests] == [None, "20", "40", "60"]
    assert replay.requests[0].url.params["query.cond"] == "breast cancer"


def test_status_filter_and_since_go_into_the_query(records):
    replay = Replay(records)
    pages = list(fetch_pages("breast cancer", statuses=("recruiting",), since=datetime.date(2025, 1, 1),
                             page_size=100, client=client(replay)))  # fmt: skip
    ids = [s.nct_id for p in pages for s in p.studies]
    assert len(ids) == 11  # the bundled records with overallStatus RECRUITING, counted by hand
    params = replay.requests[0].url.params
    assert params["filter.overallStatus"] == "RECRUITING"
    assert params["filter.advanced"] == "AREA[LastUpdatePostDate]RANGE[2025-01-01,MAX]"


def test_retries_with_back_off_then_succeeds(records):
    replay = Replay(records, failures=2, status=503)
    waits: list[float] = []
    pages = list(fetch_pages("breast cancer", page_size=100, client=client(replay), backoff=0.5, sleep=waits.append))
    assert len(pages[0].studies) == 69
    assert waits == [0.5, 1.0]


def test_gives_up_after_the_last_try(records):
    replay = Replay(records, failures=10, status=429)
    with pytest.raises(CtgovUnavailable, match="after 3 tries"):
        list(fetch_pages("breast cancer", client=client(replay), retries=2, sleep=lambda s: None))


def test_unreachable_network_raises_one_clear_error():
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("Name or service not known", request=request)

    broken = httpx.Client(transport=httpx.MockTransport(refuse), base_url=BASE_URL)
    with pytest.raises(CtgovUnavailable, match="could not be reached"):
        list(fetch_pages("breast cancer", client=broken, retries=1, sleep=lambda s: None))


def test_resumes_after_interruption_from_the_saved_token(records, tmp_path):
    state = tmp_path / "state.json"
    replay = Replay(records)
    pages = fetch_pages("breast cancer", page_size=30, client=client(replay), state=state)
    first = next(pages)
    next(pages)  # the second page is handed over, then the run is interrupted while it is being stored
    pages.close()
    assert len(first.studies) == 30 and state.exists()
    again = Replay(records)
    rest = list(fetch_pages("breast cancer", page_size=30, client=client(again), state=state))
    # the first page was done, so the run starts again at the second (which may not have been stored)
    assert [r.url.params.get("pageToken") for r in again.requests] == ["30", "60"]
    assert [len(p.studies) for p in rest] == [30, 9] and not state.exists()


def test_bad_query_is_refused():
    with pytest.raises(InvalidInputError):
        query_params("  ")
    with pytest.raises(InvalidInputError):
        query_params("breast cancer", page_size=5000)
    with pytest.raises(InvalidInputError):
        query_params("breast cancer", statuses=("open",))


def test_a_page_that_points_back_at_itself_stops_the_update(records):
    # A server that keeps answering the same next-page token would make the update loop for ever.
    def same_token(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"studies": records[:1], "nextPageToken": "again"})

    transport = httpx.MockTransport(same_token)
    pages = fetch_pages("breast cancer", client=httpx.Client(transport=transport, base_url=BASE_URL))
    first = next(pages)  # the first page comes; asking for the same token again is refused
    assert first.next_token == "again"
    with pytest.raises(CtgovUnavailable, match="same next page"):
        next(pages)
