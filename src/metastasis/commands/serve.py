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
from metastasis.commands._store import open_store, reports_store_errors

#: Said whenever the server listens beyond this machine.
UNAUTHENTICATED = (
    "Warning: the calculators need no account, so anyone who can reach this server can use them, and it speaks "
    "plain HTTP. Serve it behind HTTPS before entering patient data."
)


def network_urls(settings: Settings) -> list[str]:
    """Addresses other machines can open: this machine's names and IP addresses (listening on every interface)
    that the allowed host names accept; none when listening on loopback or on one address (``settings.url``)."""
    if settings.host not in WILDCARD_ADDRESSES:
        return []
    names = [name for name in network_addresses() if host_allowed(name, settings.allowed_hosts)]
    return [http_url(name, settings.port) for name in names]


@reports_input_errors
@reports_store_errors
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
    # The case store (METASTASIS_DATABASE_URL, default a SQLite file in the user's data folder) is opened first:
    # an out-of-date schema stops the command with one line (run `metastasis db upgrade`), exit status 2.
    import uvicorn

    from metastasis.api import create_app
    from metastasis.api.logs import configure_logging

    settings = load_settings(host=host, port=port, log_level=log_level, allowed_hosts=allowed_hosts)
    store = open_store()  # SchemaOutOfDateError: one line, exit 2
    configure_logging(settings.log_level)
    err.print(f"metastasis is serving on {settings.url}  (API documentation: {settings.url}/docs)", markup=False)
    if not settings.loopback:
        others = network_urls(settings)
        if others:
            err.print(f"From other machines: {', '.join(others)}", markup=False)
        err.print(UNAUTHENTICATED, markup=False)
    err.print(f"{DISCLAIMER} Press Ctrl+C to stop.", markup=False)
    app = create_app(settings, store=store)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level, access_log=False)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
