"""FHIR mCODE over HTTP: ``POST /fhir/import`` (Bundle -> case and import report) and ``POST /fhir/export`` (case ->
Bundle), both speaking ``application/fhir+json`` (plain ``application/json`` accepted).

A bundle is larger than any other body the API reads (a Synthea patient with ten years of history is about 2.5 MB),
so the import route reads up to :data:`FHIR_MAX_BODY_BYTES` with its own bounded request class; the export reads a
case under the API's usual bound. Both parse and map on the bounded worker pool (503 when it is full).

``POST /fhir/import?save=true[&record=ID]`` imports into the case store (:mod:`metastasis.interop.fhir.to_store`):
it needs a bearer token (:mod:`metastasis.api.auth`; 401 without), starts a new record or, with ``record``, adds the
next version to it from the version named in ``If-Match`` (428 without; 409 if another write got in first, nothing
written), and answers 201 with ``Location``, ``ETag`` and the import report. Without ``save`` nothing is stored and no
token is needed. No ``from __future__ import annotations`` here: FastAPI reads the endpoint annotations.
"""

import email.message
import json
from collections.abc import Callable, Coroutine
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Query, Request
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.responses import Response as StarletteResponse

from metastasis.api.auth import UNAUTHORIZED, bearer_scheme, current_principal
from metastasis.api.bounded import TOO_LARGE, BoundedRequest
from metastasis.api.case_body import parse_case_body
from metastasis.api.case_routes import case_request_body
from metastasis.api.errors import ApiError, ErrorBody, ErrorItem
from metastasis.api.workers import BUSY, run_heavy
from metastasis.errors import InvalidInputError
from metastasis.interop.fhir.io import BUNDLE_TEXT, MAX_BUNDLE_BYTES
from metastasis.interop.fhir.model import ImportResult
from metastasis.interop.fhir.to_store import StoredImport
from metastasis.store import Principal, Store

FHIR_JSON = "application/fhir+json"
FHIR_MAX_BODY_BYTES = MAX_BUNDLE_BYTES
"""Largest bundle the import route reads."""
_BUNDLE_MEDIA = frozenset({FHIR_JSON, "application/json"})
BundleKind = Literal["collection", "transaction"]


def _too_large(size: str) -> ApiError:
    item = ErrorItem(
        field="body",
        value=size,
        allowed=f"at most {FHIR_MAX_BODY_BYTES:,} bytes",
        message=f"the bundle is larger than {FHIR_MAX_BODY_BYTES:,} bytes",
    )
    return ApiError(413, [item])


class BundleRequest(BoundedRequest):
    """A request whose body is read only up to :data:`FHIR_MAX_BODY_BYTES` (a 413 beyond, before reading it all)."""

    async def body(self) -> bytes:
        if not hasattr(self, "_body"):
            declared = self.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > FHIR_MAX_BODY_BYTES:
                raise _too_large(f"{int(declared):,} bytes")
            chunks, size = [], 0
            async for chunk in self.stream():
                size += len(chunk)
                if size > FHIR_MAX_BODY_BYTES:
                    raise _too_large(f"more than {FHIR_MAX_BODY_BYTES:,} bytes")
                chunks.append(chunk)
            self._body = b"".join(chunks)
        return self._body


class BundleRoute(APIRoute):
    """An API route that hands its endpoint a :class:`BundleRequest`."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, StarletteResponse]]:
        handler = super().get_route_handler()

        async def bounded(request: Request) -> StarletteResponse:
            return await handler(BundleRequest(request.scope, request.receive))

        return bounded


def _bundle_media(content_type: str | None) -> None:
    message = email.message.Message()
    message["content-type"] = content_type or ""
    media = message.get_content_type() if content_type else ""
    if media not in _BUNDLE_MEDIA:
        raise InvalidInputError("Content-Type", content_type, f"{FHIR_JSON} or application/json", detail=BUNDLE_TEXT)


def import_bundle(raw: bytes) -> ImportResult:
    """Parse and import a bundle body (the one call behind the route without `save`)."""
    from metastasis.interop.fhir import case_from_bundle
    from metastasis.interop.fhir.io import load_bundle

    return case_from_bundle(load_bundle(raw, source="body"))


MAX_RECORD_ID = 2**31 - 1
_SAVE_HELP = "Import into the case store (needs a bearer token): a new record, or the next version of `record`."
_RECORD_HELP = "With save=true: the record to add a version to (If-Match names the version the import replaces)."
_IF_MATCH_HELP = 'With record: the ETag of the version the import replaces, e.g. "3".'


def _save(
    store: Store, me: Principal, raw: bytes, record: int | None, base: int | None, rid: str | None
) -> StoredImport:
    from metastasis.interop.fhir.io import load_bundle
    from metastasis.interop.fhir.to_store import import_into_store

    bundle = load_bundle(raw, source="body")
    return import_into_store(store, me, bundle, record_id=record, base_version=base, request_id=rid)


async def _save_response(request: Request, token: str | None, record: int | None, if_match: str | None) -> Response:
    from metastasis.api.deps import get_store, request_id
    from metastasis.api.store_models import base_version, etag

    me = await current_principal(request, token)
    base = base_version(if_match, required=record is not None)
    if record is None and base is not None:
        item = ErrorItem(
            field="If-Match", value=if_match, allowed="only with record", message="a new record has no base"
        )
        raise ApiError(422, [item])
    _bundle_media(request.headers.get("content-type"))
    raw = await request.body()
    stored = await run_heavy(request, _save, get_store(request), me, raw, record, base, request_id(request))
    headers = {"Location": f"/api/v1/cases/{stored.id}", "ETag": etag(stored.version)}
    return JSONResponse(stored.model_dump(mode="json"), status_code=201, headers=headers)


async def fhir_import(
    request: Request,
    save: Annotated[bool, Query(description=_SAVE_HELP)] = False,
    record: Annotated[int | None, Query(ge=1, le=MAX_RECORD_ID, description=_RECORD_HELP)] = None,
    if_match: Annotated[str | None, Header(description=_IF_MATCH_HELP)] = None,
    token: Annotated[str | None, Depends(bearer_scheme)] = None,
) -> Any:
    """Read an mCODE FHIR R4 Bundle into a case: the case (schema: `GET /api/v1/case/schema`), every resource
    used, every resource or element ignored and why, conflicts (the latest effective date wins), warnings
    (unknown code systems, values dropped as contradictory, each with the resource id and element path), and
    the stage groups and disease status the bundle records.

    With `save=true` (and a bearer token) the case is written to the case store: a new record owned by the
    caller, or, with `record` and `If-Match`, that record's next version; 201 with `Location`, `ETag`, the record
    id, the version and the same import report. The version's reason counts the report (no patient data).

    A body that is not a Bundle, or a bundle without a breast primary cancer, answers 422.
    """
    if save:
        return await _save_response(request, token, record, if_match)
    if record is not None:
        allowed = "only with save=true (importing into the case store)"
        raise ApiError(
            422, [ErrorItem(field="record", value=record, allowed=allowed, message=f"record needs {allowed}")]
        )
    _bundle_media(request.headers.get("content-type"))
    raw = await request.body()
    return await run_heavy(request, import_bundle, raw)


def _export(raw: bytes, content_type: str | None, with_assessment: bool, kind: BundleKind) -> bytes:
    from metastasis.domain import validate_case
    from metastasis.interop.fhir import bundle_from_case

    data = parse_case_body(raw, content_type)
    checked = validate_case(data)
    checked.raise_for_errors(source="body")
    assert checked.case is not None
    bundle = bundle_from_case(checked.case, bundle_type=kind, with_assessment=with_assessment)
    return json.dumps(bundle, ensure_ascii=False).encode("utf-8")


async def fhir_export(
    request: Request,
    with_assessment: Annotated[
        bool, Query(description="Add the stage group, risk scores and the report (DiagnosticReport).")
    ] = False,
    kind: Annotated[BundleKind, Query(alias="type", description="Bundle type.")] = "collection",
) -> Response:
    """Write a case (JSON or YAML, by the Content-Type) as an mCODE FHIR R4 Bundle (`application/fhir+json`):
    every resource with its mCODE profile and internal references resolvable in the bundle.

    A case with errors answers 422 listing every problem with its JSON path.
    """
    from metastasis.api.case_body import body_format

    content_type = request.headers.get("content-type")
    body_format(content_type)
    raw = await request.body()
    body = await run_heavy(request, _export, raw, content_type, with_assessment, kind)
    return Response(body, media_type=FHIR_JSON)


def _saved_responses() -> dict[int | str, dict[str, Any]]:
    from metastasis.api.store_models import NOT_FOUND, PRECONDITION, STALE, UNAVAILABLE

    saved = {
        201: {
            "model": StoredImport,
            "description": "save=true: the case was written to the store (a new record or its next version).",
            "headers": {
                "Location": {"description": "The record: `/api/v1/cases/{id}`.", "schema": {"type": "string"}},
                "ETag": {"description": "The version written.", "schema": {"type": "string"}},
            },
        },
        403: {"model": ErrorBody, "description": "save=true: your role may not create records."},
    }
    return {**saved, **UNAUTHORIZED, **NOT_FOUND, **STALE, **PRECONDITION, **UNAVAILABLE}


def add_fhir_routes(router: APIRouter) -> None:
    """Add the FHIR routes to ``router`` (under its prefix)."""
    prefix = router.prefix
    bundle_body = {
        "required": True,
        "description": "A FHIR R4 Bundle with mCODE resources.",
        "content": {FHIR_JSON: {"schema": {"type": "object"}}, "application/json": {"schema": {"type": "object"}}},
    }
    too_large = {413: {"model": ErrorBody, "description": f"The bundle is larger than {FHIR_MAX_BODY_BYTES:,} bytes."}}
    router.add_api_route(
        "/fhir/import",
        fhir_import,
        methods=["POST"],
        response_model=ImportResult,
        tags=["fhir"],
        responses={**too_large, **BUSY, **_saved_responses()},
        openapi_extra={"requestBody": bundle_body},
        operation_id="fhir_import",
        name="api.fhir_import",
        route_class_override=BundleRoute,
    )
    router.add_api_route(
        "/fhir/export",
        fhir_export,
        methods=["POST"],
        response_class=Response,
        tags=["fhir"],
        responses={200: {"content": {FHIR_JSON: {"schema": {"type": "object"}}}}, **TOO_LARGE, **BUSY},
        openapi_extra={"requestBody": case_request_body(f"{prefix}/fhir/export", schema_at=f"{prefix}/case/validate")},
        operation_id="fhir_export",
        name="api.fhir_export",
    )
