"""Fixtures of the records pages' tests: a temporary SQLite store passed to ``create_app(store=...)``, its users,
records made through the store, and test clients that sign in through the login form like a browser.

The store fixtures of ``tests/store/conftest.py`` are reused (``store_url``: SQLite always, PostgreSQL when one is
reachable; cheap argon2 for speed); most tests run on SQLite only (``sqlite_store``) to keep the folder fast, and
``test_backends.py`` runs the core flows on both.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from metastasis.api import create_app
from metastasis.examples.cases import load_example_case
from metastasis.store import Principal, Store
from tests.store.conftest import PASSWORD, cheap_hashing, pg_url, store, store_url  # noqa: F401 - fixtures

EMAILS = {
    "admin": "admin@example.org",
    "doc": "doc@example.org",
    "other": "other@example.org",
    "registrar": "reg@example.org",
}
ROLES = {"admin": "admin", "doc": "clinician", "other": "clinician", "registrar": "registrar"}
_TOKEN = re.compile(r'name="csrf_token" value="([^"]*)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _TOKEN.search(html)
    assert found, "the page has no form with a csrf_token"
    return found.group(1)


class Browser:
    """A test client that keeps cookies and signs in through the form, as a person would."""

    def __init__(self, app) -> None:  # type: ignore[no-untyped-def]
        self.client = TestClient(app, follow_redirects=False, raise_server_exceptions=True)
        self.store = app.state.store
        self.token = ""

    def login(self, email: str, password: str = PASSWORD, next_path: str = "/records"):  # type: ignore[no-untyped-def]
        form = self.client.get("/login")
        data = {"email": email, "password": password, "next": next_path, "csrf_token": csrf_of(form.text)}
        response = self.client.post("/login", data=data)
        if response.status_code == 303:  # the session's CSRF secret, as every form of its pages carries it
            self.token = self.store.tokens.session(self.cookie).csrf_secret
        return response

    def get(self, path: str, **kw):  # type: ignore[no-untyped-def]
        return self.client.get(path, **kw)

    def post(self, path: str, data: dict | None = None, *, csrf: str | None = None, **kw):  # type: ignore[no-untyped-def]
        """Post a form with this session's CSRF token (``csrf=""``: none; another string: that one)."""
        body = dict(data or {})
        token = self.token if csrf is None else csrf
        if token:
            body["csrf_token"] = token
        return self.client.post(path, data=body, **kw)

    @property
    def cookie(self) -> str | None:
        return self.client.cookies.get("metastasis_session")


def add_people(the_store: Store) -> dict[str, Principal]:
    """An admin, two clinicians and a registrar (signed in through the store, for making records)."""
    for key, email in EMAILS.items():
        the_store.accounts.add_user(email, ROLES[key], PASSWORD)
    return signed_in_people(the_store)


def signed_in_people(the_store: Store) -> dict[str, Principal]:
    return {key: the_store.accounts.authenticate(email, PASSWORD) for key, email in EMAILS.items()}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file holding the four users, made once and copied for each test (migrating takes longer
    than a test)."""
    from argon2 import PasswordHasher

    from metastasis.store import accounts

    path = tmp_path_factory.mktemp("template") / "records.db"
    the_store = Store(f"sqlite:///{path}")
    the_store.upgrade()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
        for key, email in EMAILS.items():
            the_store.accounts.add_user(email, ROLES[key], PASSWORD)
    the_store.dispose()
    return path


@pytest.fixture
def sqlite_store(tmp_path: Path, template_db: Path) -> Iterator[Store]:
    """A migrated SQLite store of its own, in a temporary file, holding the four users of :data:`EMAILS`."""
    target = tmp_path / "records.db"
    shutil.copyfile(template_db, target)
    the_store = Store(f"sqlite:///{target}")
    yield the_store
    the_store.dispose()


@pytest.fixture
def people(sqlite_store: Store) -> dict[str, Principal]:
    return signed_in_people(sqlite_store)


@pytest.fixture(scope="session")
def shared_app():  # type: ignore[no-untyped-def]
    """One application for the folder (building one costs more than most tests); each test gives it its store."""
    return create_app()


@pytest.fixture
def app(shared_app, sqlite_store: Store):  # type: ignore[no-untyped-def]
    """The application serving this test's own store, with no failed sign-ins counted yet."""
    shared_app.state.store = sqlite_store
    shared_app.state.login_lockout = None
    yield shared_app
    shared_app.state.store = None


@pytest.fixture
def record_id(sqlite_store: Store, people: dict[str, Principal]) -> int:
    """A record owned by ``doc``: the bundled de-novo bone-only case (version 1, no alerts)."""
    return sqlite_store.records.create(people["doc"], load_example_case("de-novo-bone-only")).record_id


@pytest.fixture
def alert_record(sqlite_store: Store, people: dict[str, Principal]) -> int:
    """A record owned by ``doc`` with two new alerts (the bundled hypercalcaemia case)."""
    return sqlite_store.records.create(people["doc"], load_example_case("hypercalcaemia")).record_id


@pytest.fixture
def browser_for(app, people):  # type: ignore[no-untyped-def]
    """``browser_for("doc")``: a client signed in as that person."""

    def make(who: str) -> Browser:
        b = Browser(app)
        assert b.login(EMAILS[who]).status_code == 303
        return b

    return make


@pytest.fixture
def doc(browser_for) -> Browser:  # type: ignore[no-untyped-def]
    return browser_for("doc")
