"""Shared fixtures of the security tests: one application for the module, as a caller sees it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    """A test client of the whole application; server errors come back as 500 responses."""
    with TestClient(create_app(), raise_server_exceptions=False) as test_client:
        yield test_client
