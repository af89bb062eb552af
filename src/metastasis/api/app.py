"""The application factory: API routes, web pages, static files, error policy and request logging."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from metastasis import DISCLAIMER, __version__
from metastasis.api.body_deadline import BodyDeadline, body_timeout
from metastasis.api.errors import ErrorResponder, install_error_handlers
from metastasis.api.middleware import RequestContext
from metastasis.api.routes import build_api_router
from metastasis.api.settings import Settings, load_settings
from metastasis.api.workers import install_worker_pool

if TYPE_CHECKING:
    from metastasis.store import Store

DESCRIPTION = f"""
Staging, bone-metastasis scores, calcium, triage, treatment options, PREDICT Breast, reference statistics, the
spread and bone simulations and the whole-case report, over HTTP. Each endpoint calls the library function of the
same name; its request fields are that function's parameters and its response is the library's own result type,
with the reasons, sources and caveats behind every number.

**Errors.** Invalid input answers 422 with `detail[]` items naming the `field`, the `value` given and what is
`allowed`. Every response carries an `X-Request-ID` header; error bodies repeat it.

**{DISCLAIMER}**
"""


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the application (API + web app); ``settings`` default to the environment's (host names answered).

    ``store`` is the case store the records routes and pages use; without one, it is opened from
    ``METASTASIS_DATABASE_URL`` on first use (:func:`metastasis.api.deps.get_store`).

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> TestClient(create_app()).get("/api/v1/health").json()["status"]
    'ok'
    """
    from metastasis.web import clinician, pages, patient, records, trials_pages
    from metastasis.web.templating import STATIC_DIR, error_page, templates

    settings = settings or load_settings()

    app = FastAPI(
        title="metastasis",
        version=__version__,
        description=DESCRIPTION,
        license_info={"name": "MIT"},
        docs_url=None,  # served below from vendored Swagger UI files, so /docs works offline
        redoc_url=None,
        openapi_tags=[
            {"name": "staging", "description": "TNM staging (AJCC 8th anatomic and prognostic, UICC 8th)."},
            {"name": "scores", "description": "Bone-metastasis risk and survival scores."},
            {"name": "calcium", "description": "Corrected calcium and hypercalcaemia grade."},
            {"name": "performance", "description": "ECOG and Karnofsky performance status."},
            {"name": "triage", "description": "Symptoms and labs: urgency, red flags, suspected sites, work-up."},
            {"name": "knowledge", "description": "Treatment options, presentation and disease pattern."},
            {"name": "prediction", "description": "PREDICT Breast, NPI, CTS5, late recurrence, statistics."},
            {"name": "simulation", "description": "Spread (Markov chain), metastatic cascade, bone remodelling."},
            {"name": "case", "description": "Whole-case validation and report."},
            {"name": "fhir", "description": "mCODE FHIR: import a bundle as a case, export a case as a bundle."},
            {"name": "trials", "description": "Clinical trials: match a case criterion by criterion, show a study."},
            {"name": "education", "description": "Plain-language explainers and the quiz."},
            {"name": "evidence", "description": "The sources every result cites."},
            {
                "name": "records",
                "description": "The case store: records over time, events, alerts, reports, invitations.",
            },
            {"name": "auth", "description": "Sign in (OAuth2 password flow), API tokens, a patient's invitation."},
            {"name": "audit", "description": "The audit trail (admins)."},
            {"name": "service", "description": "Health."},
        ],
    )
    app.state.store = store
    respond = ErrorResponder(error_page)
    install_error_handlers(app, respond)
    install_worker_pool(app)  # heavy work: bounded threads and queue, 503 beyond (api/workers.py)
    app.add_middleware(BodyDeadline, seconds=body_timeout())  # inside RequestContext: 408s and 499s are logged
    app.add_middleware(RequestContext, respond=respond, allowed_hosts=settings.allowed_hosts)
    # The API routes go on the application's own router rather than an included one: FastAPI matches a request
    # against an included router twice (once to pick it, once inside it), which cost a staging request ~40 route
    # checks instead of ~20 (benchmarks/bench_api_load.py).
    app.router.routes.extend(build_api_router().routes)
    for router in (pages.router, patient.router, clinician.router, records.router, trials_pages.router):
        app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/docs", include_in_schema=False)
    def api_docs(request: Request) -> HTMLResponse:
        """Swagger UI for the OpenAPI document, from the package's own copy (no CDN, no inline script)."""
        context = {"openapi_url": app.openapi_url or "/openapi.json", "title": "metastasis API"}
        return templates.TemplateResponse(request, "docs.html", context)

    return app
