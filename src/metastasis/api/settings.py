"""Server settings: host, port, log level and the host names served, from CLI flags or ``METASTASIS_*``
environment variables."""

from __future__ import annotations

import contextlib
import ipaddress
import os
import re
import socket
from collections.abc import Iterable, Mapping
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from metastasis.errors import InvalidInputError

LogLevel = Literal["critical", "error", "warning", "info", "debug"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)

#: Environment variable for each setting.
ENVIRONMENT = {
    "host": "METASTASIS_HOST",
    "port": "METASTASIS_PORT",
    "log_level": "METASTASIS_LOG_LEVEL",
    "allowed_hosts": "METASTASIS_ALLOWED_HOSTS",
}

#: Host names answered by default: loopback, and ``testserver`` (the name Starlette's test client sends).
LOOPBACK_HOSTS: tuple[str, ...] = ("localhost", "127.0.0.1", "::1", "testserver")
#: Addresses that mean "every interface".
WILDCARD_ADDRESSES = frozenset({"0.0.0.0", "::", ""})
_HOST_PATTERN = re.compile(r"^(\*|(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*|[0-9a-f:.]*:[0-9a-f:.]*)$")
_ALLOWED_HOSTS_HELP = "comma-separated host names or IP addresses ('*.example.org' for subdomains, '*' for any)"


class Settings(BaseModel):
    """Where the server listens, how much it logs and which host names it answers.

    The defaults serve on loopback only (``127.0.0.1:8000``): exposing the app on a network is a deliberate
    choice (``--host 0.0.0.0``). A request whose ``Host`` header is not in ``allowed_hosts`` is refused (400),
    which stops DNS-rebinding pages from reaching a server on this machine.
    """

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    log_level: LogLevel = "info"
    allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS

    @property
    def url(self) -> str:
        """The address to open in a browser on this machine."""
        return http_url("127.0.0.1" if self.host in WILDCARD_ADDRESSES else self.host, self.port)

    @property
    def loopback(self) -> bool:
        """Whether the server listens on this machine only."""
        return is_loopback(self.host)


def http_url(host: str, port: int) -> str:
    """``http://host:port``, with an IPv6 address in brackets."""
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def is_loopback(host: str) -> bool:
    """Whether a listening address or host name stays on this machine."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(name: str, allowed: Iterable[str]) -> bool:
    """Whether a host name (lower case, without the port) matches one of ``allowed``.

    Examples
    --------
    >>> host_allowed("app.example.org", ["*.example.org"]), host_allowed("example.org.evil", ["*.example.org"])
    (True, False)
    """
    for pattern in allowed:
        if pattern == "*" or name == pattern:
            return True
        if pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


def network_addresses() -> tuple[str, ...]:
    """This machine's host name and the IP addresses other machines can reach it at (best effort; no traffic).

    Loopback addresses are left out.
    """
    found: list[str] = []
    with contextlib.suppress(OSError):
        name = socket.gethostname()
        found.append(name)
        found.extend(socket.gethostbyname_ex(name)[2])
    with contextlib.suppress(OSError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.connect(("192.0.2.1", 9))  # TEST-NET-1: picks the outgoing interface; a UDP connect sends nothing
        found.append(probe.getsockname()[0])
    names = [n.lower() for n in found if n and not is_loopback(n) and n not in WILDCARD_ADDRESSES]
    return tuple(dict.fromkeys(names))


def _parse_hosts(raw: str | Iterable[str], field: str) -> tuple[str, ...]:
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    hosts = [item.strip().lower().strip("[]").rstrip(".") for item in items]
    hosts = [h for h in hosts if h]
    bad = [h for h in hosts if not _HOST_PATTERN.match(h)]
    if bad or not hosts:
        raise InvalidInputError(field, raw if isinstance(raw, str) else ",".join(items), _ALLOWED_HOSTS_HELP)
    return tuple(dict.fromkeys(hosts))


def default_allowed_hosts(host: str) -> tuple[str, ...]:
    """Loopback names, plus the listening address, plus (listening on every interface) this machine's names."""
    extra: tuple[str, ...] = ()
    if host in WILDCARD_ADDRESSES:
        extra = network_addresses()
    elif not is_loopback(host):
        extra = (host.lower().strip("[]"),)
    return tuple(dict.fromkeys(LOOPBACK_HOSTS + extra))


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    log_level: str | None = None,
    allowed_hosts: str | Iterable[str] | None = None,
) -> Settings:
    """Settings from explicit values (CLI flags) over environment variables over defaults.

    Raises
    ------
    InvalidInputError
        Naming the flag or variable, for a port outside 1-65535, an unknown log level or a malformed host list.

    Examples
    --------
    >>> load_settings({"METASTASIS_PORT": "9000"}).url
    'http://127.0.0.1:9000'
    >>> load_settings({"METASTASIS_ALLOWED_HOSTS": "metastasis.example.org, localhost"}).allowed_hosts
    ('metastasis.example.org', 'localhost')
    """
    environ = os.environ if environ is None else environ
    chosen_host = host if host is not None else environ.get(ENVIRONMENT["host"], "127.0.0.1")
    raw_port: object = port if port is not None else environ.get(ENVIRONMENT["port"], "8000")
    port_field = "port" if port is not None else ENVIRONMENT["port"]
    try:
        chosen_port = int(str(raw_port))
    except ValueError:
        raise InvalidInputError(port_field, raw_port, "a whole number from 1 to 65535") from None
    if not 1 <= chosen_port <= 65535:
        raise InvalidInputError(port_field, raw_port, "a whole number from 1 to 65535")
    level = (log_level if log_level is not None else environ.get(ENVIRONMENT["log_level"], "info")).lower()
    if level not in LOG_LEVELS:
        field = "log_level" if log_level is not None else ENVIRONMENT["log_level"]
        raise InvalidInputError(field, level, LOG_LEVELS)
    if not chosen_host.strip():
        raise InvalidInputError("host", chosen_host, "a host name or IP address")
    if allowed_hosts is not None:
        hosts = _parse_hosts(allowed_hosts, "allowed_hosts")
    elif ENVIRONMENT["allowed_hosts"] in environ:
        hosts = _parse_hosts(environ[ENVIRONMENT["allowed_hosts"]], ENVIRONMENT["allowed_hosts"])
    else:
        hosts = default_allowed_hosts(chosen_host)
    return Settings(host=chosen_host, port=chosen_port, log_level=level, allowed_hosts=hosts)  # type: ignore[arg-type]
