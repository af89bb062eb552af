"""Store fixtures: every store test runs on SQLite (a temporary file) and on PostgreSQL when one is reachable.

PostgreSQL: ``METASTASIS_TEST_POSTGRES_URL`` (default ``postgresql+psycopg://postgres@127.0.0.1:5432/test``); the
tests use a fresh schema of their own, dropped at the end. With ``METASTASIS_REQUIRE_POSTGRES=1`` an unreachable
server fails the PostgreSQL tests instead of skipping them.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from metastasis.store import Principal, Role, Store
from metastasis.store.models import Base

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "correct horse battery staple"


def _pg_base_url() -> str:
    return os.environ.get("METASTASIS_TEST_POSTGRES_URL", DEFAULT_PG)


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a fresh schema, with the migrations applied."""
    base = _pg_base_url()
    try:
        admin = create_engine(base, connect_args={"connect_timeout": 3})
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        if os.environ.get("METASTASIS_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {base}: {type(exc).__name__}")
        pytest.skip(f"PostgreSQL not reachable at {base}")
    schema = f"store_test_{secrets.token_hex(4)}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    Store(url).upgrade()
    try:
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of an empty, migrated store (SQLite file or PostgreSQL schema, emptied)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('store')}/store.db"
        store = Store(url)
        store.upgrade()
        store.dispose()
        return url
    url: str = request.getfixturevalue("pg_url")
    engine = create_engine(url)
    with engine.begin() as conn:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()
    return url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    the_store = Store(store_url)
    yield the_store
    the_store.dispose()


def add(store: Store, email: str, role: str) -> Principal:
    """A user of ``role``, logged in."""
    store.accounts.add_user(email, role, PASSWORD)
    return store.accounts.authenticate(email, PASSWORD)


@pytest.fixture
def people(store: Store) -> dict[str, Principal]:
    """An admin, two clinicians, a registrar."""
    return {
        "admin": add(store, "admin@example.org", "admin"),
        "doc": add(store, "doc@example.org", "clinician"),
        "other": add(store, "other@example.org", "clinician"),
        "registrar": add(store, "reg@example.org", "registrar"),
    }


def patient_of(store: Store, inviter: Principal, record_id: int) -> Principal:
    """The patient principal from redeeming an invitation to ``record_id``."""
    invitation = store.tokens.invite(inviter, record_id)
    session = store.tokens.redeem(invitation.token)
    principal = store.tokens.session(session.token).principal()
    assert principal.role is Role.PATIENT
    return principal


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with small costs: the tests check the logic, not the cost (production uses argon2-cffi's defaults)."""
    from argon2 import PasswordHasher

    from metastasis.store import accounts

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts, "_hasher", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap.hash("dummy"))
