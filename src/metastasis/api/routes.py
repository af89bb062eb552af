"""The REST API under ``/api/v1``: health, one ``POST`` per catalogued operation, the case routes
(:mod:`metastasis.api.case_routes`), the read-only vocabularies (:mod:`metastasis.api.knowledge_routes`) and the case
store behind bearer tokens (:mod:`metastasis.api.store_routes`).

Routes are thin: validate the body against the operation's request model (derived from the library
function), call the function, return its own result type. No ``from __future__ import annotations`` here:
FastAPI reads the endpoint annotations, which are built at run time from each operation.

Endpoints are ``async``. Health and the light operations (every one but the simulations: each well under a
millisecond, PREDICT Breast about one) run inline on the event loop, which is cheaper than a hop to a thread and
back; the simulations run on the bounded worker pool (:mod:`metastasis.api.workers`, 503 when it is full), so
that they can neither block the loop nor pile up.

All API routes are built on one router, whose routes :func:`metastasis.api.create_app` puts on the application's own
router: FastAPI matches a request again at every level of nesting (about a microsecond per route passed), so the flat
list saves a staging request some 20 matches.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from metastasis import DISCLAIMER, __version__
from metastasis.api.bounded import TOO_LARGE, BoundedRoute
from metastasis.api.case_routes import add_case_routes
from metastasis.api.catalogue import OPERATIONS
from metastasis.api.errors import ERROR_RESPONSES
from metastasis.api.fhir_routes import add_fhir_routes
from metastasis.api.knowledge_routes import add_knowledge_routes
from metastasis.api.operations import Operation
from metastasis.api.store_routes import add_store_routes
from metastasis.api.trial_routes import add_trial_routes
from metastasis.api.workers import BUSY, run_heavy

API_V1 = "/api/v1"
#: Operation groups run on the worker pool rather than inline.
HEAVY_GROUPS = frozenset({"simulation"})


class Health(BaseModel):
    """The service is up."""

    status: str = Field(examples=["ok"])
    version: str
    disclaimer: str


_HEALTH = Health(status="ok", version=__version__, disclaimer=DISCLAIMER)


async def health() -> Health:
    """Liveness: answers while the server can take requests (no dependencies to check), on the event loop, so
    that it answers at once however busy the workers are."""
    return _HEALTH


def is_heavy(operation: Operation) -> bool:
    """Whether the operation runs on the worker pool (the simulations) rather than inline."""
    return operation.group in HEAVY_GROUPS


def endpoint_for(operation: Operation) -> Callable[..., Any]:
    """A route function whose body parameter is the operation's request model."""
    model = operation.request_model

    if is_heavy(operation):

        async def run(request: Request, body: model) -> Any:  # type: ignore[valid-type]
            return await run_heavy(request, operation.run, body)

    else:

        async def run(body: model) -> Any:  # type: ignore[valid-type,misc]
            return operation.run(body)

    run.__name__ = operation.name
    return run


def description_of(operation: Operation) -> str:
    """The library docstring (less its doctest examples), the bounds, and the disclaimer."""
    from inspect import getdoc

    text = (getdoc(operation.func) or "").split("\nExample")[0].strip()
    bounds = [
        f"`{name}`: {limit.ge if limit.ge is not None else '-'} to {limit.le if limit.le is not None else '-'}"
        for name, limit in operation.limits.items()
    ]
    if bounds:
        text += "\n\n**Bounds** (larger requests are refused with 422): " + "; ".join(bounds) + "."
    return f"{text}\n\n*{DISCLAIMER}*"


def build_api_router() -> APIRouter:
    """Every API route under ``/api/v1``, on one router (a route's own ``path`` is its full template, which is
    what the request log records)."""
    router = APIRouter(prefix=API_V1, responses=ERROR_RESPONSES, route_class=BoundedRoute)
    router.add_api_route(
        "/health", health, methods=["GET"], tags=["service"], response_model=Health, operation_id="health"
    )
    for operation in OPERATIONS:
        router.add_api_route(
            f"/{operation.path}",
            endpoint_for(operation),
            methods=["POST"],
            response_model=operation.response_model,
            summary=operation.summary,
            description=description_of(operation),
            tags=[operation.group],
            operation_id=operation.name,
            name=f"api.{operation.name}",
            responses={**TOO_LARGE, **BUSY} if is_heavy(operation) else TOO_LARGE,
        )
    add_case_routes(router)
    add_fhir_routes(router)
    add_knowledge_routes(router)
    add_trial_routes(router)
    add_store_routes(router)
    return router
