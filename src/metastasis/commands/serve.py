"""``metastasis serve``: the web app and REST API on one server (uvicorn)."""

from __future__ import annotations

import typer

from metastasis import DISCLAIMER
from metastasis.api.settings import ENVIRONMENT, load_settings
from metastasis.commands._common import err, reports_input_errors


@reports_input_errors
def serve(
    host: str | None = typer.Option(
        None, "--host", help=f"Interface to listen on [env {ENVIRONMENT['host']}; default 127.0.0.1]."
    ),
    port: int | None = typer.Option(None, "--port", help=f"Port [env {ENVIRONMENT['port']}; default 8000]."),
    log_level: str | None = typer.Option(
        None,
        "--log-level",
        help=f"critical, error, warning, info or debug [env {ENVIRONMENT['log_level']}; default info].",
    ),
) -> None:
    """Serve the web app (patients and clinicians) and the REST API (/docs) until interrupted."""
    import uvicorn

    from metastasis.api import create_app
    from metastasis.api.logs import configure_logging

    settings = load_settings(host=host, port=port, log_level=log_level)
    configure_logging(settings.log_level)
    err.print(f"metastasis is serving on {settings.url}  (API documentation: {settings.url}/docs)", markup=False)
    err.print(f"{DISCLAIMER} Press Ctrl+C to stop.", markup=False)
    uvicorn.run(create_app(), host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
