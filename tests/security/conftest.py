"""Shared fixtures of the security tests: one application for the module, as a caller sees it, on a case store of
its own holding one admin and one case record (id 1); the client sends the admin's bearer token, so the case-store
routes answer as they do to a signed-in caller (the stateless routes ignore it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.examples.cases import load_example_case
from metastasis.store import Store
from metastasis.trials import TrialStore, read_studies
from metastasis.trials.store import ENV_FILE
from tests.trials.conftest import RECORDS


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A test client of the whole application, its trial store holding the bundled real records; server errors come
    back as 500 responses."""
    trials = tmp_path_factory.mktemp("trials") / "trials.jsonl"
    TrialStore(trials).add(read_studies(RECORDS))
    store, token = admin_store(tmp_path_factory)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_FILE, str(trials))
        with TestClient(create_app(store=store), raise_server_exceptions=False) as test_client:
            test_client.headers["Authorization"] = f"Bearer {token}"
            yield test_client
    store.dispose()


def admin_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Store, str]:
    """A migrated SQLite store with an admin, the hypercalcaemia example as record 1, and an admin's API token."""
    store = Store(f"sqlite:///{tmp_path_factory.mktemp('store')}/store.db")
    store.upgrade()
    store.accounts.add_user("admin@example.org", "admin", "security tests' admin password")
    admin = store.accounts.authenticate("admin@example.org", "security tests' admin password")
    store.records.create(admin, load_example_case("hypercalcaemia"))
    return store, store.tokens.create_api_token(admin, "security tests").token  # a year: outlives any module
