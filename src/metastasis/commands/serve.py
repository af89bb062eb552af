"""``metastasis serve``: the web app and REST API on one server (uvicorn)."""

from __future__ import annotations

import typer

from metastasis import DISCLAIMER
from metastasis.api.settings import (
    ENVIRONMENT,
    WILDCARD_ADDRESSES,
    Settings,
    host_allowed,
    http_url,
    load_settings,
    network_addresses,
)
from metastasis.commands._common import err, reports_input_errors

#: Said whenever the server listens beyond this machine.
UNAUTHENTICATED = (
    "Warning: this server has no accounts or passwords; anyone who can reach it can use it. "
    "Do not enter patient data until it has them."
)


def network_urls(settings: Settings) -> list[str]:
    """Addresses other machines can open: this machine's names and IP addresses (listening on every interface)
    that the allowed host names accept; none when listening on loopback or on one address (``settings.url``)."""
    if settings.host not in WILDCARD_ADDRESSES:
        return []
    names = [name for name in network_addresses() if host_allowed(name, settings.allowed_hosts)]
    return [http_url(name, settings.port) for name in names]


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
    allowed_hosts: str | None = typer.Option(
        None,
        "--allowed-hosts",
        help=(
            "Comma-separated host names the server answers; other Host headers get 400 "
            f"[env {ENVIRONMENT['allowed_hosts']}; default loopback names, plus this machine's names and addresses "
            "with --host 0.0.0.0]."
        ),
    ),
) -> None:
    """Serve the web app (patients and clinicians) and the REST API (/docs) until interrupted."""
    import uvicorn

    from metastasis.api import create_app
    from metastasis.api.logs import configure_logging

    settings = load_settings(host=host, port=port, log_level=log_level, allowed_hosts=allowed_hosts)
    configure_logging(settings.log_level)
    err.print(f"metastasis is serving on {settings.url}  (API documentation: {settings.url}/docs)", markup=False)
    if not settings.loopback:
        others = network_urls(settings)
        if others:
            err.print(f"From other machines: {', '.join(others)}", markup=False)
        err.print(UNAUTHENTICATED, markup=False)
    err.print(f"{DISCLAIMER} Press Ctrl+C to stop.", markup=False)
    app = create_app(settings)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
