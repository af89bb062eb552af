"""The whole case over HTTP: its schema, the bundled examples, validation, and the full report.

``POST /case/validate`` answers 200 with every problem of a case (JSON paths) whenever the body is a JSON
object or YAML mapping; ``POST /report`` answers the report, or 422 listing every problem of a case with
errors. Both read JSON or YAML (by the Content-Type). The request body is documented with the case's own JSON
Schema (:func:`metastasis.domain.case_json_schema`), not a second model. No ``from __future__ import
annotations`` here: FastAPI reads the endpoint annotations.

The body is read on the event loop; parsing it (a YAML case of up to a megabyte is slow to parse), validating,
assessing and rendering run on the bounded worker pool (:mod:`metastasis.api.workers`; 503 when it is full).
"""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field, computed_field

from metastasis.api.bounded import TOO_LARGE
from metastasis.api.case_body import CASE_ALLOWED, body_format, json_type, parse_case_body
from metastasis.api.errors import MAX_LISTED_PROBLEMS, ApiError, ErrorBody, ErrorItem
from metastasis.api.workers import BUSY, run_heavy
from metastasis.assess.case import Report, assess_case
from metastasis.domain import CaseValidation, case_json_schema, validate_case
from metastasis.errors import InvalidInputError
from metastasis.examples.cases import example_case_names, load_example_case

Audience = Literal["clinician", "patient"]
ReportFormat = Literal["json", "markdown", "html"]
FORMAT_HELP = (
    "`json`: the Report (every section with clinician and patient wording, reasons and sources); "
    "`markdown` or `html`: the rendered report for the chosen audience (html is one standalone page)."
)
_MEDIA = {"markdown": "text/markdown; charset=utf-8", "html": "text/html; charset=utf-8"}


class CaseCheck(CaseValidation):
    """The problems found in a case (errors first, each with its JSON path; at most ``MAX_LISTED_PROBLEMS``), how
    many were not listed, and whether it is usable."""

    error_count: int = Field(default=0, description="Errors found in the whole case (listed or not).")
    not_listed: int = Field(default=0, description="Problems found but not listed (fix the listed ones first).")

    @computed_field  # type: ignore[prop-decorator]
    @property
    def ok(self) -> bool:
        """True when the case has no error (warnings allowed): ``POST /report`` will accept it."""
        return self.error_count == 0

    @classmethod
    def of(cls, checked: CaseValidation) -> "CaseCheck":
        ranked = (*checked.errors, *checked.warnings)
        listed = ranked[:MAX_LISTED_PROBLEMS]
        return cls(
            problems=listed,
            caveats=checked.caveats,
            error_count=len(checked.errors),
            not_listed=len(ranked) - len(listed),
        )


def _pointer(path: str) -> str:
    """A JSON pointer segment (RFC 6901) for a path such as ``/api/v1/case/validate``."""
    return path.replace("~", "~0").replace("/", "~1")


def case_request_body(full_path: str, *, schema_at: str | None = None) -> dict[str, Any]:
    """The OpenAPI ``requestBody`` of a route taking a case as JSON or YAML.

    The case schema's ``$defs`` stay inside it; its ``#/$defs/...`` references are rewritten as JSON pointers
    from the OpenAPI document's root (where a plain ``#/$defs`` would point), so that any resolver finds them.
    ``schema_at`` reuses the schema already embedded at another route's path instead of repeating it.
    """
    here = f"#/paths/{_pointer(schema_at or full_path)}/post/requestBody/content/application~1json/schema"
    if schema_at is None:
        schema = {k: v for k, v in case_json_schema().items() if k not in ("$schema", "$comment")}
        schema = _rewrite_refs(schema, "#/$defs/", f"{here}/$defs/")
    else:
        schema = {"$ref": here}
    return {
        "required": True,
        "description": "A case (`GET /api/v1/case/schema`), as JSON or as YAML (`Content-Type: application/yaml`).",
        "content": {"application/json": {"schema": schema}, "application/yaml": {"schema": {"$ref": here}}},
    }


def _rewrite_refs(node: Any, old: str, new: str) -> Any:
    """A copy of a JSON Schema with every ``$ref`` starting ``old`` starting ``new`` instead."""
    if isinstance(node, dict):
        return {
            key: (
                new + value.removeprefix(old)
                if key == "$ref" and str(value).startswith(old)
                else _rewrite_refs(value, old, new)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, old, new) for item in node]
    return node


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a case file, as `metastasis schema` prints it."""
    return case_json_schema()


def examples() -> list[str]:
    """Names of the bundled, fictional example cases."""
    return list(example_case_names())


def example(name: str) -> dict[str, Any]:
    """One bundled, fictional example case (fields at their defaults left out): a starting point for a case."""
    if name not in example_case_names():
        item = ErrorItem(
            field="name", value=name, allowed=", ".join(example_case_names()), message=f"no example {name!r}"
        )
        raise ApiError(404, [item])
    return load_example_case(name).model_dump(mode="json", exclude_defaults=True)


async def case_bytes(request: Request) -> tuple[bytes, str | None]:
    """The raw body of a case and its Content-Type (refused before reading when it is neither JSON nor YAML)."""
    content_type = request.headers.get("content-type")
    body_format(content_type)
    return await request.body(), content_type


async def validate(request: Request) -> CaseCheck:
    """Check a case and list every problem (errors and warnings) with its JSON path; `ok` says if it is usable.

    Answers 200 for any JSON object or YAML mapping, however wrong its content; 422 only when the body is not
    one (empty, not JSON/YAML, an array or a scalar, or sent with another Content-Type).
    """
    return await run_heavy(request, _validate, *await case_bytes(request))


def _validate(raw: bytes, content_type: str | None) -> CaseCheck:
    data = parse_case_body(raw, content_type)
    if not isinstance(data, dict):
        raise InvalidInputError("body", json_type(data), CASE_ALLOWED, detail="a case is a mapping of fields")
    checked = validate_case(data)
    return CaseCheck.of(checked)


async def report(
    request: Request,
    audience: Annotated[Audience, Query(description="Whose wording markdown and html use.")] = "clinician",
    fmt: Annotated[ReportFormat, Query(alias="format", description=FORMAT_HELP)] = "json",
) -> Any:
    """Assess a case and answer the whole report: staging, pattern, red flags, scores, calcium, prognosis, spread,
    options, the bone simulation, alerts and what to do now, every statement with its sources.

    A case with errors answers 422 listing every problem as `{field: JSON path, value, allowed, message}`.
    """
    return await run_heavy(request, _report, *await case_bytes(request), audience, fmt)


def _report(raw: bytes, content_type: str | None, audience: Audience, fmt: ReportFormat) -> Report | Response:
    from metastasis.report.render import render

    checked = validate_case(parse_case_body(raw, content_type))
    checked.raise_for_errors(source="body")
    result = assess_case(checked.case)
    if fmt == "json":
        return result
    text = render(result, audience=audience, fmt=fmt)
    return HTMLResponse(text, media_type=_MEDIA[fmt]) if fmt == "html" else Response(text, media_type=_MEDIA[fmt])


def add_case_routes(router: APIRouter) -> None:
    """Add the case routes to ``router`` (under its prefix, which the OpenAPI document's pointers include)."""
    prefix = router.prefix
    not_found = {404: {"model": ErrorBody, "description": "No example of that name."}}
    for path, endpoint, model, extra in (
        ("/case/schema", schema, dict[str, Any], {}),
        ("/case/examples", examples, list[str], {}),
        ("/case/examples/{name}", example, dict[str, Any], {"responses": not_found}),
    ):
        router.add_api_route(
            path,
            endpoint,
            methods=["GET"],
            response_model=model,
            tags=["case"],
            operation_id=f"case_{endpoint.__name__}",
            name=f"api.case_{endpoint.__name__}",
            **extra,
        )
    validate_path = f"{prefix}/case/validate"
    router.add_api_route(
        "/case/validate",
        validate,
        methods=["POST"],
        response_model=CaseCheck,
        tags=["case"],
        responses={**TOO_LARGE, **BUSY},
        openapi_extra={"requestBody": case_request_body(validate_path)},
        operation_id="case_validate",
        name="api.case_validate",
    )
    router.add_api_route(
        "/report",
        report,
        methods=["POST"],
        response_model=Report,
        tags=["case"],
        responses={
            200: {"content": {media.split(";")[0]: {"schema": {"type": "string"}} for media in _MEDIA.values()}},
            **BUSY,
        },
        openapi_extra={"requestBody": case_request_body(f"{prefix}/report", schema_at=validate_path)},
        operation_id="report",
        name="api.report",
    )
