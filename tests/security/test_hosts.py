"""Allowed hosts: a request for a host name the server is not configured for answers 400 without echoing it
(DNS rebinding), and no link or form of a page is built from the Host header."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api import settings as settings_module
from metastasis.api.settings import Settings, load_settings
from metastasis.errors import InvalidInputError
from tests.security.support import Elements, request_log

HOSTILE_HOSTS = [
    "evil.example",
    "evil.example:8000",
    "localhost.evil.example",
    "127.0.0.1.nip.io",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "",
]
PATHS = ["/", "/patient/stage", "/api/v1/health", "/docs", "/static/css/site.css", "/no-such-page"]


@pytest.mark.parametrize("host", HOSTILE_HOSTS)
@pytest.mark.parametrize("path", PATHS)
def test_an_unknown_host_answers_400_without_echoing_it(client, host, path):
    response = client.get(path, headers={"Host": host})
    assert response.status_code == 400
    for echoed in (host, "evil", "nip.io", "alert(1)", "<img"):
        assert not host or echoed not in response.text
    assert response.headers["x-request-id"] and response.headers["x-content-type-options"] == "nosniff"


def test_the_api_names_the_host_header_as_the_problem(client):
    body = client.post("/api/v1/scores/mirels", json={}, headers={"Host": "evil.example"}).json()
    assert body["detail"][0]["field"] == "Host" and body["detail"][0]["value"] is None
    assert "evil" not in str(body)


def test_a_refused_host_is_logged(client):
    with request_log() as log:
        client.get("/api/v1/health", headers={"Host": "evil.example"})
    (entry,) = log.entries()
    assert (entry["route"], entry["status"]) == ("unmatched", 400)
    assert "evil" not in log.text


@pytest.mark.parametrize("host", [
    "localhost", "localhost:8000", "LOCALHOST:8000", "127.0.0.1", "127.0.0.1:8000", "[::1]:8000", "testserver",
])  # fmt: skip
def test_loopback_names_are_answered_by_default(client, host):
    assert client.get("/api/v1/health", headers={"Host": host}).status_code == 200


def test_allowed_hosts_come_from_the_environment():
    env = {"METASTASIS_ALLOWED_HOSTS": " Metastasis.Example.org , *.clinic.example ,10.0.0.5"}
    settings = load_settings(env)
    assert settings.allowed_hosts == ("metastasis.example.org", "*.clinic.example", "10.0.0.5")
    client = TestClient(create_app(settings))
    for host, status in [
        ("metastasis.example.org", 200),
        ("metastasis.example.org:443", 200),
        ("ward.clinic.example", 200),
        ("10.0.0.5:8000", 200),
        ("clinic.example.evil", 400),
        ("localhost", 400),  # the list replaces the defaults
    ]:
        assert client.get("/api/v1/health", headers={"Host": host}).status_code == status, host


def test_the_flag_wins_over_the_environment():
    settings = load_settings({"METASTASIS_ALLOWED_HOSTS": "a.example"}, allowed_hosts="b.example,localhost")
    assert settings.allowed_hosts == ("b.example", "localhost")


def test_create_app_reads_the_environment(monkeypatch):
    monkeypatch.setenv("METASTASIS_ALLOWED_HOSTS", "ward.example")
    client = TestClient(create_app())
    assert client.get("/api/v1/health", headers={"Host": "ward.example"}).status_code == 200
    assert client.get("/api/v1/health").status_code == 400  # "testserver" is no longer listed


@pytest.mark.parametrize("value", ["", " , ", "bad host", "evil.example/path", "a.example,<x>"])
def test_a_malformed_host_list_names_the_variable(value):
    with pytest.raises(InvalidInputError) as caught:
        load_settings({"METASTASIS_ALLOWED_HOSTS": value})
    assert caught.value.field == "METASTASIS_ALLOWED_HOSTS"


def test_defaults_follow_the_listening_address(monkeypatch):
    monkeypatch.setattr(settings_module, "network_addresses", lambda: ("clinic-pc", "192.168.1.20"))
    loopback = ("localhost", "127.0.0.1", "::1", "testserver")
    assert load_settings({}).allowed_hosts == loopback
    assert Settings().allowed_hosts == loopback
    assert load_settings({}, host="192.168.1.20").allowed_hosts == (*loopback, "192.168.1.20")
    assert load_settings({}, host="0.0.0.0").allowed_hosts == (*loopback, "clinic-pc", "192.168.1.20")
    assert load_settings({}, host="::").allowed_hosts == (*loopback, "clinic-pc", "192.168.1.20")


def links(html: str) -> list[str]:
    """Every URL a page links to, loads or posts to."""
    page = Elements(html)
    names = ("href", "src", "action", "hx-post", "hx-get")
    return [value for _, attrs in page.tags for name, value in attrs.items() if name in names]


@pytest.mark.parametrize(("method", "path", "form"), [
    ("GET", "/", None),
    ("GET", "/patient", None),
    ("GET", "/patient/stage", None),
    ("GET", "/patient/learn", None),
    ("GET", "/clinician", None),
    ("GET", "/clinician/calc/scores_mirels", None),
    ("GET", "/clinician/simulate/bone", None),
    ("GET", "/clinician/case", None),
    ("POST", "/clinician/case", {"example": "hypercalcaemia"}),
    ("GET", "/no-such-page", None),
    ("GET", "/docs", None),
])  # fmt: skip
def test_links_and_forms_do_not_echo_the_host_header(method, path, form):
    client = TestClient(create_app(Settings(allowed_hosts=("*",))), base_url="http://attacker.example")
    response = client.request(method, path, data=form)
    assert "attacker" not in response.text
    urls = links(response.text)
    assert urls
    # the others: the sources' pages and the emergency numbers the patient pages let a phone dial
    own = [u for u in urls if not u.startswith(("https://", "http://", "tel:"))]
    assert all(u.startswith(("/", "#")) for u in own), own
