"""The REST API under ``/api/v1``: health, one ``POST`` per catalogued operation, the case routes
(:mod:`metastasis.api.case_routes`) and the read-only vocabularies (:mod:`metastasis.api.knowledge_routes`).

Routes are thin: validate the body against the operation's request model (derived from the library
function), call the function, return its own result type. No ``from __future__ import annotations`` here:
FastAPI reads the endpoint annotations, which are built at run time from each operation.
"""

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from metastasis import DISCLAIMER, __version__
from metastasis.api.bounded import TOO_LARGE, BoundedRoute
from metastasis.api.case_routes import build_case_router
from metastasis.api.catalogue import OPERATIONS
from metastasis.api.errors import ERROR_RESPONSES
from metastasis.api.knowledge_routes import build_knowledge_router
from metastasis.api.operations import Operation

API_V1 = "/api/v1"


class Health(BaseModel):
    """The service is up."""

    status: str = Field(examples=["ok"])
    version: str
    disclaimer: str


def health() -> Health:
    """Liveness: answers while the server can take requests (no dependencies to check)."""
    return Health(status="ok", version=__version__, disclaimer=DISCLAIMER)


def endpoint_for(operation: Operation) -> Callable[..., Any]:
    """A route function whose body parameter is the operation's request model."""
    model = operation.request_model

    def run(body: model) -> Any:  # type: ignore[valid-type]
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
    """Every API route under ``/api/v1``.

    Each part has the prefix itself (rather than inheriting it) so that a route's own ``path`` is its full
    template, which is what the request log records.
    """
    operations = APIRouter(prefix=API_V1, responses=ERROR_RESPONSES, route_class=BoundedRoute)
    operations.add_api_route(
        "/health", health, methods=["GET"], tags=["service"], response_model=Health, operation_id="health"
    )
    for operation in OPERATIONS:
        operations.add_api_route(
            f"/{operation.path}",
            endpoint_for(operation),
            methods=["POST"],
            response_model=operation.response_model,
            summary=operation.summary,
            description=description_of(operation),
            tags=[operation.group],
            operation_id=operation.name,
            name=f"api.{operation.name}",
            responses=TOO_LARGE,
        )
    router = APIRouter()
    for part in (operations, build_case_router(API_V1), build_knowledge_router(API_V1)):
        router.include_router(part)
    return router
