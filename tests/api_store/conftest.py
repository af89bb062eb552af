"""Fixtures of the case-store API tests: the store tests' SQLite/PostgreSQL stores (``tests/store/conftest.py``), an
application on that store, the people of the store tests with bearer tokens, and the audit rows of one request."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from metastasis.api import create_app
from metastasis.examples.cases import example_case_text
from metastasis.store import Principal, Store
from metastasis.store.models import AuditEntry
from tests.store import conftest as store_tests

# The store tests' fixtures, shared (SQLite always, PostgreSQL when reachable; cheap argon2 costs).
pg_url = store_tests.pg_url
store_url = store_tests.store_url
store = store_tests.store
people = store_tests.people
cheap_hashing = store_tests.cheap_hashing
PASSWORD = store_tests.PASSWORD

YAML = {"content-type": "application/yaml"}


#: Tests of input checks that never reach the database run on SQLite only: ``@SQLITE_ONLY``.
SQLITE_ONLY = pytest.mark.parametrize("store_url", ["sqlite"], indirect=True)


@pytest.fixture(scope="session")
def app() -> FastAPI:
    """One application for the session (building one costs about 0.2 s); each test gives it its own store."""
    return create_app()


@pytest.fixture
def client(app: FastAPI, store: Store) -> Iterator[TestClient]:
    """A test client of the whole application on the test's store; server errors come back as responses."""
    app.state.store = store
    try:
        with TestClient(app, raise_server_exceptions=False) as test_client:
            yield test_client
    finally:
        app.state.store = None


def bearer(store: Store, principal: Principal) -> dict[str, str]:
    """An ``Authorization`` header with a new access token of ``principal``."""
    return {"Authorization": f"Bearer {store.tokens.create_access_token(principal).token}"}


def patient_token(store: Store, inviter: Principal, record_id: int) -> dict[str, str]:
    """An ``Authorization`` header of the patient of ``record_id`` (an invitation of ``inviter``, redeemed)."""
    invitation = store.tokens.invite(inviter, record_id)
    return {"Authorization": f"Bearer {store.tokens.redeem(invitation.token).token}"}


def caller_headers(store: Store, people: dict[str, Principal], a: int, b: int) -> dict[str, dict[str, str]]:
    """The headers of every caller of the matrix tests: record ``a`` is ``doc``'s, ``b`` is ``other``'s."""
    return {
        "admin": bearer(store, people["admin"]),
        "owner": bearer(store, people["doc"]),
        "foreign": bearer(store, people["other"]),
        "registrar": bearer(store, people["registrar"]),
        "patient": patient_token(store, people["doc"], a),
        "patient_b": patient_token(store, people["other"], b),
        "anonymous": {},
    }


@dataclass
class Caller:
    """A role as the tests call the API: its headers (none for an anonymous caller) and its principal."""

    headers: dict[str, str]
    principal: Principal | None = None


@pytest.fixture
def callers(store: Store, people: dict[str, Principal]) -> dict[str, Caller]:
    """admin, doc and other (clinicians), registrar, each with an access token."""
    return {name: Caller(bearer(store, principal), principal) for name, principal in people.items()}


def hypercalcaemia_yaml() -> bytes:
    """The bundled, fictional hypercalcaemia case as YAML."""
    return example_case_text("hypercalcaemia").encode()


def audit_rows(store: Store, request_id: str) -> list[AuditEntry]:
    """The audit rows written for one request id."""
    with store.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.request_id == request_id)))
