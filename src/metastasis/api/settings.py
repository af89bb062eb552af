"""Server settings: host, port and log level, from CLI flags or ``METASTASIS_*`` environment variables."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict

from metastasis.errors import InvalidInputError

LogLevel = Literal["critical", "error", "warning", "info", "debug"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)

#: Environment variable for each setting.
ENVIRONMENT = {"host": "METASTASIS_HOST", "port": "METASTASIS_PORT", "log_level": "METASTASIS_LOG_LEVEL"}


class Settings(BaseModel):
    """Where the server listens and how much it logs.

    The defaults serve on loopback only (``127.0.0.1:8000``): exposing the app on a network is a deliberate
    choice (``--host 0.0.0.0``).
    """

    model_config = ConfigDict(frozen=True)

    host: str = "127.0.0.1"
    port: int = 8000
    log_level: LogLevel = "info"

    @property
    def url(self) -> str:
        """The address to open in a browser."""
        host = "127.0.0.1" if self.host in ("0.0.0.0", "::") else self.host
        return f"http://{host}:{self.port}"


def load_settings(
    environ: Mapping[str, str] | None = None,
    *,
    host: str | None = None,
    port: int | None = None,
    log_level: str | None = None,
) -> Settings:
    """Settings from explicit values (CLI flags) over environment variables over defaults.

    Raises
    ------
    InvalidInputError
        Naming the flag or variable, for a port outside 1-65535 or an unknown log level.

    Examples
    --------
    >>> load_settings({"METASTASIS_PORT": "9000"}).url
    'http://127.0.0.1:9000'
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
    return Settings(host=chosen_host, port=chosen_port, log_level=level)  # type: ignore[arg-type]
