"""The API routes sit on the application's own router, so that a request is matched once (issue 15, speed)."""

from __future__ import annotations

from fastapi.routing import APIRoute

from metastasis.api import create_app


def test_every_api_route_is_on_the_application_router() -> None:
    app = create_app()
    top_level = {route.path for route in app.router.routes if isinstance(route, APIRoute)}
    assert {"/api/v1/health", "/api/v1/staging/breast", "/api/v1/scores/mirels", "/api/v1/case/validate"} <= top_level


def test_staging_is_answered_through_the_flat_router(client) -> None:  # type: ignore[no-untyped-def]
    answer = client.post("/api/v1/staging/breast", json={"t": "pT2", "n": "pN1a", "m": "cM0"})
    assert answer.status_code == 200
    assert answer.json()["anatomic_stage"] == "IIB"
