"""``metastasis serve`` says where to open the app: on loopback only the URL; listening on the network, the
addresses other machines can open (which the server then answers) and a warning that it is unauthenticated."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from metastasis.api import settings as settings_module
from metastasis.cli import app


@pytest.fixture
def started(monkeypatch, tmp_path) -> dict:  # type: ignore[no-untyped-def]
    """uvicorn.run replaced by a recorder; this machine's network names fixed; a migrated store of its own."""
    import uvicorn

    from metastasis.api import logs
    from metastasis.store import Store

    url = f"sqlite:///{tmp_path}/store.db"
    Store(url).upgrade()
    monkeypatch.setenv("METASTASIS_DATABASE_URL", url)

    seen: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kwargs: seen.update(kwargs, app=application))
    monkeypatch.setattr(logs, "configure_logging", lambda level: None)
    names = lambda: ("clinic-pc", "192.168.1.20")  # noqa: E731
    monkeypatch.setattr(settings_module, "network_addresses", names)
    monkeypatch.setattr("metastasis.commands.serve.network_addresses", names)
    return seen


def _serve(*args: str, env: dict[str, str] | None = None) -> list[str]:
    result = CliRunner(env=env or {}).invoke(app, ["serve", *args])
    assert result.exit_code == 0, result.output
    return result.stderr.strip().splitlines()


def test_loopback_prints_only_the_url(started):
    lines = _serve("--port", "8123")
    assert len(lines) == 2
    assert lines[0].startswith("metastasis is serving on http://127.0.0.1:8123")
    assert "warning" not in " ".join(lines).lower()


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_every_interface_prints_the_real_addresses_and_a_warning(started, host):
    lines = _serve("--host", host, "--port", "9000")
    text = "\n".join(lines)
    assert "http://127.0.0.1:9000" in lines[0] and "0.0.0.0" not in text
    assert "From other machines: http://clinic-pc:9000, http://192.168.1.20:9000" in lines
    (warning,) = [line for line in lines if line.startswith("Warning:")]
    assert "no account" in warning and "HTTPS" in warning and "patient data" in warning
    client = TestClient(started["app"], base_url="http://192.168.1.20:9000")
    assert client.get("/api/v1/health").status_code == 200  # the printed addresses are answered
    assert client.get("/", headers={"Host": "clinic-pc:9000"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


def test_one_network_address_is_the_url_with_a_warning(started):
    lines = _serve("--host", "192.168.1.20", "--port", "9000")
    assert lines[0].startswith("metastasis is serving on http://192.168.1.20:9000")
    assert not [line for line in lines if line.startswith("From other machines")]
    assert [line for line in lines if line.startswith("Warning:")]


def test_only_allowed_names_are_printed(started):
    lines = _serve("--host", "0.0.0.0", "--allowed-hosts", "localhost,127.0.0.1,clinic-pc")
    assert "From other machines: http://clinic-pc:8000" in lines
    assert TestClient(started["app"], base_url="http://clinic-pc:8000").get("/").status_code == 200
    assert TestClient(started["app"], base_url="http://192.168.1.20:8000").get("/").status_code == 400


def test_a_bad_host_list_exits_2_with_one_line(started):
    result = CliRunner(env={"METASTASIS_ALLOWED_HOSTS": "bad host"}).invoke(app, ["serve"])
    assert result.exit_code == 2 and "app" not in started
    assert result.stderr.strip().startswith("error: invalid METASTASIS_ALLOWED_HOSTS: 'bad host'")


def test_an_out_of_date_store_stops_the_server_with_one_line(started, tmp_path):
    result = CliRunner(env={"METASTASIS_DATABASE_URL": f"sqlite:///{tmp_path}/empty.db"}).invoke(app, ["serve"])
    assert result.exit_code == 2 and "app" not in started
    assert result.stderr.strip() == "error: the database schema is out of date: run `metastasis db upgrade`"


def test_the_server_gets_the_opened_store(started):
    _serve()
    assert started["app"].state.store is not None
