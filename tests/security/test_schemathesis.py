"""Property-based tests of the whole API from its own OpenAPI document (schemathesis 4).

Schemathesis generates requests for every operation, valid ones and invalid ones (wrong types, missing and
unknown fields, odd strings, out-of-range numbers, bad path and query values). Whatever it sends, the answer is
never a server error, and no error body names an internal exception class.

Budget: a few examples per operation (about 60 operations), fewer for the heavy ones (simulations, the whole
case report, PREDICT, statistics), so the module runs in well under a minute on two cores. No example database
is written (``database=None``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, settings

from metastasis.api import create_app
from metastasis.store import Store


def _empty_store() -> Store:
    """A migrated, empty SQLite store in a temporary folder: tokens the generator invents are looked up there (and
    refused), never in the user's own store."""
    import tempfile

    store = Store(f"sqlite:///{tempfile.mkdtemp(prefix='metastasis-schemathesis-')}/store.db")
    store.upgrade()
    return store


APP = create_app(store=_empty_store())


class OneLifespan:
    """The application as schemathesis reaches it, with lifespan messages answered here.

    Schemathesis starts and ends an ASGI application's lifespan around every test item; a server starts it once.
    The application's own lifespan runs once, for the module (:func:`served`).
    """

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return
        while True:
            message = await receive()
            await send({"type": f"{message['type']}.complete"})
            if message["type"] == "lifespan.shutdown":
                return


SCHEMA = schemathesis.openapi.from_asgi("/openapi.json", OneLifespan(APP))
#: Operations whose valid requests cost up to a second each: given the smallest budget.
HEAVY = r"^/api/v1/(simulate/.*|predict/breast|statistics)$"
#: The case routes: their schema carries thousands of property examples, so they get generated cases only.
CASE = r"^/api/v1/(case/validate|report)$"
QUICK = {"deadline": None, "database": None, "suppress_health_check": list(HealthCheck)}
LIGHT_BUDGET = settings(max_examples=6, **QUICK)
CASE_BUDGET = settings(max_examples=8, phases=[Phase.generate], **QUICK)
HEAVY_BUDGET = settings(max_examples=2, **QUICK)
#: Exception class names that must never reach a caller.
INTERNAL = re.compile(r"\b\w*(Error|Exception)\b|Traceback")


@pytest.fixture(scope="module", autouse=True)
def served() -> Iterator[None]:
    """The application's lifespan, once for the module (as under a server)."""
    with TestClient(APP):
        yield


def check_answer(response, case) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code < 500, response.text[:500]
    media = response.headers.get("content-type", [""])[0]  # schemathesis: lower-case names, lists of values
    if response.status_code >= 400 and media.startswith("application/json"):
        # Hypothesis also draws strings from the package's own source (class names among them): an answer may echo
        # what the caller sent, so a class-like name counts only when the request did not hold it.
        sent = f"{case.path_parameters}{case.query}{case.body}"
        for item in response.json()["detail"]:
            for text in (str(item["message"]), str(item["value"])):
                named = [m.group(0) for m in INTERNAL.finditer(text) if m.group(0) not in sent]
                assert not named, item


@SCHEMA.exclude(path_regex=HEAVY).exclude(path_regex=CASE).parametrize()
@LIGHT_BUDGET
def test_light_operations_never_fail(case):
    check_answer(case.call(), case)


@SCHEMA.include(path_regex=CASE).parametrize()
@CASE_BUDGET
def test_case_routes_never_fail(case):
    check_answer(case.call(), case)


@SCHEMA.include(path_regex=HEAVY).parametrize()
@HEAVY_BUDGET
def test_heavy_operations_never_fail(case):
    check_answer(case.call(), case)
