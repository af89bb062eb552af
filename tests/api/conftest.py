"""Shared fixtures of the API tests: one application for the module, and the server's log lines."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.api.logs import LOGGER_NAME, JsonFormatter


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """A test client of the whole application; server errors come back as responses (as a caller sees them)."""
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client


class LogLines:
    """The JSON lines the server logger wrote during a test."""

    def __init__(self, stream: io.StringIO):
        self.stream = stream

    @property
    def text(self) -> str:
        return self.stream.getvalue()

    def entries(self) -> list[dict]:
        return [json.loads(line) for line in self.text.splitlines() if line.strip()]


@contextmanager
def request_log() -> Iterator[LogLines]:
    """The JSON lines the ``metastasis.server`` logger writes inside the block (at INFO, its own formatter)."""
    logger = logging.getLogger(LOGGER_NAME)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        yield LogLines(stream)
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


@pytest.fixture
def server_log() -> Iterator[LogLines]:
    """Capture the ``metastasis.server`` logger at INFO through its own JSON formatter."""
    with request_log() as lines:
        yield lines
