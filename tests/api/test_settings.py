"""Server settings from flags over environment variables over defaults, and ``metastasis serve``'s one-line
errors (exit status 2)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from metastasis.api.settings import Settings, load_settings
from metastasis.cli import app
from metastasis.errors import InvalidInputError


def test_defaults_serve_on_loopback():
    settings = load_settings({})
    assert settings == Settings(host="127.0.0.1", port=8000, log_level="info")
    assert settings.url == "http://127.0.0.1:8000"


def test_environment_variables():
    env = {"METASTASIS_HOST": "0.0.0.0", "METASTASIS_PORT": "9001", "METASTASIS_LOG_LEVEL": "DEBUG"}
    settings = load_settings(env)
    assert (settings.host, settings.port, settings.log_level) == ("0.0.0.0", 9001, "debug")
    assert settings.url == "http://127.0.0.1:9001"  # a wildcard address is opened on loopback


def test_flags_win_over_the_environment():
    env = {"METASTASIS_HOST": "0.0.0.0", "METASTASIS_PORT": "9001", "METASTASIS_LOG_LEVEL": "debug"}
    settings = load_settings(env, host="localhost", port=8123, log_level="warning")
    assert (settings.host, settings.port, settings.log_level) == ("localhost", 8123, "warning")


@pytest.mark.parametrize(("env", "flags", "field"), [
    ({"METASTASIS_PORT": "eighty"}, {}, "METASTASIS_PORT"),
    ({"METASTASIS_PORT": "0"}, {}, "METASTASIS_PORT"),
    ({"METASTASIS_PORT": "65536"}, {}, "METASTASIS_PORT"),
    ({}, {"port": 70000}, "port"),
    ({"METASTASIS_LOG_LEVEL": "loud"}, {}, "METASTASIS_LOG_LEVEL"),
    ({}, {"log_level": "trace"}, "log_level"),
    ({"METASTASIS_HOST": "  "}, {}, "host"),
])  # fmt: skip
def test_bad_values_name_the_flag_or_variable(env, flags, field):
    with pytest.raises(InvalidInputError) as caught:
        load_settings(env, **flags)
    assert caught.value.field == field


@pytest.mark.parametrize(("args", "env", "line"), [
    (["--port", "0"], {}, "error: invalid port: 0; allowed: a whole number from 1 to 65535"),
    (["--log-level", "loud"], {}, "error: invalid log_level: 'loud'; allowed: critical, error, warning, info, debug"),
    ([], {"METASTASIS_PORT": "70000"},
     "error: invalid METASTASIS_PORT: '70000'; allowed: a whole number from 1 to 65535"),
])  # fmt: skip
def test_serve_bad_settings_exit_2_with_one_line(monkeypatch, args, env, line):
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("the server must not start"))
    result = CliRunner(env=env).invoke(app, ["serve", *args])
    assert result.exit_code == 2
    assert result.stderr.strip() == line


def test_serve_starts_uvicorn_with_the_settings(monkeypatch, tmp_path):
    import uvicorn

    from metastasis.api import logs
    from metastasis.store import Store

    store_url = f"sqlite:///{tmp_path}/store.db"  # serve opens the case store first (its schema must be current)
    Store(store_url).upgrade()
    monkeypatch.setenv("METASTASIS_DATABASE_URL", store_url)

    started = {}
    monkeypatch.setattr(uvicorn, "run", lambda application, **kwargs: started.update(kwargs, app=application))
    monkeypatch.setattr(logs, "configure_logging", lambda level: started.update(logging=level))  # keep it global-free
    result = CliRunner(env={"METASTASIS_PORT": "8765"}).invoke(app, ["serve", "--log-level", "warning"])
    assert result.exit_code == 0, result.output
    assert (started["host"], started["port"], started["log_level"]) == ("127.0.0.1", 8765, "warning")
    assert started["logging"] == "warning"
    assert started["access_log"] is False  # the JSON request log replaces uvicorn's (it would log raw paths)
    assert "http://127.0.0.1:8765" in result.stderr and "/docs" in result.stderr
