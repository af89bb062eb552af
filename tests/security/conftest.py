"""Shared fixtures of the security tests: one application for the module, as a caller sees it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.trials import TrialStore, read_studies
from metastasis.trials.store import ENV_FILE
from tests.trials.conftest import RECORDS


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A test client of the whole application, its trial store holding the bundled real records; server errors come
    back as 500 responses."""
    trials = tmp_path_factory.mktemp("trials") / "trials.jsonl"
    TrialStore(trials).add(read_studies(RECORDS))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_FILE, str(trials))
        with TestClient(create_app(), raise_server_exceptions=False) as test_client:
            yield test_client
